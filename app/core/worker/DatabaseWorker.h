#pragma once

#include "worker/WorkerTypes.h"

#include <QMutex>
#include <QObject>

#include <memory>

namespace dbops {

/// Lives in the controller's thread and does every database call of the
/// console there, on its own QPSQL connection.  Slots are invoked through
/// queued connections with a job id; results come back the same way.
class DatabaseWorker : public QObject
{
    Q_OBJECT
public:
    explicit DatabaseWorker(QObject* parent = nullptr);
    ~DatabaseWorker() override;

    /// Thread-safe: cancels the running job (flag + server-side cancel).
    void cancel();

public Q_SLOTS:
    void testConnection(int jobId, const dbops::ConnectionSettings& settings);
    void connectTo(int jobId, const dbops::ConnectionSettings& settings, const QString& versionTable);
    void refresh(int jobId);
    void disconnectFromDatabase();
    void run(int jobId, const dbops::RunRequest& request);

Q_SIGNALS:
    void connectionTested(int jobId, bool ok, const QString& serverDescription, const dbops::Error& error);
    void connected(int jobId, const dbops::DatabaseStatus& status);
    void statusRefreshed(int jobId, const dbops::DatabaseStatus& status);
    void failed(int jobId, const dbops::Error& error);
    void runProgress(int jobId, const dbops::RunEvent& event);
    void runFinished(int jobId, const dbops::RunResult& result);

private:
    std::optional<DatabaseStatus> readStatus(int jobId);

    std::unique_ptr<DatabaseConnection> m_connection;
    QString m_versionTable;
    QMutex m_cancelMutex;
    MigrationRunner* m_activeRunner = nullptr;
    std::shared_ptr<QueryCanceller> m_canceller;
};

} // namespace dbops
