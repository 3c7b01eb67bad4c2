#pragma once

#include "common/Result.h"

#include <QMap>
#include <QString>

namespace dbops {

/// Where and how to connect, as libpq keywords (host, port, dbname, user,
/// sslmode, sslrootcert, connect_timeout, application_name, service, options ...).
/// The password is kept apart and never appears in describe(), errors or logs.
class ConnectionSettings
{
public:
    /// Parses what users already have: `postgresql://` / `postgres://` URLs
    /// (with `?sslmode=` and friends, as hosting providers print them; a
    /// SQLAlchemy `+driver` suffix is accepted), or a libpq keyword string
    /// (`host=db port=5432 dbname=app`, `service=prod`).  libpq's own parser
    /// does the work, so the rules are exactly libpq's.
    static Result<ConnectionSettings> parse(const QString& text);

    /// From the environment: DATABASE_URL if set, else empty settings, which
    /// libpq completes from PG* variables, the service file and defaults.
    static Result<ConnectionSettings> fromEnvironment();

    QString value(const QString& keyword) const { return m_keywords.value(keyword); }
    void setValue(const QString& keyword, const QString& value);
    const QMap<QString, QString>& keywords() const { return m_keywords; }

    QString password() const { return m_password; }
    void setPassword(const QString& password) { m_password = password; }
    bool hasPassword() const { return !m_password.isEmpty(); }

    /// "user@host:port/dbname" for messages: never the password.
    QString describe() const;
    /// A postgresql:// URL without the password.
    QString toUrlWithoutPassword() const;
    /// Replaces the password (and percent-encoded forms) in a text with "****".
    QString redact(const QString& text) const;

private:
    QMap<QString, QString> m_keywords;
    QString m_password;
};

} // namespace dbops
