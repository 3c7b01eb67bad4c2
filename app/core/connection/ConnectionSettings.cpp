#include "connection/ConnectionSettings.h"

#include <QRegularExpression>
#include <QUrl>
#include <libpq-fe.h>

namespace dbops {

namespace {

// Strips "user:password@" from anything that looks like a URL, for error texts
// libpq builds from the input.
QString stripUrlPasswords(QString text)
{
    static const QRegularExpression userInfo(
        QStringLiteral("(postgres(?:ql)?(?:\\+\\w+)?://[^:/@\\s]*):[^@\\s]*@"));
    return text.replace(userInfo, QStringLiteral("\\1:****@"));
}

} // namespace

Result<ConnectionSettings> ConnectionSettings::parse(const QString& input)
{
    QString text = input.trimmed();
    if (text.isEmpty())
        return Error::input(QStringLiteral("empty connection string"));
    // SQLAlchemy spells URLs postgresql+psycopg2://; libpq does not know the suffix.
    static const QRegularExpression driverSuffix(QStringLiteral("^(postgres(?:ql)?)\\+\\w+://"));
    text.replace(driverSuffix, QStringLiteral("\\1://"));
    const bool isUrl
        = text.startsWith(QLatin1String("postgresql://")) || text.startsWith(QLatin1String("postgres://"));
    if (!isUrl && !text.contains(QLatin1Char('=')))
        return Error::input(
            QStringLiteral("not a connection string: expected a postgresql:// URL or libpq keywords "
                           "like 'host=... dbname=...'"));

    char* errorMessage = nullptr;
    const QByteArray utf8 = text.toUtf8();
    PQconninfoOption* options = PQconninfoParse(utf8.constData(), &errorMessage);
    if (!options) {
        QString message
            = errorMessage ? QString::fromUtf8(errorMessage).trimmed() : QStringLiteral("out of memory");
        PQfreemem(errorMessage);
        return Error::input(QStringLiteral("bad connection string: %1").arg(stripUrlPasswords(message)));
    }
    ConnectionSettings settings;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val)
            continue;
        const QString keyword = QString::fromUtf8(o->keyword);
        const QString value = QString::fromUtf8(o->val);
        if (keyword == QLatin1String("password"))
            settings.m_password = value;
        else
            settings.m_keywords.insert(keyword, value);
    }
    PQconninfoFree(options);
    const QString port = settings.value(QStringLiteral("port"));
    if (!port.isEmpty()) {
        bool ok = false;
        const int number = port.toInt(&ok);
        if (!ok || number <= 0 || number > 65535)
            return Error::input(QStringLiteral("bad connection string: invalid port '%1'").arg(port));
    }
    return settings;
}

Result<ConnectionSettings> ConnectionSettings::fromEnvironment()
{
    const QString url = qEnvironmentVariable("DATABASE_URL");
    if (!url.isEmpty()) {
        Result<ConnectionSettings> parsed = parse(url);
        if (!parsed)
            return Error::input(QStringLiteral("DATABASE_URL: %1").arg(parsed.error().message));
        return parsed;
    }
    return ConnectionSettings();
}

void ConnectionSettings::setValue(const QString& keyword, const QString& value)
{
    if (keyword == QLatin1String("password")) {
        m_password = value;
        return;
    }
    if (value.isEmpty())
        m_keywords.remove(keyword);
    else
        m_keywords.insert(keyword, value);
}

QString ConnectionSettings::describe() const
{
    if (!value(QStringLiteral("service")).isEmpty() && value(QStringLiteral("host")).isEmpty())
        return QStringLiteral("service=") + value(QStringLiteral("service"));
    const QString host = value(QStringLiteral("host")).isEmpty()
        ? qEnvironmentVariable("PGHOST", QStringLiteral("localhost"))
        : value(QStringLiteral("host"));
    const QString port = value(QStringLiteral("port")).isEmpty()
        ? qEnvironmentVariable("PGPORT", QStringLiteral("5432"))
        : value(QStringLiteral("port"));
    const QString user = value(QStringLiteral("user")).isEmpty() ? qEnvironmentVariable("PGUSER")
                                                                 : value(QStringLiteral("user"));
    const QString db = value(QStringLiteral("dbname")).isEmpty() ? qEnvironmentVariable("PGDATABASE", user)
                                                                 : value(QStringLiteral("dbname"));
    return (user.isEmpty() ? QString() : user + QLatin1Char('@')) + host + QLatin1Char(':') + port
        + QLatin1Char('/') + db;
}

QString ConnectionSettings::toUrlWithoutPassword() const
{
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setHost(value(QStringLiteral("host")));
    if (!value(QStringLiteral("port")).isEmpty())
        url.setPort(value(QStringLiteral("port")).toInt());
    url.setUserName(value(QStringLiteral("user")));
    url.setPath(QLatin1Char('/') + value(QStringLiteral("dbname")));
    QStringList query;
    for (auto it = m_keywords.cbegin(); it != m_keywords.cend(); ++it) {
        if (it.key() == QLatin1String("host") || it.key() == QLatin1String("port")
            || it.key() == QLatin1String("user") || it.key() == QLatin1String("dbname"))
            continue;
        query.append(it.key() + QLatin1Char('=') + QString::fromUtf8(QUrl::toPercentEncoding(it.value())));
    }
    QString text = url.toString();
    if (!query.isEmpty())
        text += QLatin1Char('?') + query.join(QLatin1Char('&'));
    return text;
}

QString ConnectionSettings::redact(const QString& text) const
{
    QString out = stripUrlPasswords(text);
    if (!m_password.isEmpty()) {
        out.replace(m_password, QStringLiteral("****"));
        out.replace(QString::fromUtf8(QUrl::toPercentEncoding(m_password)), QStringLiteral("****"));
    }
    return out;
}

} // namespace dbops
