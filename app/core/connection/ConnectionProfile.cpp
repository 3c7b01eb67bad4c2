#include "connection/ConnectionProfile.h"

#include "render/SqlScriptRenderer.h"

#include <QRegularExpression>

namespace dbops {

namespace {
const QStringList& sslModes()
{
    static const QStringList modes
        = { QStringLiteral("disable"), QStringLiteral("allow"), QStringLiteral("prefer"),
              QStringLiteral("require"), QStringLiteral("verify-ca"), QStringLiteral("verify-full") };
    return modes;
}
} // namespace

Result<ConnectionSettings> ConnectionProfile::toSettings() const
{
    ConnectionSettings settings;
    if (!extraOptions.trimmed().isEmpty()) {
        Result<ConnectionSettings> extra = ConnectionSettings::parse(extraOptions);
        if (!extra)
            return Error::input(
                QStringLiteral("profile '%1', field 'extra options': %2").arg(name, extra.error().message));
        settings = extra.value();
        settings.setPassword({}); // never from a plain field
    }
    settings.setValue(QStringLiteral("host"), host);
    settings.setValue(QStringLiteral("port"), port > 0 ? QString::number(port) : QString());
    settings.setValue(QStringLiteral("dbname"), database);
    settings.setValue(QStringLiteral("user"), user);
    settings.setValue(QStringLiteral("service"), service);
    settings.setValue(
        QStringLiteral("sslmode"), sslmode.isEmpty() && production ? QStringLiteral("require") : sslmode);
    settings.setValue(QStringLiteral("sslrootcert"), sslrootcert);
    settings.setValue(
        QStringLiteral("connect_timeout"), connectTimeout > 0 ? QString::number(connectTimeout) : QString());
    settings.setValue(QStringLiteral("application_name"), applicationName);
    return settings;
}

void ConnectionProfile::applySettings(const ConnectionSettings& settings)
{
    host = settings.value(QStringLiteral("host"));
    port = settings.value(QStringLiteral("port")).toInt();
    database = settings.value(QStringLiteral("dbname"));
    user = settings.value(QStringLiteral("user"));
    service = settings.value(QStringLiteral("service"));
    if (!settings.value(QStringLiteral("sslmode")).isEmpty())
        sslmode = settings.value(QStringLiteral("sslmode"));
    sslrootcert = settings.value(QStringLiteral("sslrootcert"));
    if (!settings.value(QStringLiteral("connect_timeout")).isEmpty())
        connectTimeout = settings.value(QStringLiteral("connect_timeout")).toInt();
    if (!settings.value(QStringLiteral("application_name")).isEmpty())
        applicationName = settings.value(QStringLiteral("application_name"));
    QStringList rest;
    const QStringList known
        = { QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("dbname"), QStringLiteral("user"),
              QStringLiteral("service"), QStringLiteral("sslmode"), QStringLiteral("sslrootcert"),
              QStringLiteral("connect_timeout"), QStringLiteral("application_name") };
    for (auto it = settings.keywords().cbegin(); it != settings.keywords().cend(); ++it) {
        if (!known.contains(it.key()))
            rest.append(it.key() + QLatin1Char('=') + it.value());
    }
    extraOptions = rest.join(QLatin1Char(' '));
}

std::optional<Error> ConnectionProfile::validate() const
{
    static const QRegularExpression namePattern(QStringLiteral("^[^\\x00-\\x1f]{1,64}$"));
    if (!namePattern.match(name).hasMatch())
        return Error::input(QStringLiteral("field 'name': 1 to 64 characters, no control characters"));
    if (host.isEmpty() && service.isEmpty() && database.isEmpty())
        return Error::input(QStringLiteral("field 'host': give a host, a database or a service"));
    if (port < 0 || port > 65535)
        return Error::input(QStringLiteral("field 'port': %1 is not a port number").arg(port));
    if (!sslmode.isEmpty() && !sslModes().contains(sslmode))
        return Error::input(QStringLiteral("field 'sslmode': '%1' is not one of %2")
                                .arg(sslmode, sslModes().join(QStringLiteral(", "))));
    if (!SqlScriptRenderer::isValidVersionTable(versionTable))
        return Error::input(QStringLiteral("field 'version table': '%1' is not [schema.]name in lower case")
                                .arg(versionTable));
    if (!color.isEmpty() && !QRegularExpression(QStringLiteral("^#[0-9a-fA-F]{6}$")).match(color).hasMatch())
        return Error::input(QStringLiteral("field 'color': use #rrggbb"));
    if (lockTimeoutSeconds < 0 || statementTimeoutSeconds < 0)
        return Error::input(QStringLiteral("field 'timeouts': must not be negative"));
    for (const QString& group : groups) {
        if (!isValidGroupName(group))
            return Error::input(
                QStringLiteral("field 'groups': '%1' is not a group name (letters, digits, '.', '_', '-')")
                    .arg(group));
    }
    if (!shadowUrl.isEmpty()) {
        Result<ConnectionSettings> shadow = ConnectionSettings::parse(shadowUrl);
        if (!shadow)
            return Error::input(QStringLiteral("field 'shadow server': %1").arg(shadow.error().message));
        if (shadow->hasPassword())
            return Error::input(
                QStringLiteral("field 'shadow server': the URL contains a password, which would be "
                               "stored in plain text; use ~/.pgpass or the keychain"));
    }
    if (Result<ConnectionSettings> s = toSettings(); !s)
        return s.error();
    return std::nullopt;
}

bool ConnectionProfile::isValidGroupName(const QString& group)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    return pattern.match(group).hasMatch();
}

QStringList ConnectionProfile::warnings() const
{
    QStringList list;
    const QString mode = sslmode.isEmpty() && production ? QStringLiteral("require") : sslmode;
    if (production && mode != QLatin1String("verify-full"))
        list.append(QStringLiteral(
            "production profile '%1' uses sslmode=%2: the server's certificate is not verified; "
            "set sslmode=verify-full and sslrootcert")
                        .arg(name, mode.isEmpty() ? QStringLiteral("prefer") : mode));
    return list;
}

} // namespace dbops
