#include "fleet/FleetStatusController.h"

#include "common/ThreadHandoff.h"
#include "migrations/MigrationRepository.h"
#include "worker/WorkerTypes.h"

namespace dbops {

FleetStatusController::FleetStatusController(QObject* parent)
    : QObject(parent)
{
    registerWorkerMetaTypes();
    qRegisterMetaType<dbops::FleetDatabaseStatus>("dbops::FleetDatabaseStatus");
    qRegisterMetaType<QList<dbops::FleetDatabaseStatus>>("QList<dbops::FleetDatabaseStatus>");
    m_thread.setObjectName(QStringLiteral("dbops-fleet"));
    auto* worker = new FleetStatusWorker;
    ThreadHandoff::install(); // a TSan build sees the queued handoffs
    worker->moveToThread(&m_thread);
    m_worker = worker;
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    const auto finish = [this](int job) {
        if (job != m_currentJob)
            return false; // a request since replaced
        m_currentJob = 0;
        Q_EMIT busyChanged(false);
        return true;
    };
    connect(worker, &FleetStatusWorker::statusRead, this,
        [this, finish](int job, const QString& group, const QList<FleetDatabaseStatus>& statuses) {
            if (finish(job))
                Q_EMIT statusRead(group, statuses);
        });
    connect(worker, &FleetStatusWorker::failed, this, [this, finish](int job, const Error& error) {
        if (finish(job))
            Q_EMIT failed(error);
    });
    m_thread.start();
}

FleetStatusController::~FleetStatusController()
{
    // A read in progress ends within its connect timeouts; the thread waits for it.
    m_thread.quit();
    m_thread.wait();
}

int FleetStatusController::readGroup(const QString& group, const ProfileStore& store,
    std::shared_ptr<const MigrationRepository> repository, const FleetStatusOptions& options)
{
    const bool wasBusy = isBusy();
    m_currentJob = m_nextJob++;
    if (!wasBusy)
        Q_EMIT busyChanged(true);
    const ThreadHandoff::Scope handoff; // what precedes it comes first, as Qt orders it
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, job = m_currentJob, group, store, repository = std::move(repository), options] {
            if (worker)
                worker->read(job, group, store, repository, options);
        },
        Qt::QueuedConnection);
    return m_currentJob;
}

void FleetStatusWorker::read(int job, const QString& group, const ProfileStore& store,
    std::shared_ptr<const MigrationRepository> repository, const FleetStatusOptions& options)
{
    if (!repository) {
        Q_EMIT failed(job, Error::input(QStringLiteral("no migration repository is loaded")));
        return;
    }
    Result<QList<FleetMember>> members = FleetMembers::fromGroup(group, store);
    if (!members) {
        Q_EMIT failed(job, members.error());
        return;
    }
    const QString versionTable = repository->versionTable();
    for (FleetMember& member : members.value())
        member.target.adoptVersionTable(versionTable);
    FleetMembers::readKeychainPasswords(members.value());
    // The console's repository carries its SQL: verify what was applied too.
    FleetStatusOptions withVerify = options;
    withVerify.verifyApplied = true;
    Q_EMIT statusRead(job, group, FleetStatusReader::read(*members, repository->graph(), withVerify));
}

} // namespace dbops
