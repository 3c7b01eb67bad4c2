#pragma once

#include "worker/WorkerTypes.h"

#include <QObject>
#include <QPointer>
#include <QThread>

namespace dbops {

class DatabaseWorker;

/// The GUI side of database work: owns a QThread and a DatabaseWorker that
/// lives in it, starts jobs with fresh ids by queued calls, and forwards only
/// the results of the job still wanted (stale results of replaced or
/// cancelled jobs are dropped).  No blocking calls, no QThread subclass.
class DatabaseController : public QObject
{
    Q_OBJECT
public:
    explicit DatabaseController(QObject* parent = nullptr);
    ~DatabaseController() override;

    int testConnection(const ConnectionSettings& settings);
    /// Connects to a target; a profile's keychain password is read in the worker.
    /// With `repository`, the status connected() gives has its verify findings.
    int connectTo(const ConnectionTarget& target, std::shared_ptr<const MigrationRepository> repository = {});
    int connectTo(const ConnectionSettings& settings, const QString& versionTable);
    /// Re-reads where the database stands; after a lost connection the
    /// worker reconnects first (at once, not at the next backoff tick).
    int refresh();
    void disconnectFromDatabase();
    /// Gives up the connect in progress: its answer is dropped and the window
    /// is free at once.  libpq cannot be interrupted, so the worker closes that
    /// connection when it returns (within the target's connect_timeout); jobs
    /// started meanwhile wait for it.  False when no connect was in progress.
    bool cancelConnect();
    bool isConnecting() const { return m_connectJob != 0 && m_connectJob == m_currentJob; }
    /// Keepalive interval while idle, and the backoff of automatic reconnects.
    void setConnectionTiming(int keepaliveMs, int firstReconnectMs, int maxReconnectMs);
    /// GuardedWrite::review in the worker: reviewed() with what the write would do.
    int review(std::shared_ptr<const MigrationRepository> repository, const ConnectionTarget& target,
        const WriteRequest& request);
    /// GuardedWrite::execute in the worker: runProgress() then writeFinished().
    int write(std::shared_ptr<const MigrationRepository> repository, const WriteReview& review,
        const WriteAnswers& answers);
    int audit(std::shared_ptr<const MigrationRepository> repository, const QString& target,
        const ConnectionTarget& connection);
    int runChecks(const QString& repositoryDirectory);
    /// Rehearsal::run in the worker (the database only read): rehearsed() or failed().
    int rehearse(std::shared_ptr<const MigrationRepository> repository, const ConnectionTarget& target,
        const WriteRequest& request, const RehearsalOptions& options);
    /// RecoveryInspector::inspect in the worker (read-only: the version table,
    /// the journal's last run, the first pending revision's objects, INVALID
    /// indexes): recoveryInspected() or failed().
    int inspectRecovery(
        std::shared_ptr<const MigrationRepository> repository, const ConnectionTarget& target);
    /// Cancels the running job: flag plus a server-side cancel, from this thread.
    void cancel();

    bool isBusy() const { return m_currentJob != 0; }
    int currentJob() const { return m_currentJob; }

Q_SIGNALS:
    void connectionTested(bool ok, const QString& serverDescription, const dbops::Error& error);
    void connected(const dbops::DatabaseStatus& status);
    /// The connection of the last connect changed state: lost, a reconnect failed, reconnected.
    void connectionStateChanged(const dbops::ConnectionState& state);
    void statusRefreshed(const dbops::DatabaseStatus& status);
    void failed(const dbops::Error& error);
    void runProgress(const dbops::RunEvent& event);
    void reviewed(const dbops::WriteReview& review);
    void rehearsed(const dbops::RehearsalReport& report);
    void writeFinished(const dbops::WriteOutcome& outcome);
    void auditFinished(const dbops::AuditReport& report, const dbops::AuditSubject& subject,
        const dbops::AuditOutline& outline);
    void checksFinished(const dbops::CheckReport& report, const QList<dbops::FixDefinition>& fixes);
    void recoveryInspected(const dbops::RecoveryReport& report);
    void busyChanged(bool busy);

private:
    int startJob();
    /// Runs `call(worker)` on the worker's thread, after what was queued before.
    template<typename Call> void queue(Call call);
    /// Starts a job: `call(worker, job)` queued as queue() does; the job's id.
    template<typename Call> int queueJob(Call call);
    bool acceptResult(int jobId, bool finishesJob);

    QThread m_thread;
    QPointer<DatabaseWorker> m_worker;
    int m_nextJob = 1;
    int m_currentJob = 0;
    int m_connectJob = 0; ///< the connect whose connection the states are about; 0: none
};

} // namespace dbops
