#pragma once

#include "common/Result.h"
#include "connection/ConnectionProfile.h"
#include "connection/ConnectionSettings.h"

#include <optional>

namespace dbops {

class ProfileStore;

/// The database a command works on, resolved from what the user gave:
/// `--database URL` (or libpq keywords), `--profile NAME`, else DATABASE_URL,
/// else libpq's PG* variables and defaults.  With a profile, the password
/// comes from the keychain when one answers; otherwise none is passed and
/// libpq looks in ~/.pgpass / PGPASSFILE itself.
struct ConnectionTarget
{
    ConnectionSettings settings;
    std::optional<ConnectionProfile> profile;
    QString versionTable = QStringLiteral("alembic_version");
    QString source; ///< "--database", "profile 'x'", "DATABASE_URL", "PG* environment"

    bool isProduction() const { return profile && profile->production; }
    bool isReadOnly() const { return profile && profile->readOnly; }
    QString describe() const;

    static Result<ConnectionTarget> resolve(const QString& databaseUrl, const QString& profileName, const ProfileStore& store);
};

} // namespace dbops
