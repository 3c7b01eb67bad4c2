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

    /// A profile name that was given but is empty (`-p "$PROFILE"` with the
    /// variable unset, a console with no profile selected) is an error, never
    /// "no profile": falling back to DATABASE_URL would skip the profile's
    /// read-only and production guards.  `option` names where it came from.
    static std::optional<Error> checkProfileName(const QString& option, const QString& value);

    /// The repository's own version table (an Alembic project's env.py may
    /// name one) replaces the default; a profile that names another keeps it.
    /// Both front ends call it, so both plan against the same table and take
    /// the same migration lock.
    void adoptVersionTable(const QString& repositoryVersionTable);

    /// locate() and, for a profile, readKeychainPassword(): what the CLI
    /// uses.  Blocks while the keychain answers (up to 10 s).
    static Result<ConnectionTarget> resolve(
        const QString& databaseUrl, const QString& profileName, const ProfileStore& store);
    /// Everything resolve() does except reading the keychain: it never blocks,
    /// so the console calls it on the GUI thread and leaves the password to
    /// its database worker (needsKeychainPassword(), readKeychainPassword()).
    static Result<ConnectionTarget> locate(
        const QString& databaseUrl, const QString& profileName, const ProfileStore& store);

    /// A profile whose password is not known yet: the keychain may have it.
    bool needsKeychainPassword() const { return profile && !settings.hasPassword(); }
    /// Takes the profile's password from the keychain (blocking) when one is
    /// stored; a missing keychain is not an error: libpq's .pgpass takes over.
    void readKeychainPassword();
    /// The password a keychain lookup (PasswordStore::read or readAsync) answered, if any.
    void applyKeychainAnswer(const Result<QString>& password);
};

} // namespace dbops
