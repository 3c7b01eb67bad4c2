#include "fleet/FleetRolloutController.h"

#include "common/ThreadHandoff.h"
#include "migrations/MigrationRepository.h"

namespace dbops {

FleetRolloutController::FleetRolloutController(QObject* parent)
    : QObject(parent)
{
    registerWorkerMetaTypes();
    qRegisterMetaType<dbops::FleetRolloutReport>("dbops::FleetRolloutReport");
    qRegisterMetaType<dbops::ErrorList>("dbops::ErrorList");
    m_thread.setObjectName(QStringLiteral("dbops-rollout"));
    auto* worker = new FleetRolloutWorker;
    ThreadHandoff::install(); // a TSan build sees the queued handoffs
    worker->moveToThread(&m_thread);
    m_worker = worker;
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &FleetRolloutWorker::progress, this, &FleetRolloutController::progress);
    const auto stop = [this] {
        m_running = false;
        Q_EMIT runningChanged(false);
    };
    connect(worker, &FleetRolloutWorker::refused, this, [this, stop](const ErrorList& refusals) {
        stop();
        Q_EMIT refused(refusals);
    });
    connect(worker, &FleetRolloutWorker::finished, this, [this, stop](const FleetRolloutReport& report) {
        stop();
        Q_EMIT finished(report);
    });
    m_thread.start();
}

FleetRolloutController::~FleetRolloutController()
{
    cancel();
    m_thread.quit();
    m_thread.wait();
}

void FleetRolloutController::setJournal(const RunJournal& journal)
{
    m_journal = journal;
}

void FleetRolloutController::run(const QString& group, const ProfileStore& store,
    std::shared_ptr<const MigrationRepository> repository, const FleetRolloutOptions& options)
{
    if (m_running)
        return;
    m_running = true;
    Q_EMIT runningChanged(true);
    const ThreadHandoff::Scope handoff; // what precedes it comes first, as Qt orders it
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, group, store, repository = std::move(repository), options, journal = m_journal] {
            if (worker)
                worker->run(group, store, repository, options, journal);
        },
        Qt::QueuedConnection);
}

void FleetRolloutController::cancel()
{
    if (m_worker && m_running)
        m_worker->cancel();
}

void FleetRolloutWorker::cancel()
{
    QMutexLocker lock(&m_mutex);
    m_cancelRequested = true;
    if (m_rollout)
        m_rollout->requestCancel();
}

void FleetRolloutWorker::run(const QString& group, const ProfileStore& store,
    std::shared_ptr<const MigrationRepository> repository, const FleetRolloutOptions& options,
    const RunJournal& journal)
{
    {
        QMutexLocker lock(&m_mutex);
        m_cancelRequested = false;
    }
    if (!repository) {
        Q_EMIT refused(ErrorList { Error::input(QStringLiteral("no migration repository is loaded")) });
        return;
    }
    Result<QList<FleetMember>> members = FleetMembers::fromGroup(group, store);
    if (!members) {
        Q_EMIT refused(ErrorList { members.error() });
        return;
    }
    for (FleetMember& member : members.value())
        member.target.adoptVersionTable(repository->versionTable());
    FleetRolloutOptions effective = options;
    effective.fleetName = group;
    if (const ErrorList refusals = FleetRollout::refusalsBeforeStarting(*members, effective);
        !refusals.isEmpty()) {
        Q_EMIT refused(refusals);
        return;
    }
    FleetMembers::readKeychainPasswords(members.value());

    FleetRollout rollout;
    rollout.setJournal(journal);
    rollout.setProgressHandler([this](const QString& line) { Q_EMIT progress(line); });
    {
        QMutexLocker lock(&m_mutex);
        m_rollout = &rollout;
        if (m_cancelRequested)
            rollout.requestCancel();
    }
    const FleetRolloutReport report = rollout.run(*members, *repository, effective);
    {
        QMutexLocker lock(&m_mutex);
        m_rollout = nullptr;
    }
    Q_EMIT finished(report);
}

} // namespace dbops
