#include "worker/DatabaseController.h"

#include "common/ThreadHandoff.h"
#include "worker/DatabaseWorker.h"

namespace dbops {

DatabaseController::DatabaseController(QObject* parent)
    : QObject(parent)
{
    registerWorkerMetaTypes();
    m_thread.setObjectName(QStringLiteral("dbops-database"));
    auto* worker = new DatabaseWorker;
    ThreadHandoff::install(); // a TSan build sees the queued handoffs
    worker->moveToThread(&m_thread);
    m_worker = worker;
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);

    connect(worker, &DatabaseWorker::connectionTested, this,
        [this](int job, bool ok, const QString& text, const Error& error) {
            if (acceptResult(job, true))
                Q_EMIT connectionTested(ok, text, error);
        });
    connect(worker, &DatabaseWorker::connected, this, [this](int job, const DatabaseStatus& status) {
        if (acceptResult(job, true))
            Q_EMIT connected(status);
    });
    connect(worker, &DatabaseWorker::connectionStateChanged, this,
        [this](int connection, const ConnectionState& state) {
            if (connection != 0 && connection == m_connectJob)
                Q_EMIT connectionStateChanged(state); // else: a connection since left
        });
    connect(worker, &DatabaseWorker::statusRefreshed, this, [this](int job, const DatabaseStatus& status) {
        if (acceptResult(job, true))
            Q_EMIT statusRefreshed(status);
    });
    connect(worker, &DatabaseWorker::failed, this, [this](int job, const Error& error) {
        if (job == m_connectJob && job == m_currentJob)
            m_connectJob = 0; // the connect failed: no connection to follow
        if (acceptResult(job, true))
            Q_EMIT failed(error);
    });
    connect(worker, &DatabaseWorker::runProgress, this, [this](int job, const RunEvent& event) {
        if (acceptResult(job, false))
            Q_EMIT runProgress(event);
    });
    connect(worker, &DatabaseWorker::reviewed, this, [this](int job, const WriteReview& review) {
        if (acceptResult(job, true))
            Q_EMIT reviewed(review);
    });
    connect(worker, &DatabaseWorker::rehearsed, this, [this](int job, const RehearsalReport& report) {
        if (acceptResult(job, true))
            Q_EMIT rehearsed(report);
    });
    connect(worker, &DatabaseWorker::writeFinished, this, [this](int job, const WriteOutcome& outcome) {
        if (acceptResult(job, true))
            Q_EMIT writeFinished(outcome);
    });
    connect(worker, &DatabaseWorker::auditFinished, this,
        [this](int job, const AuditReport& report, const AuditSubject& subject, const AuditOutline& outline) {
            if (acceptResult(job, true))
                Q_EMIT auditFinished(report, subject, outline);
        });
    connect(worker, &DatabaseWorker::checksFinished, this,
        [this](int job, const CheckReport& report, const QList<FixDefinition>& fixes) {
            if (acceptResult(job, true))
                Q_EMIT checksFinished(report, fixes);
        });
    connect(worker, &DatabaseWorker::recoveryInspected, this, [this](int job, const RecoveryReport& report) {
        if (acceptResult(job, true))
            Q_EMIT recoveryInspected(report);
    });
    m_thread.start();
}

DatabaseController::~DatabaseController()
{
    cancel();
    if (m_worker) {
        const ThreadHandoff::Scope handoff;
        QMetaObject::invokeMethod(m_worker, "disconnectFromDatabase", Qt::QueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
}

int DatabaseController::startJob()
{
    const bool wasBusy = isBusy();
    m_currentJob = m_nextJob++;
    if (!wasBusy)
        Q_EMIT busyChanged(true);
    return m_currentJob;
}

bool DatabaseController::acceptResult(int jobId, bool finishesJob)
{
    if (jobId != m_currentJob)
        return false; // a job since replaced or cancelled
    if (finishesJob) {
        m_currentJob = 0;
        Q_EMIT busyChanged(false);
    }
    return true;
}

template<typename Call> void DatabaseController::queue(Call call)
{
    const ThreadHandoff::Scope handoff; // what precedes it comes first, as Qt orders it
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker.data(), call] { call(worker); }, Qt::QueuedConnection);
}

template<typename Call> int DatabaseController::queueJob(Call call)
{
    const int job = startJob();
    queue([job, call](DatabaseWorker* worker) { call(worker, job); });
    return job;
}

int DatabaseController::testConnection(const ConnectionSettings& settings)
{
    return queueJob([settings](DatabaseWorker* worker, int job) { worker->testConnection(job, settings); });
}

int DatabaseController::connectTo(
    const ConnectionTarget& target, std::shared_ptr<const MigrationRepository> repository)
{
    m_connectJob = queueJob([target, repository](DatabaseWorker* worker, int job) {
        worker->connectTo(job, target, repository);
    });
    return m_connectJob;
}

int DatabaseController::connectTo(const ConnectionSettings& settings, const QString& versionTable)
{
    ConnectionTarget target;
    target.settings = settings;
    target.versionTable = versionTable;
    return connectTo(target);
}

int DatabaseController::refresh()
{
    return queueJob([](DatabaseWorker* worker, int job) { worker->refresh(job); });
}

void DatabaseController::disconnectFromDatabase()
{
    m_connectJob = 0;
    if (isBusy()) {
        m_currentJob = 0;
        Q_EMIT busyChanged(false);
    }
    queue([](DatabaseWorker* worker) { worker->disconnectFromDatabase(); });
}

bool DatabaseController::cancelConnect()
{
    if (!isConnecting())
        return false;
    if (m_worker)
        m_worker->cancelConnect(m_connectJob); // thread-safe: an atomic the worker reads after libpq returns
    disconnectFromDatabase();
    return true;
}

void DatabaseController::setConnectionTiming(int keepaliveMs, int firstReconnectMs, int maxReconnectMs)
{
    queue([keepaliveMs, firstReconnectMs, maxReconnectMs](DatabaseWorker* worker) {
        worker->setConnectionTiming(keepaliveMs, firstReconnectMs, maxReconnectMs);
    });
}

int DatabaseController::review(std::shared_ptr<const MigrationRepository> repository,
    const ConnectionTarget& target, const WriteRequest& request)
{
    return queueJob([repository, target, request](DatabaseWorker* worker, int job) {
        worker->review(job, repository, target, request);
    });
}

int DatabaseController::rehearse(std::shared_ptr<const MigrationRepository> repository,
    const ConnectionTarget& target, const WriteRequest& request, const RehearsalOptions& options)
{
    return queueJob([repository, target, request, options](DatabaseWorker* worker, int job) {
        worker->rehearse(job, repository, target, request, options);
    });
}

int DatabaseController::write(std::shared_ptr<const MigrationRepository> repository,
    const WriteReview& review, const WriteAnswers& answers)
{
    return queueJob([repository, review, answers](DatabaseWorker* worker, int job) {
        worker->write(job, repository, review, answers);
    });
}

int DatabaseController::audit(std::shared_ptr<const MigrationRepository> repository, const QString& target,
    const ConnectionTarget& connection)
{
    return queueJob([repository, target, connection](DatabaseWorker* worker, int job) {
        worker->audit(job, repository, target, connection);
    });
}

int DatabaseController::runChecks(const QString& repositoryDirectory)
{
    return queueJob([repositoryDirectory](
                        DatabaseWorker* worker, int job) { worker->runChecks(job, repositoryDirectory); });
}

int DatabaseController::inspectRecovery(
    std::shared_ptr<const MigrationRepository> repository, const ConnectionTarget& target)
{
    return queueJob([repository, target](DatabaseWorker* worker, int job) {
        worker->inspectRecovery(job, repository, target);
    });
}

void DatabaseController::cancel()
{
    if (m_worker)
        m_worker->cancel(); // thread-safe by design: an atomic flag and PQcancel
}

} // namespace dbops
