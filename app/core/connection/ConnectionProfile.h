#pragma once

#include "common/Result.h"
#include "connection/ConnectionSettings.h"

#include <QString>
#include <QStringList>

namespace dbops {

/// A saved connection: where the database is, how to reach it safely, which
/// migrations belong to it, and how careful to be with it.  Never holds a
/// password: that lives in the keychain (PasswordStore) or libpq's .pgpass.
struct ConnectionProfile
{
    QString name;
    QString host;
    int port = 0; ///< 0: libpq's default
    QString database;
    QString user;
    QString sslmode; ///< empty: libpq's default ("prefer"); production defaults to "require"
    QString sslrootcert;
    int connectTimeout = 10;
    QString applicationName = QStringLiteral("dbops");
    QString service; ///< libpq service name (pg_service.conf)
    QString extraOptions; ///< further libpq keywords, "key=value key=value"
    QString migrationsDirectory;
    QString versionTable = QStringLiteral("alembic_version");
    bool production = false;
    bool readOnly = false;
    QString color; ///< "#rrggbb" for banners and the profile list
    QString shadowUrl; ///< a server where throwaway databases may be created (audit)
    bool journalInDatabase = false;
    int lockTimeoutSeconds = 10;
    int statementTimeoutSeconds = 0; ///< 0: none
    /// The fleets it belongs to ("prod-eu", "staging"): `dbops fleet ... --group`.
    QStringList groups;

    /// The libpq settings (without password).
    Result<ConnectionSettings> toSettings() const;
    /// Fills host, port, database, user, sslmode ... from parsed settings.
    void applySettings(const ConnectionSettings& settings);

    /// Checks the fields a user typed; the error names the field.
    std::optional<Error> validate() const;
    /// Human warnings, e.g. a production profile without sslmode=verify-full.
    QStringList warnings() const;
    /// A group name: letters, digits, '.', '_' and '-', 1 to 64 of them (it
    /// is typed on command lines and stored comma-separated).
    static bool isValidGroupName(const QString& group);
    bool isInGroup(const QString& group) const { return groups.contains(group); }
    /// The key under which the keychain keeps this profile's password.
    QString keychainKey() const { return QStringLiteral("profile:") + name; }
};

} // namespace dbops
