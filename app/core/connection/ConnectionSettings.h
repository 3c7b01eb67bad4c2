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
    /// does the work, so the rules are exactly libpq's, with one exception: a
    /// URL with nothing after `//` is an error, not "all defaults"
    /// (`postgresql:///dbname`, the local socket, is fine).  An error never
    /// holds the password, also not a part of it libpq quoted.
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
    /// Puts "****" in place of every password a text echoes from a connection
    /// string: URL userinfo (`postgresql://user:****@host`), a URL's
    /// `?password=****` and libpq's `password=****` keyword, quoted or not.
    /// Only there: the password is not searched for in running text, where a
    /// password such as "server" would turn libpq's own words into stars and
    /// so tell exactly what it is.  Server and libpq errors do not contain
    /// the password; echoed connection strings may, any password of any
    /// connection string, not only this one's.
    QString redact(const QString& text) const;

private:
    QMap<QString, QString> m_keywords;
    QString m_password;
};

} // namespace dbops
