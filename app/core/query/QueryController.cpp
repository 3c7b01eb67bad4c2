#include "query/QueryController.h"

#include "common/ThreadHandoff.h"
#include "query/QueryWorker.h"
#include "worker/WorkerTypes.h"

namespace dbops {

QueryController::QueryController(QObject* parent)
    : QObject(parent)
{
    registerWorkerMetaTypes();
    qRegisterMetaType<dbops::QueryResult>("dbops::QueryResult");
    m_thread.setObjectName(QStringLiteral("dbops-query"));
    auto* worker = new QueryWorker;
    ThreadHandoff::install(); // a TSan build sees the queued handoffs
    worker->moveToThread(&m_thread);
    m_worker = worker;
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &QueryWorker::finished, this, [this](int job, const QueryResult& result) {
        if (job != m_currentJob)
            return; // a query since replaced
        m_currentJob = 0;
        Q_EMIT busyChanged(false);
        Q_EMIT finished(result);
    });
    m_thread.start();
}

QueryController::~QueryController()
{
    cancel();
    if (m_worker) {
        const ThreadHandoff::Scope handoff;
        QMetaObject::invokeMethod(m_worker, "disconnectFromDatabase", Qt::QueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
}

int QueryController::run(
    const ConnectionTarget& target, const QString& sql, const ReadOnlyQuery::Options& options)
{
    const bool wasBusy = isBusy();
    if (wasBusy)
        cancel();
    m_currentJob = m_nextJob++;
    if (!wasBusy)
        Q_EMIT busyChanged(true);
    const ThreadHandoff::Scope handoff; // what precedes it comes first, as Qt orders it
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, job = m_currentJob, target, sql, options] {
            if (worker)
                worker->run(job, target, sql, options);
        },
        Qt::QueuedConnection);
    return m_currentJob;
}

void QueryController::cancel()
{
    if (m_worker && m_currentJob != 0)
        m_worker->cancel(m_currentJob);
}

void QueryController::disconnectFromDatabase()
{
    if (m_worker) {
        const ThreadHandoff::Scope handoff;
        QMetaObject::invokeMethod(m_worker, "disconnectFromDatabase", Qt::QueuedConnection);
    }
}

} // namespace dbops
