#pragma once

#include "catalog/CatalogReader.h"
#include "catalog/LibpqPipeline.h"
#include "connection/ConnectionSettings.h"

#include <QByteArray>
#include <QList>
#include <future>
#include <libpq-fe.h>
#include <mutex>
#include <thread>

namespace dbops {

/// A second connection to the same database that runs some of the catalog
/// queries in the main connection's snapshot (pg_export_snapshot / SET
/// TRANSACTION SNAPSHOT, as pg_dump -j does), so that two server processes
/// work on the catalog at once: the definitions (pg_get_indexdef ...) cost
/// the server far more than sending them.  It connects on its own thread as
/// soon as it is made, while the main connection reads the tables (the
/// helper's queries name them by oid); its
/// results are kept for the main thread.  Any failure (no free connection
/// slot, a pooler, a refused snapshot) only means the main connection runs
/// these queries after its own.
class SnapshotHelperConnection
{
public:
    explicit SnapshotHelperConnection(const ConnectionSettings& settings);
    ~SnapshotHelperConnection();
    SnapshotHelperConnection(const SnapshotHelperConnection&) = delete;
    SnapshotHelperConnection& operator=(const SnapshotHelperConnection&) = delete;

    /// The snapshot to read in (pg_export_snapshot's id) and the queries to
    /// run in it; an empty id: give up.  Only the first call counts.
    void provideSnapshot(const QByteArray& id, const QList<LibpqPipeline::Statement>& queries);

    /// Stops a running query (the main connection failed: its result is moot).
    void cancel();

    /// Waits for the helper; true when every query's result was kept.
    bool finish(CatalogReader::Statistics& statistics);

private:
    void work();
    bool connect();

    ConnectionSettings m_settings;
    QList<LibpqPipeline::Statement> m_queries;
    CatalogReader::Statistics m_statistics;
    std::mutex m_mutex;
    std::promise<QByteArray> m_snapshot;
    bool m_snapshotGiven = false;
    PGconn* m_connection = nullptr;
    PGcancel* m_cancel = nullptr;
    bool m_succeeded = false;
    std::thread m_thread; // last: starts after the members it uses
};

} // namespace dbops
