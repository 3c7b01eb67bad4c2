#pragma once

#include "common/Result.h"
#include "lint/LockRequests.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace dbops {

class DatabaseConnection;

/// Another session with a lock on a relation the script locks, as
/// pg_locks and pg_stat_activity showed it.
struct LockSession
{
    int pid = 0;
    QString user;
    QString application;
    QString state; ///< "active", "idle in transaction", ...
    double transactionSeconds = -1; ///< how long its transaction is open; -1 none
    QString query; ///< the first line of its current or last query
    QList<LockMode> held; ///< granted on the relation
    QList<LockMode> awaited; ///< requested, not granted yet (queued ahead of us)
    /// Holds or awaits a mode that conflicts with a mode the script requests there:
    /// the script's statement would wait for it.
    bool blocks = false;
    bool isDump = false; ///< a pg_dump (application_name pg_dump)

    /// "pid 4242 (user app, application psql, idle in transaction, transaction open 12 s,
    /// holds ACCESS SHARE): LOCK TABLE t IN ACCESS SHARE MODE"
    QString describe() const;
    QJsonObject toJson() const;
};

/// The live figures of one relation the script locks.
struct RelationImpact
{
    RelationLockRequest request;
    QString name; ///< as the server names it (regclass)
    qint64 totalBytes = -1; ///< pg_total_relation_size: table, TOAST and indexes
    qint64 tableBytes = -1; ///< pg_relation_size: the main fork
    qint64 rows = -1; ///< pg_class.reltuples; -1 when never analyzed
    /// Another session holds or awaits ACCESS EXCLUSIVE on it: the sizes are
    /// the catalog's page counts, since the size functions would wait for it.
    bool sizesFromCatalog = false;
    QStringList indexes; ///< "name (size)"
    QList<LockSession> sessions; ///< other sessions with a lock on it, blockers or not
    int oldestTransactionPid = 0; ///< of the oldest open transaction holding a lock on it
    double oldestTransactionSeconds = -1;
    /// Rewrite: 2 x totalBytes (read and written again) / throughput; scan:
    /// tableBytes / throughput; -1 when neither, or the throughput is unknown.
    double estimatedSeconds = -1;

    QList<LockSession> blockers() const;
    QJsonObject toJson() const;
};

/// What the relations a script locks look like on the server right now:
/// sizes, rows, indexes, who holds or waits for locks there, and the estimate
/// of a rewrite or scan.  Read with read-only queries in one round trip
/// (plus, once per server, the throughput measurement: ScanThroughput).
struct LockImpactReport
{
    bool available = false; ///< false: not read (offline, or the read failed)
    QList<RelationImpact> relations; ///< the existing ones, in script order
    QList<LockSession> dumps; ///< pg_dump sessions on the database
    double bytesPerSecond = 0; ///< the server's measured scan throughput; 0 unknown
    bool throughputCached = false;

    /// The sessions the script would wait for, each once: conflicting holders
    /// and waiters, and a running pg_dump when the script asks for ACCESS
    /// EXCLUSIVE (its ACCESS SHARE locks come table by table as it dumps).
    QList<LockSession> blockers() const;
    QJsonObject toJson() const;
};

/// Reads a LockImpactReport.
class LiveLockImpact
{
public:
    /// One read-only query for every relation of `requests` at once; those
    /// that do not exist are left out.  Our own backend is never a blocker.
    static Result<LockImpactReport> read(
        DatabaseConnection& connection, const QList<RelationLockRequest>& requests);

    /// "42.3 MB", "512 kB", "800 B".
    static QString bytesText(qint64 bytes);
    /// "under 1 s", "about 12 s", "about 4 min", "about 2.5 h".
    static QString durationText(double seconds);
};

} // namespace dbops

Q_DECLARE_METATYPE(dbops::LockImpactReport)
