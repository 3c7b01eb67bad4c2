#pragma once

#include "worker/WorkerTypes.h"

#include <QMutex>
#include <QObject>
#include <atomic>
#include <memory>

class QTimer;

namespace dbops {

class GuardedWrite;

/// Lives in the controller's thread and does every database call of the
/// console there, on its own QPSQL connection.  Slots are invoked through
/// queued connections with a job id; results come back the same way.
///
/// It also watches the connection: a cheap keepalive query while idle, and
/// every failed job, notice a server that went away.  The connection is then
/// "lost" (connectionStateChanged()): the worker reconnects on its own with
/// backoff, and at once when a job (a refresh) asks for the database.
class DatabaseWorker : public QObject
{
    Q_OBJECT
public:
    explicit DatabaseWorker(QObject* parent = nullptr);
    ~DatabaseWorker() override;

    /// Thread-safe: cancels the running job (flag + server-side cancel).
    void cancel();
    /// Thread-safe: the connect `jobId` is abandoned.  A connect blocked in
    /// libpq cannot be interrupted; when it returns, its connection is closed
    /// at once instead of being read from and kept.
    void cancelConnect(int jobId);

public Q_SLOTS:
    void testConnection(int jobId, const dbops::ConnectionSettings& settings);
    /// Reads a profile's password from the keychain first (without blocking the
    /// thread: the lookup finishes in this thread's event loop), then connects.
    void connectTo(int jobId, const dbops::ConnectionTarget& target,
        std::shared_ptr<const dbops::MigrationRepository> repository);
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
    /// RecoveryInspector::inspect (read-only) with the run journal:
    /// recoveryInspected() or failed().
    void inspectRecovery(int jobId, std::shared_ptr<const dbops::MigrationRepository> repository,
        const dbops::ConnectionTarget& target);
    /// Rehearses the upgrade on a throwaway copy (Rehearsal; the connected
    /// database is only read) and records it: rehearsed() or failed().
    void rehearse(int jobId, std::shared_ptr<const dbops::MigrationRepository> repository,
        const dbops::ConnectionTarget& target, const dbops::WriteRequest& request,
        const dbops::RehearsalOptions& options);
    /// The keepalive's interval while idle, and the backoff of automatic
    /// reconnects (first delay, doubled after each failure up to the maximum).
    void setConnectionTiming(int keepaliveMs, int firstReconnectMs, int maxReconnectMs);

Q_SIGNALS:
    void connectionTested(int jobId, bool ok, const QString& serverDescription, const dbops::Error& error);
    void connected(int jobId, const dbops::DatabaseStatus& status);
    void statusRefreshed(int jobId, const dbops::DatabaseStatus& status);
    void failed(int jobId, const dbops::Error& error);
    void runProgress(int jobId, const dbops::RunEvent& event);
    void reviewed(int jobId, const dbops::WriteReview& review);
    void rehearsed(int jobId, const dbops::RehearsalReport& report);
    void writeFinished(int jobId, const dbops::WriteOutcome& outcome);
    void auditFinished(int jobId, const dbops::AuditReport& report, const dbops::AuditSubject& subject,
        const dbops::AuditOutline& outline);
    void checksFinished(
        int jobId, const dbops::CheckReport& report, const QList<dbops::FixDefinition>& fixes);
    void recoveryInspected(int jobId, const dbops::RecoveryReport& report);
    /// The connection made by connect `connectionId` changed state (lost, reconnected ...).
    void connectionStateChanged(int connectionId, const dbops::ConnectionState& state);

private:
    std::optional<DatabaseStatus> readStatus(int jobId);
    /// The applied checksums against m_verifyRepository, when there is one.
    void verifyInto(DatabaseStatus& status);
    /// A job needs the connection: reconnects first when it was lost; else failed().
    bool ready(int jobId);
    /// A review, a write or an audit needs the connection and a repository; else failed().
    bool readyWithRepository(int jobId, const MigrationRepository* repository);
    void open(int jobId, const ConnectionTarget& target);
    /// Sends failed(); when the connection died under the job, it is lost first.
    void fail(int jobId, Error error);
    /// Takes a freshly opened connection as the one the jobs use.
    void adopt(std::unique_ptr<DatabaseConnection> connection);
    /// Closes the connection; the target stays for reconnects.
    void dropConnection();
    /// The server went away: drop the dead connection, say so, schedule a reconnect.
    void markLost(const Error& why);
    /// One reconnect attempt to the target; false (and the next one scheduled) when it failed.
    bool reconnect();
    /// The keepalive: a cheap query while idle notices a server that went away.
    void keepAlive();
    void setState(ConnectionState::Phase phase, const Error& error = Error());
    /// "lost the connection to X: <why>", whatever (or nothing) the driver said.
    Error lostConnectionError(const Error& cause) const;
    /// `target` with the password the keychain gave for this connection (the
    /// GUI never holds it): for the audit's shadow server and for fixes.
    ConnectionTarget withPassword(ConnectionTarget target) const;

    std::unique_ptr<DatabaseConnection> m_connection;
    QString m_versionTable;
    /// The repository the last review, write or audit brought: what
    /// readStatus verifies the applied checksums against.
    std::shared_ptr<const MigrationRepository> m_verifyRepository;
    std::optional<ConnectionTarget> m_target; ///< as connected, with the keychain's password
    int m_pendingConnect = 0; ///< the connect waiting for the keychain; 0: none
    QMutex m_cancelMutex;
    GuardedWrite* m_activeWrite = nullptr; ///< guarded by m_cancelMutex
    std::shared_ptr<QueryCanceller> m_canceller;
    std::atomic<bool> m_rehearsalCancel { false }; ///< the running rehearsal stops at its next step

    int m_connectionId = 0; ///< the connect job that chose m_target; 0: none
    ConnectionState m_state;
    std::atomic<int> m_cancelledConnect { 0 };
    QTimer* m_keepalive = nullptr;
    QTimer* m_reconnectTimer = nullptr;
    int m_firstReconnectMs = 1000;
    int m_maxReconnectMs = 30000;
};

} // namespace dbops
