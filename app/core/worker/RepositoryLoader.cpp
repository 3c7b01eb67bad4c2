#include "worker/RepositoryLoader.h"

#include "common/ThreadHandoff.h"
#include "worker/RepositoryLoadWorker.h"

namespace dbops {

RepositoryLoader::RepositoryLoader(QObject* parent)
    : QObject(parent)
{
    registerWorkerMetaTypes();
    m_thread.setObjectName(QStringLiteral("dbops-repository"));
    auto* worker = new RepositoryLoadWorker;
    ThreadHandoff::install(); // a TSan build sees the queued handoffs
    worker->moveToThread(&m_thread);
    m_worker = worker;
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &RepositoryLoadWorker::loaded, this, [this](int job, const LoadedRepository& result) {
        if (job != m_currentJob)
            return; // replaced by a newer load
        m_currentJob = 0;
        m_loadingDirectory.clear();
        Q_EMIT loaded(result);
    });
    m_thread.start();
}

RepositoryLoader::~RepositoryLoader()
{
    // A load cannot be interrupted; waiting for it is bounded by one parse.
    m_thread.quit();
    m_thread.wait();
}

int RepositoryLoader::load(const QString& directory)
{
    m_currentJob = m_nextJob++;
    m_loadingDirectory = directory;
    const ThreadHandoff::Scope handoff; // what precedes it comes first, as Qt orders it
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, job = m_currentJob, directory] { worker->load(job, directory); },
        Qt::QueuedConnection);
    return m_currentJob;
}

} // namespace dbops
