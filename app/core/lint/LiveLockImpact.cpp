#include "lint/LiveLockImpact.h"

#include "connection/DatabaseConnection.h"
#include "lint/ScanThroughput.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace dbops {

namespace {

// One statement, so one round trip: which relations exist, their sizes, row
// estimates and indexes, every other session's relation locks on them with
// its activity, and the pg_dump sessions of this database.
const char* const kImpactQuery = R"SQL(
WITH wanted AS (
    SELECT w.i,
           CASE WHEN coalesce(w.schema, '') = '' THEN pg_catalog.to_regclass(pg_catalog.quote_ident(w.name))
                ELSE pg_catalog.to_regclass(pg_catalog.quote_ident(w.schema) || '.' || pg_catalog.quote_ident(w.name))
           END AS oid
    FROM pg_catalog.json_to_recordset($1::json) AS w(i int, schema text, name text)
), found AS (
    -- busy: another session holds or awaits ACCESS EXCLUSIVE there, so the
    -- size functions (which take ACCESS SHARE) would wait: the catalog's
    -- page counts (as of the last VACUUM or ANALYZE) instead.
    SELECT w.i, w.oid, EXISTS (
        SELECT 1 FROM pg_catalog.pg_locks b
        WHERE b.locktype = 'relation' AND b.relation = w.oid AND b.mode = 'AccessExclusiveLock'
          AND b.pid <> pg_catalog.pg_backend_pid()) AS busy
    FROM wanted w WHERE w.oid IS NOT NULL
), held AS (
    SELECT l.relation, l.pid, l.mode, l.granted, a.usename, a.application_name, a.state,
           EXTRACT(epoch FROM pg_catalog.clock_timestamp() - a.xact_start)::float8 AS xact_seconds,
           pg_catalog.split_part(a.query, E'\n', 1) AS query
    FROM pg_catalog.pg_locks l
    JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'relation'
      AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
      AND l.pid <> pg_catalog.pg_backend_pid()
      AND l.relation IN (SELECT oid FROM found)
)
SELECT pg_catalog.json_build_object(
    'blockSize', pg_catalog.current_setting('block_size')::int,
    'relations', (SELECT coalesce(pg_catalog.json_agg(pg_catalog.json_build_object(
        'i', f.i,
        'name', f.oid::pg_catalog.regclass::text,
        'sizesFromCatalog', f.busy,
        'totalBytes', CASE WHEN f.busy
            THEN (c.relpages::bigint
                  + coalesce((SELECT t.relpages FROM pg_catalog.pg_class t WHERE t.oid = c.reltoastrelid), 0)
                  + coalesce((SELECT sum(i.relpages) FROM pg_catalog.pg_index x
                              JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = f.oid), 0))
                 * pg_catalog.current_setting('block_size')::bigint
            ELSE pg_catalog.pg_total_relation_size(f.oid) END,
        'tableBytes', CASE WHEN f.busy THEN c.relpages::bigint * pg_catalog.current_setting('block_size')::bigint
                           ELSE pg_catalog.pg_relation_size(f.oid) END,
        'rows', c.reltuples::bigint,
        'indexes', (SELECT coalesce(pg_catalog.json_agg(pg_catalog.json_build_object(
                        'name', x.indexrelid::pg_catalog.regclass::text,
                        'bytes', CASE WHEN f.busy
                                      THEN i.relpages::bigint * pg_catalog.current_setting('block_size')::bigint
                                      ELSE pg_catalog.pg_relation_size(x.indexrelid) END)
                        ORDER BY x.indexrelid::pg_catalog.regclass::text), '[]'::json)
                    FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
                    WHERE x.indrelid = f.oid),
        'locks', (SELECT coalesce(pg_catalog.json_agg(pg_catalog.json_build_object(
                      'pid', h.pid, 'mode', h.mode, 'granted', h.granted, 'user', h.usename,
                      'application', h.application_name, 'state', h.state,
                      'xactSeconds', h.xact_seconds, 'query', h.query) ORDER BY h.pid, h.mode), '[]'::json)
                  FROM held h WHERE h.relation = f.oid)
        ) ORDER BY f.i), '[]'::json)
        FROM found f JOIN pg_catalog.pg_class c ON c.oid = f.oid),
    'dumps', (SELECT coalesce(pg_catalog.json_agg(pg_catalog.json_build_object(
        'pid', a.pid, 'user', a.usename, 'application', a.application_name, 'state', a.state,
        'xactSeconds', EXTRACT(epoch FROM pg_catalog.clock_timestamp() - a.xact_start)::float8,
        'query', pg_catalog.split_part(a.query, E'\n', 1)) ORDER BY a.pid), '[]'::json)
        FROM pg_catalog.pg_stat_activity a
        WHERE a.application_name = 'pg_dump' AND a.datname = pg_catalog.current_database()
          AND a.pid <> pg_catalog.pg_backend_pid())
)::text
)SQL";

QStringList modeNames(const QList<LockMode>& modes)
{
    QStringList names;
    for (LockMode mode : modes)
        names.append(lockModeName(mode));
    return names;
}

QJsonArray modesJson(const QList<LockMode>& modes)
{
    return QJsonArray::fromStringList(modeNames(modes));
}

LockSession sessionFrom(const QJsonObject& o)
{
    LockSession s;
    s.pid = o.value(QLatin1String("pid")).toInt();
    s.user = o.value(QLatin1String("user")).toString();
    s.application = o.value(QLatin1String("application")).toString();
    s.state = o.value(QLatin1String("state")).toString();
    const QJsonValue seconds = o.value(QLatin1String("xactSeconds"));
    s.transactionSeconds = seconds.isDouble() ? seconds.toDouble() : -1;
    s.query = o.value(QLatin1String("query")).toString().trimmed();
    s.isDump = s.application == QLatin1String("pg_dump");
    return s;
}

} // namespace

QString LockSession::describe() const
{
    QStringList parts;
    if (!user.isEmpty())
        parts.append(QStringLiteral("user %1").arg(user));
    if (!application.isEmpty())
        parts.append(QStringLiteral("application %1").arg(application));
    if (!state.isEmpty())
        parts.append(state);
    if (transactionSeconds >= 0)
        parts.append(
            QStringLiteral("transaction open %1")
                .arg(LiveLockImpact::durationText(transactionSeconds).remove(QStringLiteral("about "))));
    if (!held.isEmpty())
        parts.append(QStringLiteral("holds %1").arg(modeNames(held).join(QStringLiteral(", "))));
    if (!awaited.isEmpty())
        parts.append(QStringLiteral("waits for %1").arg(modeNames(awaited).join(QStringLiteral(", "))));
    QString text = QStringLiteral("pid %1 (%2)").arg(pid).arg(parts.join(QStringLiteral(", ")));
    if (!query.isEmpty())
        text += QStringLiteral(": ") + (query.size() > 120 ? query.left(117) + QStringLiteral("...") : query);
    return text;
}

QJsonObject LockSession::toJson() const
{
    return QJsonObject { { QStringLiteral("pid"), pid }, { QStringLiteral("user"), user },
        { QStringLiteral("application"), application }, { QStringLiteral("state"), state },
        { QStringLiteral("transaction_seconds"), transactionSeconds }, { QStringLiteral("query"), query },
        { QStringLiteral("holds"), modesJson(held) }, { QStringLiteral("waits_for"), modesJson(awaited) },
        { QStringLiteral("blocks"), blocks } };
}

QList<LockSession> RelationImpact::blockers() const
{
    QList<LockSession> out;
    for (const LockSession& session : sessions) {
        if (session.blocks)
            out.append(session);
    }
    return out;
}

QJsonObject RelationImpact::toJson() const
{
    QJsonArray sessionList;
    for (const LockSession& session : sessions)
        sessionList.append(session.toJson());
    return QJsonObject { { QStringLiteral("relation"), name },
        { QStringLiteral("lock"), lockModeName(request.strongest) },
        { QStringLiteral("lock_modes"), modesJson(request.modes) },
        { QStringLiteral("rewrites"), request.rewrites }, { QStringLiteral("scans"), request.scans },
        { QStringLiteral("statements"), QJsonArray::fromStringList(request.statements) },
        { QStringLiteral("total_bytes"), static_cast<double>(totalBytes) },
        { QStringLiteral("table_bytes"), static_cast<double>(tableBytes) },
        { QStringLiteral("sizes_from_catalog"), sizesFromCatalog },
        { QStringLiteral("rows_estimate"), static_cast<double>(rows) },
        { QStringLiteral("indexes"), QJsonArray::fromStringList(indexes) },
        { QStringLiteral("sessions"), sessionList },
        { QStringLiteral("oldest_transaction_pid"), oldestTransactionPid },
        { QStringLiteral("oldest_transaction_seconds"), oldestTransactionSeconds },
        { QStringLiteral("estimated_seconds"), estimatedSeconds } };
}

QList<LockSession> LockImpactReport::blockers() const
{
    QList<LockSession> out;
    QSet<int> seen;
    for (const RelationImpact& relation : relations) {
        for (const LockSession& session : relation.sessions) {
            if (session.blocks && !seen.contains(session.pid)) {
                seen.insert(session.pid);
                out.append(session);
            }
        }
    }
    bool accessExclusive = false;
    for (const RelationImpact& relation : relations)
        accessExclusive = accessExclusive || relation.request.modes.contains(LockMode::AccessExclusive);
    if (accessExclusive) {
        for (const LockSession& dump : dumps) {
            if (!seen.contains(dump.pid)) {
                seen.insert(dump.pid);
                out.append(dump);
            }
        }
    }
    return out;
}

QJsonObject LockImpactReport::toJson() const
{
    QJsonArray relationList;
    for (const RelationImpact& relation : relations)
        relationList.append(relation.toJson());
    QJsonArray dumpList;
    for (const LockSession& dump : dumps)
        dumpList.append(dump.toJson());
    QJsonArray blockerList;
    for (const LockSession& blocker : blockers())
        blockerList.append(blocker.toJson());
    return QJsonObject { { QStringLiteral("relations"), relationList },
        { QStringLiteral("pg_dump"), dumpList }, { QStringLiteral("blockers"), blockerList },
        { QStringLiteral("throughput_bytes_per_second"), bytesPerSecond },
        { QStringLiteral("throughput_cached"), throughputCached } };
}

Result<LockImpactReport> LiveLockImpact::read(
    DatabaseConnection& connection, const QList<RelationLockRequest>& requests)
{
    LockImpactReport report;
    QJsonArray wanted;
    for (int i = 0; i < requests.size(); ++i) {
        const QString& relation = requests.at(i).relation;
        const int dot = static_cast<int>(relation.indexOf(QLatin1Char('.')));
        wanted.append(QJsonObject { { QStringLiteral("i"), i },
            { QStringLiteral("schema"), dot < 0 ? QString() : relation.left(dot) },
            { QStringLiteral("name"), dot < 0 ? relation : relation.mid(dot + 1) } });
    }
    Result<QVariant> value = connection.scalar(QString::fromUtf8(kImpactQuery),
        { QString::fromUtf8(QJsonDocument(wanted).toJson(QJsonDocument::Compact)) });
    if (!value)
        return value.error();
    const QJsonObject answer = QJsonDocument::fromJson(value->toString().toUtf8()).object();
    const int blockSize = answer.value(QLatin1String("blockSize")).toInt(8192);
    for (const QJsonValue& d : answer.value(QLatin1String("dumps")).toArray())
        report.dumps.append(sessionFrom(d.toObject()));

    bool needsEstimate = false;
    for (const QJsonValue& r : answer.value(QLatin1String("relations")).toArray()) {
        const QJsonObject o = r.toObject();
        RelationImpact impact;
        impact.request = requests.value(o.value(QLatin1String("i")).toInt());
        impact.name = o.value(QLatin1String("name")).toString();
        impact.totalBytes = static_cast<qint64>(o.value(QLatin1String("totalBytes")).toDouble(-1));
        impact.tableBytes = static_cast<qint64>(o.value(QLatin1String("tableBytes")).toDouble(-1));
        impact.rows = static_cast<qint64>(o.value(QLatin1String("rows")).toDouble(-1));
        impact.sizesFromCatalog = o.value(QLatin1String("sizesFromCatalog")).toBool();
        for (const QJsonValue& x : o.value(QLatin1String("indexes")).toArray()) {
            const QJsonObject index = x.toObject();
            impact.indexes.append(QStringLiteral("%1 (%2)").arg(index.value(QLatin1String("name")).toString(),
                bytesText(static_cast<qint64>(index.value(QLatin1String("bytes")).toDouble()))));
        }
        // pg_locks has a row per pid and mode: one session per pid.
        for (const QJsonValue& l : o.value(QLatin1String("locks")).toArray()) {
            const QJsonObject lock = l.toObject();
            const int pid = lock.value(QLatin1String("pid")).toInt();
            auto it = std::find_if(impact.sessions.begin(), impact.sessions.end(),
                [pid](const LockSession& s) { return s.pid == pid; });
            if (it == impact.sessions.end()) {
                impact.sessions.append(sessionFrom(lock));
                it = std::prev(impact.sessions.end());
            }
            const LockMode mode = lockModeFromPgLocksName(lock.value(QLatin1String("mode")).toString());
            (lock.value(QLatin1String("granted")).toBool() ? it->held : it->awaited).append(mode);
            it->blocks = it->blocks || impact.request.conflictsWith(mode);
        }
        for (const LockSession& session : std::as_const(impact.sessions)) {
            if (session.transactionSeconds > impact.oldestTransactionSeconds) {
                impact.oldestTransactionSeconds = session.transactionSeconds;
                impact.oldestTransactionPid = session.pid;
            }
        }
        needsEstimate = needsEstimate || impact.request.rewrites || impact.request.scans;
        report.relations.append(impact);
    }

    if (needsEstimate) {
        // Measured on the largest table the script rewrites or scans (once per server).
        const RelationImpact* sample = nullptr;
        for (const RelationImpact& impact : std::as_const(report.relations)) {
            if ((impact.request.rewrites || impact.request.scans) && !impact.sizesFromCatalog
                && (!sample || impact.tableBytes > sample->tableBytes))
                sample = &impact;
        }
        report.bytesPerSecond = sample ? ScanThroughput::forServer(connection, sample->name,
                                    sample->tableBytes, sample->rows, blockSize, &report.throughputCached)
                                       : ScanThroughput::cachedFor(connection);
        report.throughputCached = report.throughputCached || (!sample && report.bytesPerSecond > 0);
        if (report.bytesPerSecond > 0) {
            for (RelationImpact& impact : report.relations) {
                if (impact.request.rewrites)
                    impact.estimatedSeconds
                        = 2.0 * static_cast<double>(impact.totalBytes) / report.bytesPerSecond;
                else if (impact.request.scans)
                    impact.estimatedSeconds = static_cast<double>(impact.tableBytes) / report.bytesPerSecond;
            }
        }
    }
    report.available = true;
    return report;
}

QString LiveLockImpact::bytesText(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("?");
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 kB").arg(bytes / 1024);
    if (bytes < 1024LL * 1024 * 1024)
        return QStringLiteral("%1 MB").arg(static_cast<double>(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
    return QStringLiteral("%1 GB").arg(static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0), 0, 'f', 1);
}

QString LiveLockImpact::durationText(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("unknown");
    if (seconds < 1)
        return QStringLiteral("under 1 s");
    if (seconds < 120)
        return QStringLiteral("about %1 s").arg(qRound(seconds));
    if (seconds < 7200)
        return QStringLiteral("about %1 min").arg(qRound(seconds / 60));
    return QStringLiteral("about %1 h").arg(seconds / 3600, 0, 'f', 1);
}

} // namespace dbops
