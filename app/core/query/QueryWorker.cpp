#include "query/QueryWorker.h"

#include "connection/DatabaseConnection.h"
#include "connection/PasswordStore.h"

namespace dbops {

QueryWorker::QueryWorker(QObject* parent)
    : QObject(parent)
{ }

QueryWorker::~QueryWorker() = default;

void QueryWorker::cancel(int jobId)
{
    QMutexLocker lock(&m_cancelMutex);
    if (m_active && m_activeJob == jobId)
        m_active->requestCancel();
    else
        m_cancelledJob = jobId;
}

void QueryWorker::fail(int jobId, const Error& error, const ReadOnlyQuery::Options& options)
{
    QueryResult result;
    result.status = QueryResult::Status::Failed;
    result.error = error;
    result.rowLimit = options.rowLimit;
    result.statementTimeoutSeconds = options.effectiveTimeoutSeconds();
    Q_EMIT finished(jobId, result);
}

void QueryWorker::run(
    int jobId, const ConnectionTarget& target, const QString& sql, const ReadOnlyQuery::Options& options)
{
    if (m_connection && m_connectedTo == target.describe() && m_connection->isAlive()) {
        runConnected(jobId, target, sql, options);
        return;
    }
    disconnectFromDatabase();
    if (!target.needsKeychainPassword()) {
        runConnected(jobId, target, sql, options);
        return;
    }
    m_pendingConnect = jobId;
    PasswordStore::readAsync(target.profile->keychainKey(), this,
        [this, jobId, target, sql, options](const Result<QString>& password) {
            if (m_pendingConnect != jobId)
                return; // disconnected or replaced by another query meanwhile
            m_pendingConnect = 0;
            ConnectionTarget resolved = target;
            resolved.applyKeychainAnswer(password); // none: libpq's .pgpass takes over
            runConnected(jobId, resolved, sql, options);
        });
}

void QueryWorker::runConnected(
    int jobId, const ConnectionTarget& target, const QString& sql, const ReadOnlyQuery::Options& options)
{
    ReadOnlyQuery query(options);
    {
        QMutexLocker lock(&m_cancelMutex);
        if (m_cancelledJob == jobId)
            query.requestCancel();
        m_active = &query;
        m_activeJob = jobId;
    }
    // Refused text needs no connection: say so without connecting.
    const Result<SqlStatementList> checked = ReadOnlyQuery::readStatements(sql);
    if (checked && !m_connection) {
        Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(target.settings);
        if (!connection) {
            {
                QMutexLocker lock(&m_cancelMutex);
                m_active = nullptr;
                m_activeJob = 0;
            }
            fail(jobId, connection.error(), options);
            return;
        }
        m_connection = std::move(connection).value();
        m_connectedTo = target.describe();
    }
    QueryResult result;
    if (checked) {
        result = query.run(*m_connection, sql);
    } else {
        result.status = QueryResult::Status::Refused;
        result.error = checked.error();
        result.rowLimit = options.rowLimit;
        result.statementTimeoutSeconds = options.effectiveTimeoutSeconds();
    }
    {
        QMutexLocker lock(&m_cancelMutex);
        m_active = nullptr;
        m_activeJob = 0;
    }
    Q_EMIT finished(jobId, result);
}

void QueryWorker::disconnectFromDatabase()
{
    m_pendingConnect = 0;
    m_connection.reset();
    m_connectedTo.clear();
}

} // namespace dbops
