#pragma once

#include "worker/WorkerTypes.h"

#include <QObject>
#include <QPointer>
#include <QThread>

namespace dbops {

class RepositoryLoadWorker;

/// The GUI side of loading migration repositories: owns a QThread and a
/// RepositoryLoadWorker in it, as DatabaseController does for the database.
/// A thread of its own, so a repository loads while the database worker is
/// busy (connecting, auditing); the newest request wins and the results of
/// older ones are dropped.
class RepositoryLoader : public QObject
{
    Q_OBJECT
public:
    explicit RepositoryLoader(QObject* parent = nullptr);
    ~RepositoryLoader() override;

    /// Starts loading `directory`; loaded() follows, unless another load replaces this one.
    int load(const QString& directory);
    bool isLoading() const { return m_currentJob != 0; }
    /// The directory of the load in progress, empty when none.
    QString loadingDirectory() const { return m_loadingDirectory; }

Q_SIGNALS:
    void loaded(const dbops::LoadedRepository& result);

private:
    QThread m_thread;
    QPointer<RepositoryLoadWorker> m_worker;
    int m_nextJob = 1;
    int m_currentJob = 0;
    QString m_loadingDirectory;
};

} // namespace dbops
