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
    /// Reads a profile's password from the keychain first (without blocking the
    /// thread: the lookup finishes in this thread's event loop), then connects.
    void connectTo(int jobId, const dbops::ConnectionTarget& target);
    void refresh(int jobId);
    void disconnectFromDatabase();
    void run(int jobId, const dbops::RunRequest& request);
    /// Audits against `target` ("head": the committed snapshot; else a shadow replay).
    void audit(int jobId, std::shared_ptr<const dbops::MigrationRepository> repository, const QString& target,
        const dbops::ConnectionTarget& connection);
    void runChecks(int jobId, const QString& repositoryDirectory);
    /// A fix opens its own connection through FixRunner (guards, one transaction, journal).
    void runFix(int jobId, const QString& repositoryDirectory, const QString& fixName,
        const dbops::ConnectionTarget& connection, const QString& confirmation);

Q_SIGNALS:
    void connectionTested(int jobId, bool ok, const QString& serverDescription, const dbops::Error& error);
    void connected(int jobId, const dbops::DatabaseStatus& status);
    void statusRefreshed(int jobId, const dbops::DatabaseStatus& status);
    void failed(int jobId, const dbops::Error& error);
    void runProgress(int jobId, const dbops::RunEvent& event);
    void runFinished(int jobId, const dbops::RunResult& result);
    void auditFinished(int jobId, const dbops::AuditReport& report, const dbops::AuditSubject& subject,
        const dbops::AuditOutline& outline);
    void checksFinished(
        int jobId, const dbops::CheckReport& report, const QList<dbops::FixDefinition>& fixes);
    void fixFinished(int jobId, const dbops::FixOutcome& outcome);

private:
    std::optional<DatabaseStatus> readStatus(int jobId);
    void open(int jobId, const ConnectionTarget& target);
    /// `target` with the password the keychain gave for this connection (the
    /// GUI never holds it): for the audit's shadow server and for fixes.
    ConnectionTarget withPassword(ConnectionTarget target) const;

    std::unique_ptr<DatabaseConnection> m_connection;
    QString m_versionTable;
    std::optional<ConnectionTarget> m_target; ///< as connected, with the keychain's password
    int m_pendingConnect = 0; ///< the connect waiting for the keychain; 0: none
    QMutex m_cancelMutex;
    MigrationRunner* m_activeRunner = nullptr;
    std::shared_ptr<QueryCanceller> m_canceller;
};

} // namespace dbops
