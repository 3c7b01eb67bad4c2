#include "runner/MigrationRunner.h"

#include "database/VersionTable.h"

#include <QCryptographicHash>
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

} // namespace

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

QString MigrationRunner::describeTableLockHolders(DatabaseConnection& connection)
{
    Result<QSqlQuery> q = connection.exec(QStringLiteral(
        "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.usename::text, ''), coalesce(a.state, "
        "''), "
        "       to_char(coalesce(a.xact_start, a.backend_start), 'YYYY-MM-DD HH24:MI:SS TZ'), "
        "       string_agg(DISTINCT l.mode || ' on ' || l.relation::regclass::text, ', ') "
        "  FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
        "  JOIN pg_catalog.pg_class c ON c.oid = l.relation "
        "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        " WHERE l.granted AND l.locktype = 'relation' AND a.pid <> pg_backend_pid() "
        "   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
        " GROUP BY 1, 2, 3, 4, 5 ORDER BY 5 LIMIT 3"));
    if (!q)
        return {};
    QStringList holders;
    while (q.value().next()) {
        const QSqlQuery& row = q.value();
        holders.append(QStringLiteral("pid %1 (application '%2', user %3, %4 since %5) holding %6")
                           .arg(row.value(0).toString(), row.value(1).toString(), row.value(2).toString(),
                               row.value(3).toString(), row.value(4).toString(), row.value(5).toString()));
    }
    return holders.join(QStringLiteral("; "));
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

Error MigrationRunner::locate(Error error, const ScriptItem& item) const
{
    if (item.kind != ScriptItem::Kind::Statement)
        return error;
    error.file = item.filePath;
    const int line = m_connection->lastErrorLine();
    const int column = m_connection->lastErrorColumn();
    error.line = item.line + std::max(0, line - 1);
    error.column = line > 1 ? column : item.column + std::max(0, column - 1);
    error.message = QStringLiteral("revision %1: %2").arg(item.revision, error.message);
    return error;
}

std::optional<Error> MigrationRunner::executeItem(const ScriptItem& item)
{
    Result<QSqlQuery> query = m_connection->exec(item.sql);
    forwardNotices();
    if (!query)
        return locate(query.error(), item);
    if (item.expectsOneRow && query.value().numRowsAffected() != 1) {
        return Error::database(
            QStringLiteral("the version table changed under us: '%1' affected %2 rows instead of 1; "
                           "another tool moved it during the run")
                .arg(item.sql)
                .arg(query.value().numRowsAffected()));
    }
    return std::nullopt;
}

RunResult MigrationRunner::run(const MigrationPlan& plan, const RenderedScript& script)
{
    m_clock.start();
    m_stepCount = static_cast<int>(plan.steps.size());
    RunResult result;

    // 1. The migration lock, for the whole run.
    const qint64 key = lockKey(m_options.versionTable);
    for (;;) {
        // The key is a number the runner computed: sent inline, it is one
        // round trip (a bound value costs PREPARE, EXECUTE and DEALLOCATE).
        Result<QVariant> locked
            = m_connection->scalar(QStringLiteral("SELECT pg_catalog.pg_try_advisory_lock(%1)").arg(key));
        if (!locked) {
            result.error = locked.error();
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
        result.error = Error::database(
            QStringLiteral("the database is at %1, but the plan starts at %2; nothing was run. "
                           "Refresh and plan again.")
                .arg(state->revisions.isEmpty() ? QStringLiteral("base")
                                                : state->revisions.join(QStringLiteral(", ")),
                    plan.startHeads.isEmpty() ? QStringLiteral("base")
                                              : plan.startHeads.join(QStringLiteral(", "))));
        finish(result);
        return result;
    }

    // 3. The script, unit by unit: a BEGIN..COMMIT block, or one autocommit item.
    const QList<ScriptItem>& items = script.items;
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
        if (!executeUnit(script, i, last, result)) {
            finish(result);
            return result;
        }
        i = last + 1;
    }
    result.outcome = RunResult::Outcome::Success;
    finish(result);
    return result;
}

bool MigrationRunner::executeUnit(const RenderedScript& script, int first, int last, RunResult& result)
{
    const QList<ScriptItem>& items = script.items;
    const bool transactional = items[first].kind == ScriptItem::Kind::Begin;
    int backoff = m_options.retryBackoffMs;
    for (int attempt = 0;; ++attempt) {
        QList<JournalRecord::Step> unitSteps;
        QElapsedTimer stepClock;
        int currentStep = -1;
        QString currentRevision;
        std::optional<Error> failure;
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
            if (item.kind == ScriptItem::Kind::Statement || item.kind == ScriptItem::Kind::VersionTable)
                emitEvent(RunEvent::Kind::Statement, currentStep, item.revision, firstLine(item.sql));
            failure = executeItem(item);
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
        if (!alive) {
            result.outcome = RunResult::Outcome::ConnectionLost;
            result.error = *failure;
            result.error.message = QStringLiteral("the connection was lost during revision %1 (%2)")
                                       .arg(items[failedAt].revision, failure->message);
            return false;
        }
        if (m_cancel.load() || failure->sqlState == kQueryCanceled) {
            result.outcome = m_cancel.load() ? RunResult::Outcome::Cancelled : RunResult::Outcome::Failed;
            result.error = *failure;
            if (m_cancel.load())
                result.error.message
                    = QStringLiteral("cancelled during revision %1%2")
                          .arg(items[failedAt].revision,
                              transactional ? QStringLiteral("; its transaction was rolled back")
                                            : QString());
            return false;
        }
        if (failure->sqlState == kLockNotAvailable && attempt < m_options.retries && transactional) {
            emitEvent(RunEvent::Kind::Retry, currentStep, items[failedAt].revision,
                QStringLiteral("lock timeout (%1); retry %2 of %3 in %4 ms")
                    .arg(failure->message)
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
        if (failure->sqlState == kLockNotAvailable) {
            const QString holders = describeTableLockHolders(*m_connection);
            result.error.message
                += QStringLiteral(" (gave up after %1 retries; sessions holding table locks: %2)")
                       .arg(m_options.retries)
                       .arg(holders.isEmpty() ? QStringLiteral("none any more") : holders);
        }
        return false;
    }
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
            result.error.message
                += QStringLiteral("; could not reconnect, so the database's state is unknown: check it "
                                  "with 'dbops current' before doing anything else");
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
                += QStringLiteral("; the database is now at %1")
                       .arg(state->revisions.isEmpty() ? QStringLiteral("base")
                                                       : state->revisions.join(QStringLiteral(", ")));
    }
}

} // namespace dbops
