#pragma once

#include "connection/ProfileStore.h"
#include "fleet/FleetStatus.h"
#include "worker/WorkerTypes.h"

#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <memory>

namespace dbops {

class FleetStatusWorker;
class MigrationRepository;

/// The console's side of `fleet status`: owns a QThread ("dbops-fleet") and
/// a FleetStatusWorker living in it, the same pattern as DatabaseController.
/// The worker resolves the group's profiles, reads their keychain passwords
/// and runs FleetStatusReader (whose pool threads each open their own
/// connection).  Only the latest request's answer is forwarded.
class FleetStatusController : public QObject
{
    Q_OBJECT
public:
    explicit FleetStatusController(QObject* parent = nullptr);
    ~FleetStatusController() override;

    /// Reads every database of `group`: statusRead() or failed().
    int readGroup(const QString& group, const ProfileStore& store,
        std::shared_ptr<const MigrationRepository> repository,
        const FleetStatusOptions& options = FleetStatusOptions());
    bool isBusy() const { return m_currentJob != 0; }

Q_SIGNALS:
    void statusRead(const QString& group, const QList<dbops::FleetDatabaseStatus>& statuses);
    void failed(const dbops::Error& error);
    void busyChanged(bool busy);

private:
    QThread m_thread;
    QPointer<FleetStatusWorker> m_worker;
    int m_nextJob = 1;
    int m_currentJob = 0;
};

/// Lives in FleetStatusController's thread; blocking calls only there.
class FleetStatusWorker : public QObject
{
    Q_OBJECT
public:
    void read(int job, const QString& group, const ProfileStore& store,
        std::shared_ptr<const MigrationRepository> repository, const FleetStatusOptions& options);

Q_SIGNALS:
    void statusRead(int job, const QString& group, const QList<dbops::FleetDatabaseStatus>& statuses);
    void failed(int job, const dbops::Error& error);
};

} // namespace dbops

Q_DECLARE_METATYPE(dbops::FleetDatabaseStatus)
