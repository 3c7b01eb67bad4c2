#include "catalog/SnapshotHelperConnection.h"

#include <algorithm>
#include <vector>

namespace dbops {

SnapshotHelperConnection::SnapshotHelperConnection(const ConnectionSettings& settings)
    : m_settings(settings)
    , m_thread([this] { work(); })
{ }

SnapshotHelperConnection::~SnapshotHelperConnection()
{
    provideSnapshot({}, {});
    if (m_thread.joinable())
        m_thread.join();
    if (m_cancel)
        PQfreeCancel(m_cancel);
    if (m_connection)
        PQfinish(m_connection);
}

void SnapshotHelperConnection::provideSnapshot(
    const QByteArray& id, const QList<LibpqPipeline::Statement>& queries)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_snapshotGiven)
        return;
    m_snapshotGiven = true;
    m_queries = queries; // read by the helper's thread once the promise is kept
    m_snapshot.set_value(id);
}

void SnapshotHelperConnection::cancel()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_cancel) {
        char message[256];
        PQcancel(m_cancel, message, sizeof message);
    }
}

bool SnapshotHelperConnection::finish(CatalogReader::Statistics& statistics)
{
    if (m_thread.joinable())
        m_thread.join();
    statistics.statements += m_statistics.statements;
    statistics.roundTrips = std::max(statistics.roundTrips, m_statistics.roundTrips);
    if (m_succeeded)
        ++statistics.connections;
    return m_succeeded;
}

void SnapshotHelperConnection::work()
{
    std::future<QByteArray> snapshot = m_snapshot.get_future();
    if (!connect())
        return;
    const QByteArray id = snapshot.get();
    if (id.isEmpty())
        return;
    char* quoted = PQescapeLiteral(m_connection, id.constData(), static_cast<size_t>(id.size()));
    if (!quoted)
        return;
    const QByteArray setSnapshot = QByteArrayLiteral("SET TRANSACTION SNAPSHOT ") + quoted;
    PQfreemem(quoted);
    QList<LibpqPipeline::Statement> batch {
        { {}, QByteArrayLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), {}, {}, nullptr },
        { {}, setSnapshot, {}, {}, nullptr },
        { {}, QByteArrayLiteral("SET LOCAL search_path = pg_catalog"), {}, {}, nullptr }
    };
    batch.append(m_queries);
    const QList<LibpqPipeline::Statement> rollback { { {}, QByteArrayLiteral("ROLLBACK"), {}, {}, nullptr } };
    LibpqPipeline pipeline(m_connection, m_settings, m_statistics);
    m_succeeded = !pipeline.run({ batch, rollback });
}

bool SnapshotHelperConnection::connect()
{
    // The main connection's settings, so the server prints definitions alike
    // (options such as -c quote_all_identifiers=on included).
    QList<QByteArray> keys;
    QList<QByteArray> values;
    QMap<QString, QString> keywords = m_settings.keywords();
    if (!keywords.contains(QStringLiteral("application_name")))
        keywords.insert(QStringLiteral("application_name"), QStringLiteral("dbops"));
    keywords.insert(QStringLiteral("client_encoding"), QStringLiteral("UTF8"));
    for (auto it = keywords.cbegin(); it != keywords.cend(); ++it) {
        keys.append(it.key().toUtf8());
        values.append(it.value().toUtf8());
    }
    if (m_settings.hasPassword()) {
        keys.append(QByteArrayLiteral("password"));
        values.append(m_settings.password().toUtf8());
    }
    std::vector<const char*> keyPointers;
    std::vector<const char*> valuePointers;
    for (int i = 0; i < keys.size(); ++i) {
        keyPointers.push_back(keys.at(i).constData());
        valuePointers.push_back(values.at(i).constData());
    }
    keyPointers.push_back(nullptr);
    valuePointers.push_back(nullptr);
    PGconn* connection = PQconnectdbParams(keyPointers.data(), valuePointers.data(), 0);
    if (!connection || PQstatus(connection) != CONNECTION_OK) {
        PQfinish(connection);
        return false;
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    m_connection = connection;
    m_cancel = PQgetCancel(connection);
    return true;
}

} // namespace dbops
