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
    int connectTo(const ConnectionTarget& target);
    int connectTo(const ConnectionSettings& settings, const QString& versionTable);
    int refresh();
    void disconnectFromDatabase();
    /// GuardedWrite::review in the worker: reviewed() with what the write would do.
    int review(std::shared_ptr<const MigrationRepository> repository, const ConnectionTarget& target,
        const WriteRequest& request);
    /// GuardedWrite::execute in the worker: runProgress() then writeFinished().
    int write(std::shared_ptr<const MigrationRepository> repository, const WriteReview& review,
        const WriteAnswers& answers);
    int audit(std::shared_ptr<const MigrationRepository> repository, const QString& target,
        const ConnectionTarget& connection);
    int runChecks(const QString& repositoryDirectory);
    /// Cancels the running job: flag plus a server-side cancel, from this thread.
    void cancel();

    bool isBusy() const { return m_currentJob != 0; }
    int currentJob() const { return m_currentJob; }

Q_SIGNALS:
    void connectionTested(bool ok, const QString& serverDescription, const dbops::Error& error);
    void connected(const dbops::DatabaseStatus& status);
    void statusRefreshed(const dbops::DatabaseStatus& status);
    void failed(const dbops::Error& error);
    void runProgress(const dbops::RunEvent& event);
    void reviewed(const dbops::WriteReview& review);
    void writeFinished(const dbops::WriteOutcome& outcome);
    void auditFinished(const dbops::AuditReport& report, const dbops::AuditSubject& subject,
        const dbops::AuditOutline& outline);
    void checksFinished(const dbops::CheckReport& report, const QList<dbops::FixDefinition>& fixes);
    void busyChanged(bool busy);

private:
    int startJob();
    bool acceptResult(int jobId, bool finishesJob);

    QThread m_thread;
    QPointer<DatabaseWorker> m_worker;
    int m_nextJob = 1;
    int m_currentJob = 0;
};

} // namespace dbops
