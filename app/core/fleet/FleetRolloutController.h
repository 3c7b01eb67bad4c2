#pragma once

#include "connection/ProfileStore.h"
#include "fleet/FleetRollout.h"
#include "worker/WorkerTypes.h"

#include <QMetaType>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <memory>

namespace dbops {

class FleetRolloutWorker;
class MigrationRepository;

/// The console's side of `fleet upgrade`: owns a QThread ("dbops-rollout")
/// and a FleetRolloutWorker living in it.  The worker resolves the group,
/// asks FleetRollout::refusalsBeforeStarting() (the same rules as the CLI:
/// refused() and nothing runs) and runs the rollout, whose batches use
/// threads of their own, each with its own connection.  cancel() is direct
/// and thread-safe: the running databases are cancelled server-side.
class FleetRolloutController : public QObject
{
    Q_OBJECT
public:
    explicit FleetRolloutController(QObject* parent = nullptr);
    ~FleetRolloutController() override;

    void run(const QString& group, const ProfileStore& store,
        std::shared_ptr<const MigrationRepository> repository, const FleetRolloutOptions& options);
    void cancel();
    bool isRunning() const { return m_running; }
    /// The journal the rollout writes to (tests point it elsewhere); default: the user's.
    void setJournal(const RunJournal& journal);

Q_SIGNALS:
    void progress(const QString& line);
    void refused(const dbops::ErrorList& refusals);
    void finished(const dbops::FleetRolloutReport& report);
    void runningChanged(bool running);

private:
    QThread m_thread;
    QPointer<FleetRolloutWorker> m_worker;
    bool m_running = false;
    RunJournal m_journal;
};

/// Lives in FleetRolloutController's thread.
class FleetRolloutWorker : public QObject
{
    Q_OBJECT
public:
    void run(const QString& group, const ProfileStore& store,
        std::shared_ptr<const MigrationRepository> repository, const FleetRolloutOptions& options,
        const RunJournal& journal);
    /// From any thread.
    void cancel();

Q_SIGNALS:
    void progress(const QString& line);
    void refused(const dbops::ErrorList& refusals);
    void finished(const dbops::FleetRolloutReport& report);

private:
    QMutex m_mutex;
    FleetRollout* m_rollout = nullptr; ///< guarded by m_mutex; the one running
    bool m_cancelRequested = false; ///< guarded by m_mutex
};

} // namespace dbops

Q_DECLARE_METATYPE(dbops::FleetRolloutReport)
