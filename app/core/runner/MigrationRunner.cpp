#include "runner/MigrationRunner.h"

#include "database/VersionTable.h"
#include "sql/SqlParser.h"
#include "verify/AppliedChecksums.h"
#include "verify/RevisionChecksum.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QThread>
#include <algorithm>

namespace dbops {

namespace {

const QString kLockNotAvailable = QStringLiteral("55P03");
const QString kQueryCanceled = QStringLiteral("57014");

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QString firstLine(const QString& text)
{
    const QString line = text.section(QLatin1Char('\n'), 0, 0).trimmed();
    return line.size() > 120 ? line.left(117) + QStringLiteral("...") : line;
}

QString headsText(const QStringList& heads)
{
    return heads.isEmpty() ? QStringLiteral("base") : sorted(heads).join(QStringLiteral(", "));
}

QString rowsText(const QStringList& rows)
{
    return rows.isEmpty() ? QStringLiteral("no rows") : sorted(rows).join(QStringLiteral(", "));
}

// An identifier as to_regclass() reads it back unchanged.
QString quotedIdentifier(const QString& name)
{
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

void collectRelations(const QJsonValue& node, QStringList& out)
{
    if (node.isArray()) {
        for (const QJsonValue& child : node.toArray())
            collectRelations(child, out);
        return;
    }
    if (!node.isObject())
        return;
    const QJsonObject object = node.toObject();
    // A RangeVar: libpg_query writes it bare where the field's type is
    // RangeVar (ALTER TABLE's relation), wrapped in {"RangeVar": ...} in lists.
    const QString name = object.value(QStringLiteral("relname")).toString();
    if (!name.isEmpty()) {
        const QString schema = object.value(QStringLiteral("schemaname")).toString();
        const QString relation = (schema.isEmpty() ? QString() : quotedIdentifier(schema) + QLatin1Char('.'))
            + quotedIdentifier(name);
        if (!out.contains(relation))
            out.append(relation);
    }
    // DROP TABLE/INDEX/VIEW ... names its objects as lists of strings.
    static const QStringList kRelationTypes = { QStringLiteral("OBJECT_TABLE"),
        QStringLiteral("OBJECT_INDEX"), QStringLiteral("OBJECT_VIEW"), QStringLiteral("OBJECT_MATVIEW"),
        QStringLiteral("OBJECT_SEQUENCE"), QStringLiteral("OBJECT_FOREIGN_TABLE") };
    const QJsonObject drop = object.value(QStringLiteral("DropStmt")).toObject();
    if (kRelationTypes.contains(drop.value(QStringLiteral("removeType")).toString())) {
        for (const QJsonValue& item : drop.value(QStringLiteral("objects")).toArray()) {
            QStringList parts;
            const QJsonArray names = item.toObject()
                                         .value(QStringLiteral("List"))
                                         .toObject()
                                         .value(QStringLiteral("items"))
                                         .toArray();
            for (const QJsonValue& part : names) {
                const QString text = part.toObject()
                                         .value(QStringLiteral("String"))
                                         .toObject()
                                         .value(QStringLiteral("sval"))
                                         .toString();
                if (!text.isEmpty())
                    parts.append(quotedIdentifier(text));
            }
            const QString relation = parts.join(QLatin1Char('.'));
            if (!parts.isEmpty() && parts.size() <= 3 && !out.contains(relation))
                out.append(relation);
        }
    }
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        collectRelations(it.value(), out);
}

} // namespace

/// A unit of the script: a BEGIN..COMMIT block, or a stretch of autocommit
/// items; what it is called in messages, and where it leaves the version table.
struct MigrationRunner::Unit
{
    int first = 0;
    int last = 0;
    bool transactional = false;
    QString label; ///< "revision X", "revisions A to C", "the stamp to X" ...
    int lastStep = -1; ///< the last plan step it runs, -1 for none
    bool checked = false; ///< the version table is read back at its end
    bool tableAfter = false; ///< the version table exists after it
    QStringList rowsAfter; ///< the version table's rows after it, as the plan says
};

QString RunResult::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Success:
        return QStringLiteral("success");
    case Outcome::Failed:
        return QStringLiteral("failed");
    case Outcome::Cancelled:
        return QStringLiteral("cancelled");
    case Outcome::ConnectionLost:
        return QStringLiteral("connection-lost");
    case Outcome::LockHeld:
        return QStringLiteral("lock-held");
    case Outcome::VersionMismatch:
        return QStringLiteral("version-mismatch");
    }
    return QStringLiteral("failed");
}

MigrationRunner::MigrationRunner(DatabaseConnection& connection, RunOptions options)
    : m_connection(&connection)
    , m_options(std::move(options))
    , m_canceller(connection.canceller())
{ }

qint64 MigrationRunner::lockKey(const QString& versionTable)
{
    QByteArray input("dbops:");
    input += versionTable.toUtf8();
    const QByteArray digest = QCryptographicHash::hash(input, QCryptographicHash::Sha256);
    quint64 key = 0;
    for (int i = 0; i < 8; ++i)
        key = (key << 8) | static_cast<quint8>(digest.at(i));
    return static_cast<qint64>(key);
}

QString MigrationRunner::describeLockHolder(DatabaseConnection& connection, qint64 key)
{
    // A bigint advisory lock is stored as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
    Result<QSqlQuery> q = connection.exec(
        QStringLiteral(
            "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.client_addr::text, 'local'), "
            "       coalesce(a.usename::text, ''), to_char(coalesce(a.xact_start, a.backend_start), "
            "'YYYY-MM-DD HH24:MI:SS TZ') "
            "  FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
            "   AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()) "
            "   AND l.classid = (($1::bigint >> 32) & 4294967295)::oid AND l.objid = ($1::bigint & "
            "4294967295)::oid"),
        { key });
    if (!q || !q.value().next())
        return QStringLiteral("another session (it could not be identified)");
    const QSqlQuery& row = q.value();
    return QStringLiteral("pid %1 (application '%2', user %3, client %4) since %5")
        .arg(row.value(0).toString(), row.value(1).toString(), row.value(3).toString(),
            row.value(2).toString(), row.value(4).toString());
}

QString MigrationRunner::describeTableLockHolders(
    DatabaseConnection& connection, const QStringList& relations)
{
    // Who holds what: one row per session, its locks listed.  With relations,
    // $1 holds their names one a line; to_regclass resolves each like the
    // statement did (search path) and yields NULL for one that is gone.
    static const QString kSelect = QStringLiteral(
        "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.usename::text, ''), "
        "       coalesce(a.state, ''), "
        "       to_char(coalesce(a.xact_start, a.backend_start), 'YYYY-MM-DD HH24:MI:SS TZ'), "
        "       string_agg(DISTINCT l.mode || ' on ' || l.relation::regclass::text, ', ') "
        "  FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
        "  JOIN pg_catalog.pg_class c ON c.oid = l.relation "
        "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        " WHERE l.granted AND l.locktype = 'relation' AND a.pid <> pg_backend_pid() "
        "   AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()) ");
    static const QString kUserSchemas = QStringLiteral(
        "   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ");
    static const QString kOnRelations
        = QStringLiteral("   AND l.relation IN (SELECT pg_catalog.to_regclass(r) "
                         "                        FROM unnest(pg_catalog.string_to_array($1, E'\\n')) r) ");
    static const QString kGroup = QStringLiteral(" GROUP BY 1, 2, 3, 4, 5 ORDER BY 5 LIMIT 3");

    auto describe = [&connection](const QString& sql, const QVariantList& values) {
        Result<QSqlQuery> q = connection.exec(sql, values);
        QStringList holders;
        if (!q)
            return holders;
        while (q.value().next()) {
            const QSqlQuery& row = q.value();
            holders.append(
                QStringLiteral("pid %1 (application '%2', user %3, %4 since %5) holding %6")
                    .arg(row.value(0).toString(), row.value(1).toString(), row.value(2).toString(),
                        row.value(3).toString(), row.value(4).toString(), row.value(5).toString()));
        }
        return holders;
    };
    QStringList holders;
    if (!relations.isEmpty())
        holders = describe(kSelect + kOnRelations + kGroup, { relations.join(QLatin1Char('\n')) });
    // The lock may have been on something the statement does not name (a
    // function's table, a trigger's): then everybody with table locks.
    if (holders.isEmpty())
        holders = describe(kSelect + kUserSchemas + kGroup, {});
    return holders.join(QStringLiteral("; "));
}

QStringList MigrationRunner::relationsNamedIn(const QString& sql)
{
    const QByteArray tree = SqlParser::parseTreeJson(sql);
    if (tree.isEmpty())
        return {};
    QStringList relations;
    collectRelations(QJsonDocument::fromJson(tree).object(), relations);
    return relations;
}

void MigrationRunner::requestCancel()
{
    m_cancel.store(true);
    if (m_canceller)
        m_canceller->cancel();
}

void MigrationRunner::emitEvent(RunEvent::Kind kind, int step, const QString& revision, const QString& text)
{
    if (!m_progress)
        return;
    RunEvent event;
    event.kind = kind;
    event.stepIndex = step;
    event.stepCount = m_stepCount;
    event.revision = revision;
    event.text = text;
    event.elapsedMs = m_clock.elapsed();
    m_progress(event);
}

void MigrationRunner::forwardNotices()
{
    const QList<ServerNotice> notices = m_connection->takeNotices();
    for (const ServerNotice& n : notices)
        emitEvent(RunEvent::Kind::Notice, -1, {}, n.severity + QStringLiteral(": ") + n.message);
}

Error MigrationRunner::locate(Error error, const ScriptItem& item, const Unit& unit) const
{
    if (error.message.trimmed().isEmpty())
        error.message = QStringLiteral("the server gave no message");
    if (item.kind != ScriptItem::Kind::Statement) {
        // BEGIN, SET, COMMIT and the version table's statements are in no
        // file: name their revision(s) and the statement instead.
        const QString what = item.kind == ScriptItem::Kind::Commit
            ? QStringLiteral("COMMIT")
            : QStringLiteral("'%1'").arg(firstLine(item.sql));
        const QString where = item.stepIndex >= 0 && !item.revision.isEmpty()
            ? QStringLiteral("revision %1").arg(item.revision)
            : unit.label;
        error.message = QStringLiteral("%1: %2 failed: %3").arg(where, what, error.message);
        return error;
    }
    error.file = item.filePath;
    const int line = m_connection->lastErrorLine();
    const int column = m_connection->lastErrorColumn();
    error.line = item.line + std::max(0, line - 1);
    error.column = line > 1 ? column : item.column + std::max(0, column - 1);
    error.message = QStringLiteral("revision %1: %2").arg(item.revision, error.message);
    return error;
}

std::optional<Error> MigrationRunner::executeItem(const ScriptItem& item, const Unit& unit)
{
    Result<QSqlQuery> query = m_connection->exec(item.sql);
    forwardNotices();
    if (!query)
        return locate(query.error(), item, unit);
    if (item.expectsOneRow && query.value().numRowsAffected() != 1) {
        return Error::database(
            QStringLiteral("%1: the version table changed under us: '%2' affected %3 rows instead of 1; "
                           "another tool moved it during the run")
                .arg(item.stepIndex >= 0 && !item.revision.isEmpty()
                        ? QStringLiteral("revision %1").arg(item.revision)
                        : unit.label,
                    item.sql)
                .arg(query.value().numRowsAffected()));
    }
    return std::nullopt;
}

std::optional<Error> MigrationRunner::checkVersionTable(const Unit& unit, bool* mismatch)
{
    *mismatch = false;
    // One round trip.  Inside the unit's transaction, under READ COMMITTED,
    // this sees the unit's own changes and every row others have committed:
    // another session needs no migration lock to write the version table,
    // and a new row conflicts with none the runner touches, so nothing else
    // would notice it.  (A row still uncommitted now is not seen; the next
    // run's check at the start catches it.)
    Result<QSqlQuery> query
        = m_connection->exec(QStringLiteral("SELECT version_num FROM %1").arg(m_options.versionTable));
    forwardNotices();
    if (!query) {
        Error error = query.error();
        error.message = QStringLiteral("%1: reading the version table %2 back failed: %3")
                            .arg(unit.label, m_options.versionTable, error.message);
        return error;
    }
    QStringList rows;
    while (query.value().next())
        rows.append(query.value().value(0).toString());
    if (sorted(rows) == sorted(unit.rowsAfter))
        return std::nullopt;
    *mismatch = true;
    const QString consequence = unit.transactional
        ? QStringLiteral("rolled back %1").arg(unit.label)
        : QStringLiteral("%1 ran in autocommit and could not be rolled back; the run stops here")
              .arg(unit.label);
    return Error::database(
        QStringLiteral("the version table holds %1 but the plan expects %2 at this point "
                       "(%3 %4): another session changed it during the run; %5")
            .arg(rowsText(rows), rowsText(unit.rowsAfter),
                unit.transactional ? QStringLiteral("before the COMMIT of") : QStringLiteral("after"),
                unit.label, consequence));
}

RunResult MigrationRunner::run(const MigrationPlan& plan, const RenderedScript& script)
{
    m_clock.start();
    m_stepCount = static_cast<int>(plan.steps.size());
    RunResult result;

    // 1. The migration lock, for the whole run.
    const qint64 key = lockKey(m_options.versionTable);
    bool waited = false;
    for (;;) {
        // The key is a number the runner computed: sent inline, it is one
        // round trip (a bound value costs PREPARE, EXECUTE and DEALLOCATE).
        Result<QVariant> locked
            = m_connection->scalar(QStringLiteral("SELECT pg_catalog.pg_try_advisory_lock(%1)").arg(key));
        if (!locked) {
            // A cancel that lands while the poll query runs cancels that query
            // server-side: that is the cancel the user asked for, not a failure.
            if (m_cancel.load()) {
                result.outcome = RunResult::Outcome::Cancelled;
                result.error = Error::database(
                    QStringLiteral("cancelled while waiting for the migration lock for %1: nothing was run")
                        .arg(m_options.versionTable));
            } else {
                result.error = locked.error();
            }
            finish(result);
            return result;
        }
        if (locked->toBool())
            break;
        if (m_cancel.load() || m_clock.elapsed() >= qint64(m_options.lockWaitSeconds) * 1000) {
            result.outcome = m_cancel.load() ? RunResult::Outcome::Cancelled : RunResult::Outcome::LockHeld;
            result.error = Error::database(
                QStringLiteral("another run holds the migration lock for %1: %2%3")
                    .arg(m_options.versionTable, describeLockHolder(*m_connection, key),
                        m_options.lockWaitSeconds > 0
                            ? QStringLiteral(" (waited %1 s)").arg(m_options.lockWaitSeconds)
                            : QStringLiteral("; wait for it, or pass --lock-wait SECONDS")));
            finish(result);
            return result;
        }
        waited = true;
        QThread::msleep(250);
    }
    emitEvent(RunEvent::Kind::LockAcquired, -1, {}, QStringLiteral("migration lock %1 acquired").arg(key));

    // 2. The database must stand where the plan starts.
    Result<VersionState> state = VersionTable::read(*m_connection, m_options.versionTable);
    if (!state) {
        result.error = state.error();
        finish(result);
        return result;
    }
    if (sorted(state->revisions) != sorted(plan.startHeads)) {
        result.outcome = RunResult::Outcome::VersionMismatch;
        // After a wait, the likely story is the run we waited for: say so,
        // so nobody goes looking for a stale plan.
        result.error = Error::database(waited
                ? QStringLiteral("another run moved the database from %1 to %2 while this one waited for the "
                                 "migration lock; nothing was run; plan again")
                      .arg(headsText(plan.startHeads), headsText(state->revisions))
                : QStringLiteral("the database is at %1, but the plan starts at %2; nothing was run. "
                                 "Refresh and plan again.")
                      .arg(headsText(state->revisions), headsText(plan.startHeads)));
        finish(result);
        return result;
    }

    // 3. The script, unit by unit: a BEGIN..COMMIT block, or a stretch of autocommit items.
    const QList<ScriptItem>& items = script.items;
    m_stepChecksums.clear();
    for (int s = 0; s < plan.steps.size(); ++s) {
        const MigrationStep& step = plan.steps[s];
        m_stepChecksums.append(
            { step.revision, step.upgrade, step.upgrade ? RevisionChecksum::ofStep(script, s) : QString() });
    }
    QStringList rows = state->revisions;
    bool tableExists = state->tableExists;
    int stepsDone = -1;
    int i = 0;
    while (i < items.size()) {
        int last = i;
        if (items[i].kind == ScriptItem::Kind::Begin) {
            while (last < items.size() && items[last].kind != ScriptItem::Kind::Commit)
                ++last;
            if (last == items.size()) {
                result.error = Error { Error::Kind::Internal,
                    QStringLiteral("script has BEGIN without COMMIT"), {}, 0, 0, {}, {}, {} };
                finish(result);
                return result;
            }
        } else {
            // A stretch of autocommit items (a non-transactional revision and
            // its settings) is one unit, so its steps are reported once.
            while (last + 1 < items.size() && items[last + 1].kind != ScriptItem::Kind::Begin)
                ++last;
        }
        const Unit unit = describeUnit(plan, script, i, last, rows, tableExists, stepsDone);
        if (!executeUnit(script, unit, result)) {
            finish(result);
            return result;
        }
        rows = unit.rowsAfter;
        tableExists = unit.tableAfter;
        stepsDone = std::max(stepsDone, unit.lastStep);
        i = last + 1;
    }
    result.outcome = RunResult::Outcome::Success;
    finish(result);
    return result;
}

MigrationRunner::Unit MigrationRunner::describeUnit(const MigrationPlan& plan, const RenderedScript& script,
    int first, int last, const QStringList& rowsBefore, bool tableBefore, int stepsBefore) const
{
    Unit unit;
    unit.first = first;
    unit.last = last;
    unit.transactional = script.items[first].kind == ScriptItem::Kind::Begin;
    unit.tableAfter = tableBefore;
    QStringList revisions;
    bool changesRows = false;
    bool createsTable = false;
    bool dropsTable = false;
    for (int k = first; k <= last; ++k) {
        const ScriptItem& item = script.items[k];
        if (item.stepIndex >= 0) {
            unit.lastStep = std::max(unit.lastStep, item.stepIndex);
            if (!revisions.contains(item.revision))
                revisions.append(item.revision);
        }
        if (item.kind != ScriptItem::Kind::VersionTable)
            continue;
        // The renderer writes these statements itself, so their verb says what they do.
        if (item.sql.startsWith(QLatin1String("CREATE TABLE "))) {
            createsTable = true;
            unit.tableAfter = true;
        } else if (item.sql.startsWith(QLatin1String("DROP TABLE "))) {
            dropsTable = true;
            unit.tableAfter = false;
        } else {
            changesRows = true;
        }
    }

    // Where the plan leaves the version table after this unit: its steps'
    // changes applied in order, exactly as the renderer wrote them.
    unit.rowsAfter = rowsBefore;
    for (int s = stepsBefore + 1; s <= unit.lastStep && s < plan.steps.size(); ++s) {
        const VersionTableChange& change = plan.steps[s].versionChange;
        for (const QString& id : change.deletes)
            unit.rowsAfter.removeOne(id);
        if (!change.updateTo.isEmpty()) {
            unit.rowsAfter.removeOne(change.updateFrom);
            unit.rowsAfter.append(change.updateTo);
        }
        unit.rowsAfter.append(change.inserts);
    }
    if (unit.lastStep < 0 && changesRows)
        unit.rowsAfter = plan.endHeads; // a stamp: rows change without a step
    if (!unit.tableAfter)
        unit.rowsAfter.clear();
    // Before each COMMIT, and after autocommit work on the version table.
    unit.checked = unit.tableAfter && (unit.transactional || changesRows || createsTable);

    if (revisions.size() == 1)
        unit.label = QStringLiteral("revision %1").arg(revisions.constFirst());
    else if (revisions.size() > 1)
        unit.label = QStringLiteral("revisions %1 to %2").arg(revisions.constFirst(), revisions.constLast());
    else if (changesRows)
        unit.label = QStringLiteral("the stamp to %1").arg(headsText(plan.endHeads));
    else if (createsTable)
        unit.label = QStringLiteral("the creation of the version table %1").arg(m_options.versionTable);
    else if (dropsTable)
        unit.label = QStringLiteral("the removal of the version table %1").arg(m_options.versionTable);
    else
        unit.label = QStringLiteral("the run's settings");
    return unit;
}

bool MigrationRunner::executeUnit(const RenderedScript& script, const Unit& unit, RunResult& result)
{
    const QList<ScriptItem>& items = script.items;
    const int first = unit.first;
    const int last = unit.last;
    const bool transactional = unit.transactional;
    int backoff = m_options.retryBackoffMs;
    for (int attempt = 0;; ++attempt) {
        QList<JournalRecord::Step> unitSteps;
        QElapsedTimer stepClock;
        int currentStep = -1;
        QString currentRevision;
        std::optional<Error> failure;
        bool mismatch = false;
        int failedAt = -1;
        for (int k = first; k <= last; ++k) {
            const ScriptItem& item = items[k];
            if (item.stepIndex != currentStep && item.stepIndex >= 0) {
                if (currentStep >= 0) {
                    // Autocommitted work is applied for good as soon as it ran.
                    (transactional ? unitSteps : result.steps)
                        .append({ currentRevision, stepClock.elapsed(), QStringLiteral("applied") });
                    emitEvent(RunEvent::Kind::StepFinished, currentStep, currentRevision, {});
                }
                currentStep = item.stepIndex;
                currentRevision = item.revision;
                stepClock.start();
                emitEvent(RunEvent::Kind::StepStarted, currentStep, item.revision,
                    item.kind == ScriptItem::Kind::Comment ? item.sql : QString());
            }
            if (item.kind == ScriptItem::Kind::Comment)
                continue;
            if (m_cancel.load()) {
                failure = Error::database(QStringLiteral("cancelled by the user"), kQueryCanceled);
                failedAt = k;
                break;
            }
            if (item.kind == ScriptItem::Kind::Commit && unit.checked) {
                failure = checkVersionTable(unit, &mismatch);
                if (failure) {
                    failedAt = k;
                    break;
                }
            }
            if (item.kind == ScriptItem::Kind::Statement || item.kind == ScriptItem::Kind::VersionTable)
                emitEvent(RunEvent::Kind::Statement, currentStep, item.revision, firstLine(item.sql));
            failure = executeItem(item, unit);
            if (!failure)
                failure = recordChecksums(script, k);
            if (!failure && k == last && !transactional && unit.checked)
                failure = checkVersionTable(unit, &mismatch);
            if (failure) {
                failedAt = k;
                break;
            }
        }
        if (!failure) {
            if (currentStep >= 0) {
                (transactional ? unitSteps : result.steps)
                    .append({ currentRevision, stepClock.elapsed(), QStringLiteral("applied") });
                emitEvent(RunEvent::Kind::StepFinished, currentStep, currentRevision, {});
            }
            result.steps.append(unitSteps); // committed: applied for good
            return true;
        }

        // Failure: leave no half-applied transaction behind.
        const bool alive = m_connection->isAlive();
        if (transactional && alive)
            m_connection->exec(QStringLiteral("ROLLBACK"));
        const ScriptItem& failedItem = items[failedAt];
        // BEGIN, SET, COMMIT belong to the whole unit, which may hold several revisions.
        const QString during = failedItem.stepIndex >= 0 && !failedItem.revision.isEmpty()
            ? QStringLiteral("revision %1").arg(failedItem.revision)
            : unit.label;
        if (!alive) {
            result.outcome = RunResult::Outcome::ConnectionLost;
            result.error = *failure;
            QString why = failure->message;
            if (why.startsWith(during + QStringLiteral(": ")))
                why = why.mid(during.size() + 2); // said once is enough
            result.error.message = why.isEmpty()
                ? QStringLiteral("the connection was lost during %1").arg(during)
                : QStringLiteral("the connection was lost during %1 (%2)").arg(during, why);
            return false;
        }
        if (mismatch) {
            result.outcome = RunResult::Outcome::VersionMismatch;
            result.error = *failure;
            if (!transactional && currentStep >= 0) {
                // It ran in autocommit: applied, whatever else happened.
                result.steps.append({ currentRevision, stepClock.elapsed(), QStringLiteral("applied") });
                emitEvent(RunEvent::Kind::StepFinished, currentStep, currentRevision, {});
            }
            return false;
        }
        if (m_cancel.load() || failure->sqlState == kQueryCanceled) {
            result.outcome = m_cancel.load() ? RunResult::Outcome::Cancelled : RunResult::Outcome::Failed;
            result.error = *failure;
            if (m_cancel.load())
                result.error.message
                    = QStringLiteral("cancelled during %1%2")
                          .arg(during,
                              transactional ? QStringLiteral("; its transaction was rolled back")
                                            : QString());
            return false;
        }
        if (failure->sqlState == kLockNotAvailable) {
            // The statement no longer waits (and its transaction is rolled
            // back): now the server can say who holds the tables it names.
            const QString holders = describeTableLockHolders(*m_connection, relationsNamedIn(failedItem.sql));
            if (attempt < m_options.retries && transactional) {
                emitEvent(RunEvent::Kind::Retry, currentStep, failedItem.revision,
                    QStringLiteral("lock timeout (%1); blocked by %2; retry %3 of %4 in %5 ms")
                        .arg(failure->message,
                            holders.isEmpty() ? QStringLiteral("a session that has let go since") : holders)
                        .arg(attempt + 1)
                        .arg(m_options.retries)
                        .arg(backoff));
                for (int waited = 0; waited < backoff && !m_cancel.load(); waited += 50)
                    QThread::msleep(50);
                backoff *= 2;
                continue;
            }
            result.outcome = RunResult::Outcome::Failed;
            result.error = *failure;
            result.error.message
                += QStringLiteral(" (gave up after %1 retries; sessions holding table locks: %2)")
                       .arg(attempt)
                       .arg(holders.isEmpty() ? QStringLiteral("none any more") : holders);
            return false;
        }
        result.outcome = RunResult::Outcome::Failed;
        result.error = *failure;
        return false;
    }
}

std::optional<Error> MigrationRunner::recordChecksums(const RenderedScript& script, int index)
{
    const ScriptItem& item = script.items[index];
    if (item.kind == ScriptItem::Kind::VersionTable && item.stepIndex < 0
        && item.sql.startsWith(QLatin1String("DROP TABLE ")))
        return AppliedChecksums::dropTable(*m_connection, m_options.versionTable);
    // A step ends with its version-table change: record right after it.
    const int step = item.stepIndex;
    const bool endsStep = step >= 0 && step < m_stepChecksums.size()
        && (index + 1 == script.items.size() || script.items[index + 1].stepIndex != step);
    if (!endsStep)
        return std::nullopt;
    const StepChecksum& record = m_stepChecksums[step];
    std::optional<Error> error = record.upgrade
        ? AppliedChecksums::recordApplied(
            *m_connection, m_options.versionTable, record.revision, record.sha256)
        : AppliedChecksums::recordRemoved(*m_connection, m_options.versionTable, record.revision);
    forwardNotices();
    return error;
}

void MigrationRunner::finish(RunResult& result)
{
    result.elapsedMs = m_clock.elapsed();
    if (!m_connection->isAlive()) {
        // Never claim anything without asking the server: reconnect and re-read.
        for (int attempt = 0; attempt < 3 && !m_reconnected; ++attempt) {
            Result<std::unique_ptr<DatabaseConnection>> again
                = DatabaseConnection::open(m_connection->settings());
            if (again) {
                m_reconnected = std::move(again).value();
                m_connection = m_reconnected.get();
                m_canceller = m_connection->canceller();
            } else {
                QThread::msleep(1000);
            }
        }
        if (!m_reconnected) {
            result.finalHeadsKnown = false;
            // finalHeadsKnown = false says it; each front end tells its user
            // how to look (the CLI: 'dbops current'; the console: Refresh).
            result.error.message
                += QStringLiteral("; could not reconnect, so the database's state is unknown");
            return;
        }
    } else {
        m_connection->exec(
            QStringLiteral("SELECT pg_catalog.pg_advisory_unlock(%1)").arg(lockKey(m_options.versionTable)));
    }
    Result<VersionState> state = VersionTable::read(*m_connection, m_options.versionTable);
    if (state) {
        result.finalHeads = state->revisions;
        result.finalHeadsKnown = true;
        if (result.outcome != RunResult::Outcome::Success)
            result.error.message
                += QStringLiteral("; the database is now at %1").arg(headsText(state->revisions));
    }
}

} // namespace dbops
