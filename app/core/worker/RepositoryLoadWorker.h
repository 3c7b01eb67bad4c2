#pragma once

#include "worker/WorkerTypes.h"

#include <QObject>

namespace dbops {

/// Lives in RepositoryLoader's thread: reads and parses a migration
/// repository there (every file through libpg_query, 30-200 ms and more), so
/// the console's window appears and stays responsive meanwhile.
class RepositoryLoadWorker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    void load(int jobId, const QString& directory);

Q_SIGNALS:
    void loaded(int jobId, const dbops::LoadedRepository& result);
};

} // namespace dbops
