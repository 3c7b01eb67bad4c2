#pragma once

#include "worker/WorkerTypes.h"

#include <QMutex>
#include <QObject>
#include <memory>

namespace dbops {

class GuardedWrite;

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
    /// The one guarded path (GuardedWrite): what a write would do and what would stop it ...
    void review(int jobId, std::shared_ptr<const dbops::MigrationRepository> repository,
        const dbops::ConnectionTarget& target, const dbops::WriteRequest& request);
    /// ... and the write itself, with the answers the dialog collected.
    void write(int jobId, std::shared_ptr<const dbops::MigrationRepository> repository,
        const dbops::WriteReview& review, const dbops::WriteAnswers& answers);
    /// Audits against `target` ("head": the committed snapshot; else a shadow replay).
    void audit(int jobId, std::shared_ptr<const dbops::MigrationRepository> repository, const QString& target,
        const dbops::ConnectionTarget& connection);
    void runChecks(int jobId, const QString& repositoryDirectory);

Q_SIGNALS:
    void connectionTested(int jobId, bool ok, const QString& serverDescription, const dbops::Error& error);
    void connected(int jobId, const dbops::DatabaseStatus& status);
    void statusRefreshed(int jobId, const dbops::DatabaseStatus& status);
    void failed(int jobId, const dbops::Error& error);
    void runProgress(int jobId, const dbops::RunEvent& event);
    void reviewed(int jobId, const dbops::WriteReview& review);
    void writeFinished(int jobId, const dbops::WriteOutcome& outcome);
    void auditFinished(int jobId, const dbops::AuditReport& report, const dbops::AuditSubject& subject,
        const dbops::AuditOutline& outline);
    void checksFinished(
        int jobId, const dbops::CheckReport& report, const QList<dbops::FixDefinition>& fixes);

private:
    std::optional<DatabaseStatus> readStatus(int jobId);
    /// A review, a write or an audit needs the connection and a repository; else failed().
    bool readyWithRepository(int jobId, const MigrationRepository* repository);
    void open(int jobId, const ConnectionTarget& target);
    /// `target` with the password the keychain gave for this connection (the
    /// GUI never holds it): for the audit's shadow server and for fixes.
    ConnectionTarget withPassword(ConnectionTarget target) const;

    std::unique_ptr<DatabaseConnection> m_connection;
    QString m_versionTable;
    std::optional<ConnectionTarget> m_target; ///< as connected, with the keychain's password
    int m_pendingConnect = 0; ///< the connect waiting for the keychain; 0: none
    QMutex m_cancelMutex;
    GuardedWrite* m_activeWrite = nullptr; ///< guarded by m_cancelMutex
    std::shared_ptr<QueryCanceller> m_canceller;
};

} // namespace dbops
