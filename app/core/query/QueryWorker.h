#pragma once

#include "connection/ConnectionTarget.h"
#include "query/QueryResult.h"
#include "query/ReadOnlyQuery.h"
#include "worker/WorkerTypes.h"

#include <QMutex>
#include <QObject>
#include <memory>

namespace dbops {

class DatabaseConnection;

/// Lives in the QueryController's thread and runs the query console's
/// queries there, on a connection of its own: a long query never holds up
/// the console's DatabaseWorker (status, audit, runs).  The connection stays
/// open between queries and is opened again for another target or after it
/// was lost; a profile's keychain password is read here, right before
/// connecting, and never leaves this thread.
class QueryWorker : public QObject
{
    Q_OBJECT
public:
    explicit QueryWorker(QObject* parent = nullptr);
    ~QueryWorker() override;

    /// Thread-safe: cancels job `jobId` when it runs, or before it starts.
    void cancel(int jobId);
    /// In the worker's thread (the controller queues it): connects if needed, runs, finished().
    void run(int jobId, const dbops::ConnectionTarget& target, const QString& sql,
        const dbops::ReadOnlyQuery::Options& options);

public Q_SLOTS:
    void disconnectFromDatabase();

Q_SIGNALS:
    void finished(int jobId, const dbops::QueryResult& result);

private:
    void runConnected(
        int jobId, const ConnectionTarget& target, const QString& sql, const ReadOnlyQuery::Options& options);
    void fail(int jobId, const Error& error, const ReadOnlyQuery::Options& options);

    std::unique_ptr<DatabaseConnection> m_connection;
    QString m_connectedTo; ///< ConnectionTarget::describe() of m_connection
    int m_pendingConnect = 0; ///< the job waiting for the keychain; 0: none
    QMutex m_cancelMutex;
    ReadOnlyQuery* m_active = nullptr; ///< guarded by m_cancelMutex
    int m_activeJob = 0; ///< guarded by m_cancelMutex
    int m_cancelledJob = 0; ///< guarded by m_cancelMutex: cancelled before it started
};

} // namespace dbops
