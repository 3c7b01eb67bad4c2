#include "catalog/ShadowDatabase.h"

#include "connection/DatabaseConnection.h"

#include <QRandomGenerator>
#include <QtGlobal>

namespace dbops {

ConnectionSettings ShadowDatabase::serverSettings(const ConnectionSettings& server)
{
    ConnectionSettings settings = server;
    // CREATE DATABASE runs from some other database; `postgres` exists on every server.
    if (settings.value(QStringLiteral("dbname")).isEmpty())
        settings.setValue(QStringLiteral("dbname"), QStringLiteral("postgres"));
    return settings;
}

Result<std::unique_ptr<ShadowDatabase>> ShadowDatabase::create(const ConnectionSettings& server)
{
    std::unique_ptr<ShadowDatabase> shadow(new ShadowDatabase);
    const ConnectionSettings settings = serverSettings(server);
    Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(settings);
    if (!connection) {
        Error error = connection.error();
        error.message = QStringLiteral("shadow server: %1").arg(error.message);
        return error;
    }
    shadow->m_server = std::move(connection).value();

    // Our own name, never user text: an identifier cannot be a bound parameter.
    shadow->m_name = QLatin1String(kNamePrefix)
        + QString::number(QRandomGenerator::system()->generate64(), 16).rightJustified(16, QLatin1Char('0'));
    Result<QSqlQuery> created
        = shadow->m_server->exec(QStringLiteral("CREATE DATABASE %1 TEMPLATE template0").arg(shadow->m_name));
    if (!created) {
        Error error = created.error();
        error.message = QStringLiteral("cannot create the shadow database on %1: %2")
                            .arg(settings.describe(), error.message);
        if (error.sqlState == QLatin1String("42501") && error.hint.isEmpty())
            error.hint
                = QStringLiteral("the shadow server's user needs CREATEDB; pass another with --shadow URL");
        return error;
    }
    shadow->m_dropped = false;
    shadow->m_settings = settings;
    shadow->m_settings.setValue(QStringLiteral("dbname"), shadow->m_name);
    return shadow;
}

ShadowDatabase::~ShadowDatabase()
{
    if (std::optional<Error> error = drop())
        qWarning("dbops: %s", qUtf8Printable(error->toString()));
}

Result<DatabaseConnection*> ShadowDatabase::connection()
{
    if (m_dropped)
        return Error { Error::Kind::Internal,
            QStringLiteral("the shadow database %1 was dropped").arg(m_name), {}, 0, 0, {}, {}, {} };
    if (!m_connection) {
        Result<std::unique_ptr<DatabaseConnection>> opened = DatabaseConnection::open(m_settings);
        if (!opened)
            return opened.error();
        m_connection = std::move(opened).value();
    }
    return m_connection.get();
}

std::optional<Error> ShadowDatabase::drop()
{
    if (m_dropped)
        return std::nullopt;
    m_connection.reset(); // a database with a session of ours in it cannot be dropped
    // FORCE (PostgreSQL 13+) also ends sessions a failed statement may have left.
    const bool canForce = m_server->serverInfo().versionNumber >= 130000;
    Result<QSqlQuery> dropped
        = m_server->exec(QStringLiteral("DROP DATABASE IF EXISTS %1%2")
                             .arg(m_name, canForce ? QStringLiteral(" WITH (FORCE)") : QString()));
    if (!dropped) {
        Error error = dropped.error();
        error.message = QStringLiteral("could not drop the shadow database %1 (drop it by hand): %2")
                            .arg(m_name, error.message);
        return error;
    }
    m_dropped = true;
    return std::nullopt;
}

} // namespace dbops
