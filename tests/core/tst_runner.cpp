// The guarded migration runner against a real PostgreSQL server (run through
// tests/with-postgres.sh, which exports DBOPS_TEST_PG_URL).  Every test gets a
// fresh database, loads a fixture repository from tests/data/runner/, plans
// with RevisionGraph, renders with SqlScriptRenderer and runs with
// MigrationRunner; what happened is checked from a second connection, so only
// committed state counts.
#include "connection/ConnectionSettings.h"
#include "connection/DatabaseConnection.h"
#include "database/VersionTable.h"
#include "migrations/MigrationRepository.h"
#include "render/SqlScriptRenderer.h"
#include "runner/MigrationRunner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QThread>
#include <QtTest>
#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

using namespace dbops;

namespace {

// Fixture revisions (tests/data/runner/*/versions, see the README there).
const QString kLin1 = QStringLiteral("a1a1a1a10001");
const QString kLin2 = QStringLiteral("a1a1a1a10002");
const QString kLin3 = QStringLiteral("a1a1a1a10003");
const QString kFail1 = QStringLiteral("f1f1f1f10001");
const QString kFail2 = QStringLiteral("f1f1f1f10002");
const QString kGuard1 = QStringLiteral("9a9a9a9a0001");
const QString kSlow1 = QStringLiteral("5e5e5e5e0001");
const QString kSlow2 = QStringLiteral("5e5e5e5e0002");
const QString kNt3 = QStringLiteral("c0c0c0c00003");

const QString kNoVersionTable = QStringLiteral("<no version table>");
const QString kVersionTable = QStringLiteral("alembic_version");

QString fixture(const QString& name)
{
    return QStringLiteral(DBOPS_TEST_DATA_DIR "/runner/") + name;
}

struct Prepared
{
    MigrationPlan plan;
    RenderedScript script;
};

struct Ran
{
    RunResult result;
    QList<RunEvent> events;
};

// Plans from where the database stands (as the CLI does) and renders.
Result<Prepared> prepare(DatabaseConnection& connection, const MigrationRepository& repository,
    const QString& target, bool upgrade, bool perRevision, int lockTimeoutMs = 0)
{
    const Result<VersionState> state = VersionTable::read(connection, kVersionTable);
    if (!state)
        return state.error();
    const RevisionGraph& graph = repository.graph();
    const Result<MigrationPlan> plan = upgrade ? graph.upgradePlan(state->revisions, target)
                                               : graph.downgradePlan(state->revisions, target);
    if (!plan)
        return plan.error();
    SqlScriptRenderer::Options options;
    options.transactionMode = perRevision ? TransactionMode::PerRevision : TransactionMode::All;
    options.createVersionTable = !state->tableExists;
    options.lockTimeoutMs = lockTimeoutMs;
    return Prepared { plan.value(), SqlScriptRenderer::render(plan.value(), graph, options) };
}

Ran execute(
    DatabaseConnection& connection, const Prepared& prepared, const RunOptions& options = RunOptions())
{
    Ran ran;
    MigrationRunner runner(connection, options);
    runner.setProgressHandler([&ran](const RunEvent& e) { ran.events.append(e); });
    ran.result = runner.run(prepared.plan, prepared.script);
    return ran;
}

int countEvents(const QList<RunEvent>& events, RunEvent::Kind kind)
{
    return static_cast<int>(
        std::count_if(events.cbegin(), events.cend(), [kind](const RunEvent& e) { return e.kind == kind; }));
}

QString outcome(const RunResult& result)
{
    return RunResult::outcomeName(result.outcome);
}

// The user tables of schema public, sorted; an error shows up as a name that
// matches nothing.
QStringList tables(DatabaseConnection& connection)
{
    Result<QSqlQuery> q = connection.exec(
        QStringLiteral("SELECT c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "
                       "n.oid = c.relnamespace "
                       " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1"));
    if (!q)
        return { QStringLiteral("<error: %1>").arg(q.error().toString()) };
    QStringList names;
    while (q.value().next())
        names.append(q.value().value(0).toString());
    return names;
}

// The version table's rows, read directly (not through VersionTable).
QStringList version(DatabaseConnection& connection)
{
    const Result<QVariant> exists
        = connection.scalar(QStringLiteral("SELECT to_regclass('public.alembic_version') IS NOT NULL"));
    if (!exists)
        return { QStringLiteral("<error: %1>").arg(exists.error().toString()) };
    if (!exists->toBool())
        return { kNoVersionTable };
    Result<QSqlQuery> q
        = connection.exec(QStringLiteral("SELECT version_num FROM public.alembic_version ORDER BY 1"));
    if (!q)
        return { QStringLiteral("<error: %1>").arg(q.error().toString()) };
    QStringList rows;
    while (q.value().next())
        rows.append(q.value().value(0).toString());
    return rows;
}

bool columnExists(DatabaseConnection& connection, const QString& table, const QString& column)
{
    const Result<QVariant> n = connection.scalar(
        QStringLiteral("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND "
                       "table_name = $1 AND column_name = $2"),
        { table, column });
    return n && n->toInt() == 1;
}

// Nobody holds the migration lock: another session can take it (and gives it back).
bool migrationLockIsFree(DatabaseConnection& connection)
{
    const Result<QVariant> got = connection.scalar(
        QStringLiteral("SELECT pg_try_advisory_lock($1)"), { MigrationRunner::lockKey(kVersionTable) });
    if (!got || !got->toBool())
        return false;
    return connection
        .exec(QStringLiteral("SELECT pg_advisory_unlock($1)"), { MigrationRunner::lockKey(kVersionTable) })
        .ok();
}

// The state of another backend as pg_stat_activity reports it ("idle", "idle in transaction" ...).
QString sessionState(DatabaseConnection& inspector, int pid)
{
    const Result<QVariant> state
        = inspector.scalar(QStringLiteral("SELECT state FROM pg_stat_activity WHERE pid = $1"), { pid });
    return state ? state->toString() : QStringLiteral("<error: %1>").arg(state.error().toString());
}

// Polls (from its own connection) until backend `pid` runs a statement
// containing pg_sleep; false after `timeoutMs`.
bool waitForSleep(DatabaseConnection& watcher, int pid, int timeoutMs = 20000)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        const Result<QVariant> n
            = watcher.scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state "
                                            "= 'active' AND query LIKE '%pg_sleep%'"),
                { pid });
        if (n && n->toInt() == 1)
            return true;
        QThread::msleep(50);
    }
    return false;
}

// A std::thread that is joined whatever way the test function returns.
class Helper
{
public:
    explicit Helper(std::function<void()> body)
        : m_thread(std::move(body))
    { }
    ~Helper() { join(); }
    void join()
    {
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    std::thread m_thread;
};

} // namespace

class TestRunner : public QObject
{
    Q_OBJECT

    ConnectionSettings m_server;
    std::unique_ptr<DatabaseConnection> m_admin;
    int m_databases = 0;
    ConnectionSettings m_db; // this test's fresh database

    std::unique_ptr<DatabaseConnection> open(const ConnectionSettings& settings)
    {
        Result<std::unique_ptr<DatabaseConnection>> c = DatabaseConnection::open(settings);
        if (!c) {
            qWarning("cannot connect: %s", qPrintable(c.error().toString()));
            return {};
        }
        return std::move(c).value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString url = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (url.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (run through tests/with-postgres.sh)");
        const Result<ConnectionSettings> server = ConnectionSettings::parse(url);
        QVERIFY2(server, qPrintable(server.error().toString()));
        m_server = server.value();
        m_admin = open(m_server);
        QVERIFY(m_admin);
    }

    // A fresh, empty database for every test function and data row.
    void init()
    {
        QString name = QStringLiteral("runner_%1_%2")
                           .arg(++m_databases)
                           .arg(QString::fromLatin1(QTest::currentTestFunction()).toLower());
        name.replace(QRegularExpression(QStringLiteral("[^a-z0-9_]")), QStringLiteral("_"));
        name.truncate(60);
        const Result<QSqlQuery> created = m_admin->exec(QStringLiteral("CREATE DATABASE %1").arg(name));
        QVERIFY2(created, qPrintable(created.error().toString()));
        m_db = m_server;
        m_db.setValue(QStringLiteral("dbname"), name);
    }

    void lockKeyIsTheDocumentedHash()
    {
        // docs: the first 8 bytes of SHA-256("dbops:" + table), as a signed 64-bit integer.
        const QString sql = QStringLiteral(
            "SELECT ('x' || left(encode(sha256(convert_to($1, 'UTF8')), 'hex'), 16))::bit(64)::bigint");
        for (const QString& table :
            { QStringLiteral("alembic_version"), QStringLiteral("app.schema_version") }) {
            const Result<QVariant> expected
                = m_admin->scalar(sql, { QString(QStringLiteral("dbops:") + table) });
            QVERIFY2(expected, qPrintable(expected.error().toString()));
            QCOMPARE(MigrationRunner::lockKey(table), expected->toLongLong());
        }
        QVERIFY(MigrationRunner::lockKey(QStringLiteral("alembic_version"))
            != MigrationRunner::lockKey(QStringLiteral("other_version")));
    }

    void upgradeBaseToHead_data()
    {
        QTest::addColumn<bool>("perRevision");
        QTest::newRow("all") << false;
        QTest::newRow("per-revision") << true;
    }
    void upgradeBaseToHead()
    {
        QFETCH(bool, perRevision);
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("linear")));
        QVERIFY2(repository, qPrintable(repository.error().toString()));
        auto db = open(m_db);
        auto inspector = open(m_db);
        QVERIFY(db && inspector);
        const int runnerPid = db->serverInfo().backendPid;

        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, perRevision);
        QVERIFY2(prepared, qPrintable(prepared.error().toString()));
        QCOMPARE(prepared->plan.revisions(), (QStringList { kLin1, kLin2, kLin3 }));
        const Ran ran = execute(*db, prepared.value());

        QVERIFY2(ran.result.ok(), qPrintable(ran.result.error.toString()));
        QCOMPARE(outcome(ran.result), QStringLiteral("success"));
        QVERIFY(ran.result.finalHeadsKnown);
        QCOMPARE(ran.result.finalHeads, QStringList { kLin3 });
        const Result<VersionState> state = VersionTable::read(*inspector, kVersionTable);
        QVERIFY(state);
        QVERIFY(state->tableExists);
        QCOMPARE(state->revisions, QStringList { kLin3 });
        QCOMPARE(state->columnWidth, 32);
        QCOMPARE(version(*inspector), QStringList { kLin3 });
        QCOMPARE(tables(*inspector),
            (QStringList { kVersionTable, QStringLiteral("lin_a"), QStringLiteral("lin_b") }));
        QVERIFY(columnExists(*inspector, QStringLiteral("lin_a"), QStringLiteral("note")));

        // One journal step per revision, in plan order.
        QCOMPARE(ran.result.steps.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(ran.result.steps[i].revision, prepared->plan.steps[i].revision);
            QCOMPARE(ran.result.steps[i].outcome, QStringLiteral("applied"));
        }

        // Events: the lock first, then each step started and finished once, in order.
        QVERIFY(!ran.events.isEmpty());
        QCOMPARE(ran.events.first().kind, RunEvent::Kind::LockAcquired);
        QCOMPARE(countEvents(ran.events, RunEvent::Kind::LockAcquired), 1);
        QCOMPARE(countEvents(ran.events, RunEvent::Kind::StepStarted), 3);
        QCOMPARE(countEvents(ran.events, RunEvent::Kind::StepFinished), 3);
        QCOMPARE(countEvents(ran.events, RunEvent::Kind::Retry), 0);
        QStringList started;
        for (const RunEvent& e : ran.events) {
            if (e.kind != RunEvent::Kind::StepStarted)
                continue;
            QCOMPARE(e.stepIndex, static_cast<int>(started.size()));
            QCOMPARE(e.stepCount, 3);
            started.append(e.revision);
        }
        QCOMPARE(started, prepared->plan.revisions());
        // A Statement event for every statement and version-table change the script holds.
        int executable = 0;
        for (const ScriptItem& item : prepared->script.items)
            executable
                += item.kind == ScriptItem::Kind::Statement || item.kind == ScriptItem::Kind::VersionTable;
        QCOMPARE(countEvents(ran.events, RunEvent::Kind::Statement), executable);

        // The lock is given back and the runner's session is not left in a transaction.
        QVERIFY(migrationLockIsFree(*inspector));
        QCOMPARE(sessionState(*inspector, runnerPid), QStringLiteral("idle"));

        // Nothing left to do: an empty plan runs as a no-op.
        const Result<Prepared> again
            = prepare(*db, repository.value(), QStringLiteral("head"), true, perRevision);
        QVERIFY(again);
        QVERIFY(again->plan.steps.isEmpty());
    }

    void failureRollsBack_data()
    {
        QTest::addColumn<bool>("perRevision");
        QTest::addColumn<QStringList>("expectedVersion");
        QTest::addColumn<QStringList>("expectedTables");
        QTest::newRow("all: nothing changed") << false << QStringList { kNoVersionTable } << QStringList {};
        QTest::newRow("per-revision: revision 1 stays")
            << true << QStringList { kFail1 } << QStringList { kVersionTable, QStringLiteral("fail_one") };
    }
    void failureRollsBack()
    {
        QFETCH(bool, perRevision);
        QFETCH(QStringList, expectedVersion);
        QFETCH(QStringList, expectedTables);
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("failing")));
        QVERIFY2(repository, qPrintable(repository.error().toString()));
        auto db = open(m_db);
        auto inspector = open(m_db);
        QVERIFY(db && inspector);
        const int runnerPid = db->serverInfo().backendPid;

        // The failing statement is the 2nd of revision 2; its missing table is on line 10, column 20.
        const QString fileName = QStringLiteral("0002_f1f1f1f10002_insert_from_missing_table.sql");
        QFile file(fixture(QStringLiteral("failing/versions/")) + fileName);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.at(10 - 1).indexOf("missing_table"), 19); // guards the fixture against edits

        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, perRevision);
        QVERIFY2(prepared, qPrintable(prepared.error().toString()));
        QCOMPARE(prepared->plan.steps.size(), 3);
        const Ran ran = execute(*db, prepared.value());

        QCOMPARE(outcome(ran.result), QStringLiteral("failed"));
        const Error& error = ran.result.error;
        QCOMPARE(error.sqlState, QStringLiteral("42P01"));
        QVERIFY2(error.file.endsWith(QLatin1Char('/') + fileName), qPrintable(error.file));
        QCOMPARE(error.line, 10);
        QCOMPARE(error.column, 20);
        QVERIFY2(error.message.contains(QStringLiteral("missing_table")), qPrintable(error.message));
        QVERIFY2(error.message.contains(kFail2), qPrintable(error.message));

        QCOMPARE(version(*inspector), expectedVersion);
        QCOMPARE(tables(*inspector), expectedTables);
        QVERIFY(ran.result.finalHeadsKnown);
        QCOMPARE(ran.result.finalHeads, perRevision ? QStringList { kFail1 } : QStringList {});
        QCOMPARE(ran.result.steps.size(), perRevision ? 1 : 0);
        // Revision 2 started, revision 3 never did.
        QCOMPARE(countEvents(ran.events, RunEvent::Kind::StepStarted), 2);

        QVERIFY(migrationLockIsFree(*inspector));
        QCOMPARE(sessionState(*inspector, runnerPid), QStringLiteral("idle"));
        QVERIFY(db->exec(QStringLiteral("SELECT 1"))); // the connection is usable again
    }

    void versionMismatchRunsNothing()
    {
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("linear")));
        QVERIFY(repository);
        auto db = open(m_db);
        auto other = open(m_db);
        QVERIFY(db && other);
        const Result<Prepared> first = prepare(*db, repository.value(), kLin1, true, false);
        QVERIFY(first);
        QVERIFY(execute(*db, first.value()).result.ok());
        QCOMPARE(version(*other), QStringList { kLin1 });

        // Planned from lin1 ... then another tool moves the version table.
        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, false);
        QVERIFY(prepared);
        QCOMPARE(prepared->plan.startHeads, QStringList { kLin1 });
        QVERIFY(other->exec(QStringLiteral("UPDATE alembic_version SET version_num = 'a1a1a1a10002'")));
        const Ran ran = execute(*db, prepared.value());

        QCOMPARE(outcome(ran.result), QStringLiteral("version-mismatch"));
        QVERIFY2(ran.result.error.message.contains(kLin2) && ran.result.error.message.contains(kLin1),
            qPrintable(ran.result.error.message));
        QCOMPARE(countEvents(ran.events, RunEvent::Kind::StepStarted), 0);
        QCOMPARE(countEvents(ran.events, RunEvent::Kind::Statement), 0);
        QVERIFY(ran.result.steps.isEmpty());
        QCOMPARE(version(*other), QStringList { kLin2 });
        QCOMPARE(tables(*other), (QStringList { kVersionTable, QStringLiteral("lin_a") }));
        QVERIFY(!columnExists(*other, QStringLiteral("lin_a"), QStringLiteral("note")));
        QVERIFY(ran.result.finalHeadsKnown);
        QCOMPARE(ran.result.finalHeads, QStringList { kLin2 });
        QVERIFY(migrationLockIsFree(*other));
    }

    // Revision 2 of the "guard" fixture empties the version table, so the
    // runner's UPDATE that follows touches 0 rows: that must fail and roll back.
    void versionChangedUnderUs_data()
    {
        QTest::addColumn<bool>("perRevision");
        QTest::addColumn<QString>("startAt");
        QTest::addColumn<QStringList>("expectedVersion");
        QTest::addColumn<QStringList>("expectedTables");
        QTest::newRow("all, from base")
            << false << QStringLiteral("base") << QStringList { kNoVersionTable } << QStringList {};
        QTest::newRow("per-revision, from base")
            << true << QStringLiteral("base") << QStringList { kGuard1 }
            << QStringList { kVersionTable, QStringLiteral("guard_one") };
        QTest::newRow("all, from revision 1") << false << kGuard1 << QStringList { kGuard1 }
                                              << QStringList { kVersionTable, QStringLiteral("guard_one") };
    }
    void versionChangedUnderUs()
    {
        QFETCH(bool, perRevision);
        QFETCH(QString, startAt);
        QFETCH(QStringList, expectedVersion);
        QFETCH(QStringList, expectedTables);
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("guard")));
        QVERIFY2(repository, qPrintable(repository.error().toString()));
        auto db = open(m_db);
        auto inspector = open(m_db);
        QVERIFY(db && inspector);
        const int runnerPid = db->serverInfo().backendPid;
        if (startAt != QLatin1String("base")) {
            const Result<Prepared> first = prepare(*db, repository.value(), startAt, true, perRevision);
            QVERIFY(first);
            QVERIFY(execute(*db, first.value()).result.ok());
            QCOMPARE(version(*inspector), QStringList { startAt });
        }
        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, perRevision);
        QVERIFY2(prepared, qPrintable(prepared.error().toString()));
        const Ran ran = execute(*db, prepared.value());

        QCOMPARE(outcome(ran.result), QStringLiteral("failed"));
        QVERIFY2(ran.result.error.message.contains(QStringLiteral("changed under us")),
            qPrintable(ran.result.error.message));
        QVERIFY2(ran.result.error.message.contains(QStringLiteral("affected 0 rows")),
            qPrintable(ran.result.error.message));
        QCOMPARE(version(*inspector), expectedVersion);
        QCOMPARE(tables(*inspector), expectedTables);
        QVERIFY(ran.result.finalHeadsKnown);
        QCOMPARE(ran.result.finalHeads,
            expectedVersion == QStringList { kNoVersionTable } ? QStringList {} : expectedVersion);
        QVERIFY(migrationLockIsFree(*inspector));
        QCOMPARE(sessionState(*inspector, runnerPid), QStringLiteral("idle"));
    }

    void lockHeldFailsAtOnce()
    {
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("linear")));
        QVERIFY(repository);
        auto db = open(m_db);
        auto holder = open(m_db);
        QVERIFY(db && holder);
        const int holderPid = holder->serverInfo().backendPid;
        QVERIFY(holder->exec(
            QStringLiteral("SELECT pg_advisory_lock($1)"), { MigrationRunner::lockKey(kVersionTable) }));

        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, false);
        QVERIFY(prepared);
        QElapsedTimer clock;
        clock.start();
        const Ran ran = execute(*db, prepared.value());
        QVERIFY2(clock.elapsed() < 3000, "with lockWaitSeconds = 0 the runner must not wait");

        QCOMPARE(outcome(ran.result), QStringLiteral("lock-held"));
        QVERIFY2(ran.result.error.message.contains(QStringLiteral("pid %1 ").arg(holderPid)),
            qPrintable(ran.result.error.message));
        QCOMPARE(countEvents(ran.events, RunEvent::Kind::LockAcquired), 0);
        QCOMPARE(countEvents(ran.events, RunEvent::Kind::StepStarted), 0);
        QCOMPARE(version(*holder), QStringList { kNoVersionTable });
        QCOMPARE(tables(*holder), QStringList {});
        // The holder still holds it: the failed run released nothing of anybody else's.
        const Result<QVariant> stillHeld = holder->scalar(
            QStringLiteral(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1"),
            { holderPid });
        QVERIFY(stillHeld);
        QCOMPARE(stillHeld->toInt(), 1);
        QVERIFY(holder->exec(QStringLiteral("SELECT pg_advisory_unlock_all()")));
    }

    // Advisory locks belong to a database: a run on another database of the
    // same server that holds the same key neither blocks us nor is named.
    void lockHolderIsFromThisDatabase()
    {
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("linear")));
        QVERIFY(repository);
        ConnectionSettings otherDatabase = m_server; // the server's "postgres" database
        auto elsewhere = open(otherDatabase);
        auto holder = open(m_db);
        auto db = open(m_db);
        QVERIFY(elsewhere && holder && db);
        const int elsewherePid = elsewhere->serverInfo().backendPid;
        const int holderPid = holder->serverInfo().backendPid;
        const qint64 key = MigrationRunner::lockKey(kVersionTable);
        QVERIFY(elsewhere->exec(QStringLiteral("SELECT pg_advisory_lock($1)"), { key }));
        QVERIFY(holder->exec(QStringLiteral("SELECT pg_advisory_lock($1)"), { key }));

        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, false);
        QVERIFY(prepared);
        const Ran ran = execute(*db, prepared.value());
        QVERIFY(elsewhere->exec(QStringLiteral("SELECT pg_advisory_unlock_all()")));
        QVERIFY(holder->exec(QStringLiteral("SELECT pg_advisory_unlock_all()")));
        QCOMPARE(outcome(ran.result), QStringLiteral("lock-held"));
        const QString why = QStringLiteral(
            "holder in this database: pid %1, holder in database postgres: pid %2; message: %3")
                                .arg(holderPid)
                                .arg(elsewherePid)
                                .arg(ran.result.error.message);
        QVERIFY2(
            ran.result.error.message.contains(QStringLiteral("pid %1 ").arg(holderPid)), qPrintable(why));
        QVERIFY2(
            !ran.result.error.message.contains(QStringLiteral("pid %1 ").arg(elsewherePid)), qPrintable(why));
    }

    void lockWaitSucceedsWhenReleased()
    {
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("linear")));
        QVERIFY(repository);
        auto db = open(m_db);
        QVERIFY(db);
        std::atomic<int> holderPid { 0 };
        std::atomic<bool> holderFailed { false };
        const ConnectionSettings settings = m_db;
        Helper holder([&] {
            // A connection belongs to its thread: this one lives and dies here.
            Result<std::unique_ptr<DatabaseConnection>> h = DatabaseConnection::open(settings);
            if (!h
                || !h.value()->exec(QStringLiteral("SELECT pg_advisory_lock($1)"),
                    { MigrationRunner::lockKey(kVersionTable) })) {
                holderFailed = true;
                return;
            }
            holderPid = h.value()->serverInfo().backendPid;
            QThread::msleep(1000);
            h.value()->exec(
                QStringLiteral("SELECT pg_advisory_unlock($1)"), { MigrationRunner::lockKey(kVersionTable) });
        });
        QTRY_VERIFY_WITH_TIMEOUT(holderPid.load() != 0 || holderFailed.load(), 10000);
        QVERIFY(!holderFailed.load());

        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, false);
        QVERIFY(prepared);
        RunOptions options;
        options.lockWaitSeconds = 3;
        const Ran ran = execute(*db, prepared.value(), options);
        holder.join();

        QVERIFY2(ran.result.ok(), qPrintable(ran.result.error.toString()));
        QVERIFY(!ran.events.isEmpty());
        QCOMPARE(ran.events.first().kind, RunEvent::Kind::LockAcquired);
        QVERIFY2(ran.events.first().elapsedMs >= 500, "the lock was taken before the holder let go");
        QVERIFY(ran.events.first().elapsedMs < 3000);
        auto inspector = open(m_db);
        QVERIFY(inspector);
        QCOMPARE(version(*inspector), QStringList { kLin3 });
    }

    void cancelWhileWaitingForTheLock()
    {
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("linear")));
        QVERIFY(repository);
        auto db = open(m_db);
        auto holder = open(m_db);
        QVERIFY(db && holder);
        QVERIFY(holder->exec(
            QStringLiteral("SELECT pg_advisory_lock($1)"), { MigrationRunner::lockKey(kVersionTable) }));
        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, false);
        QVERIFY(prepared);
        RunOptions options;
        options.lockWaitSeconds = 20;
        MigrationRunner runner(*db, options);
        QElapsedTimer clock;
        clock.start();
        Helper canceller([&runner] {
            QThread::msleep(500);
            runner.requestCancel();
        });
        const RunResult result = runner.run(prepared->plan, prepared->script);
        const qint64 elapsed = clock.elapsed();
        canceller.join();

        QCOMPARE(outcome(result), QStringLiteral("cancelled"));
        QVERIFY2(elapsed < 5000, qPrintable(QString::number(elapsed)));
        QCOMPARE(version(*holder), QStringList { kNoVersionTable });
        QCOMPARE(tables(*holder), QStringList {});
        QVERIFY(holder->exec(QStringLiteral("SELECT pg_advisory_unlock_all()")));
    }

    void lockTimeoutRetriesThenFails_data()
    {
        QTest::addColumn<int>("retries");
        QTest::newRow("no retry") << 0;
        QTest::newRow("1 retry") << 1;
        QTest::newRow("2 retries") << 2;
    }
    void lockTimeoutRetriesThenFails()
    {
        QFETCH(int, retries);
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("linear")));
        QVERIFY(repository);
        auto db = open(m_db);
        auto blocker = open(m_db);
        auto inspector = open(m_db);
        QVERIFY(db && blocker && inspector);
        const Result<Prepared> first = prepare(*db, repository.value(), kLin2, true, false);
        QVERIFY(first);
        QVERIFY(execute(*db, first.value()).result.ok());

        // Revision 3 alters lin_a, which another session holds ACCESS EXCLUSIVE.
        const int blockerPid = blocker->serverInfo().backendPid;
        QVERIFY(blocker->exec(QStringLiteral("BEGIN")));
        QVERIFY(blocker->exec(QStringLiteral("LOCK TABLE lin_a IN ACCESS EXCLUSIVE MODE")));

        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, false, 300);
        QVERIFY(prepared);
        QVERIFY(prepared->script.text().contains(QStringLiteral("SET LOCAL lock_timeout = '300ms';")));
        RunOptions options;
        options.retries = retries;
        options.retryBackoffMs = 100;
        QElapsedTimer clock;
        clock.start();
        const Ran ran = execute(*db, prepared.value(), options);

        QCOMPARE(outcome(ran.result), QStringLiteral("failed"));
        QCOMPARE(ran.result.error.sqlState, QStringLiteral("55P03"));
        QCOMPARE(countEvents(ran.events, RunEvent::Kind::Retry), retries);
        QVERIFY2(ran.result.error.message.contains(QStringLiteral("pid %1 ").arg(blockerPid)),
            qPrintable(ran.result.error.message));
        QVERIFY2(
            ran.result.error.message.contains(QStringLiteral("lin_a")), qPrintable(ran.result.error.message));
        QVERIFY2(ran.result.error.file.endsWith(QStringLiteral("/0003_a1a1a1a10003_alter_lin_a.sql")),
            qPrintable(ran.result.error.file));
        QCOMPARE(ran.result.error.line, 7);
        QVERIFY(clock.elapsed() >= 300 * (retries + 1)); // each attempt waited for lock_timeout
        QCOMPARE(version(*inspector), QStringList { kLin2 });
        QVERIFY(!columnExists(*inspector, QStringLiteral("lin_a"), QStringLiteral("note")));

        // The blocker lets go: the same plan, planned again, goes through.
        QVERIFY(blocker->exec(QStringLiteral("ROLLBACK")));
        const Result<Prepared> again
            = prepare(*db, repository.value(), QStringLiteral("head"), true, false, 300);
        QVERIFY(again);
        const Ran rerun = execute(*db, again.value(), options);
        QVERIFY2(rerun.result.ok(), qPrintable(rerun.result.error.toString()));
        QCOMPARE(countEvents(rerun.events, RunEvent::Kind::Retry), 0);
        QCOMPARE(version(*inspector), QStringList { kLin3 });
        QVERIFY(columnExists(*inspector, QStringLiteral("lin_a"), QStringLiteral("note")));
    }

    void cancelMidStatement_data()
    {
        QTest::addColumn<bool>("perRevision");
        QTest::newRow("all") << false;
        QTest::newRow("per-revision") << true;
    }
    void cancelMidStatement()
    {
        QFETCH(bool, perRevision);
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("slow")));
        QVERIFY(repository);
        auto db = open(m_db);
        auto inspector = open(m_db);
        QVERIFY(db && inspector);
        const int runnerPid = db->serverInfo().backendPid;
        const Result<Prepared> first = prepare(*db, repository.value(), kSlow1, true, perRevision);
        QVERIFY(first);
        QVERIFY(execute(*db, first.value()).result.ok());

        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, perRevision);
        QVERIFY(prepared);
        MigrationRunner runner(*db, RunOptions());
        QList<RunEvent> events;
        runner.setProgressHandler([&events](const RunEvent& e) { events.append(e); });
        QElapsedTimer clock;
        clock.start();
        std::atomic<bool> sawSleep { false };
        std::atomic<qint64> cancelledAt { -1 };
        const ConnectionSettings settings = m_db;
        Helper canceller([&] {
            Result<std::unique_ptr<DatabaseConnection>> watcher = DatabaseConnection::open(settings);
            if (watcher && waitForSleep(*watcher.value(), runnerPid)) {
                sawSleep = true;
                while (clock.elapsed() < 500)
                    QThread::msleep(10);
            }
            cancelledAt = clock.elapsed();
            runner.requestCancel();
        });
        const RunResult result = runner.run(prepared->plan, prepared->script);
        const qint64 returnedAt = clock.elapsed();
        canceller.join();

        QVERIFY2(sawSleep.load(), "the runner never reached pg_sleep");
        QCOMPARE(outcome(result), QStringLiteral("cancelled"));
        QCOMPARE(result.error.sqlState, QStringLiteral("57014"));
        QVERIFY2(returnedAt - cancelledAt.load() < 5000,
            qPrintable(QString::number(returnedAt - cancelledAt.load())));
        QCOMPARE(version(*inspector), QStringList { kSlow1 });
        QCOMPARE(tables(*inspector), (QStringList { kVersionTable, QStringLiteral("slow_config") }));
        QVERIFY(result.finalHeadsKnown);
        QCOMPARE(result.finalHeads, QStringList { kSlow1 });
        QVERIFY(result.steps.isEmpty());
        QVERIFY(migrationLockIsFree(*inspector));
        QCOMPARE(sessionState(*inspector, runnerPid), QStringLiteral("idle"));
    }

    void backendKilledMidRun_data()
    {
        QTest::addColumn<bool>("perRevision");
        QTest::addColumn<QStringList>("expectedHeads");
        QTest::addColumn<QStringList>("expectedTables");
        QTest::newRow("all: back at base") << false << QStringList {} << QStringList {};
        QTest::newRow("per-revision: revision 1 committed")
            << true << QStringList { kSlow1 } << QStringList { kVersionTable, QStringLiteral("slow_config") };
    }
    void backendKilledMidRun()
    {
        QFETCH(bool, perRevision);
        QFETCH(QStringList, expectedHeads);
        QFETCH(QStringList, expectedTables);
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("slow")));
        QVERIFY(repository);
        auto db = open(m_db);
        auto inspector = open(m_db);
        QVERIFY(db && inspector);
        const int runnerPid = db->serverInfo().backendPid;
        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, perRevision);
        QVERIFY(prepared);

        std::atomic<bool> killed { false };
        const ConnectionSettings settings = m_db;
        Helper killer([&] {
            Result<std::unique_ptr<DatabaseConnection>> watcher = DatabaseConnection::open(settings);
            if (!watcher || !waitForSleep(*watcher.value(), runnerPid))
                return;
            const Result<QVariant> done
                = watcher.value()->scalar(QStringLiteral("SELECT pg_terminate_backend($1)"), { runnerPid });
            killed = done && done->toBool();
        });
        QElapsedTimer clock;
        clock.start();
        const Ran ran = execute(*db, prepared.value());
        killer.join();

        QVERIFY2(killed.load(), "the runner's backend was not terminated");
        QVERIFY2(clock.elapsed() < 25000, "the run went on after its backend was terminated");
        QCOMPARE(outcome(ran.result), QStringLiteral("connection-lost"));
        QVERIFY2(ran.result.finalHeadsKnown, qPrintable(ran.result.error.toString()));
        QCOMPARE(ran.result.finalHeads, expectedHeads);
        QCOMPARE(
            version(*inspector), expectedHeads.isEmpty() ? QStringList { kNoVersionTable } : expectedHeads);
        QCOMPARE(tables(*inspector), expectedTables);
        QVERIFY(migrationLockIsFree(*inspector));

        // A new run (on a new connection, planned from the true state) completes.
        if (perRevision)
            QVERIFY(inspector->exec(QStringLiteral("UPDATE slow_config SET seconds = 0")));
        auto again = open(m_db);
        QVERIFY(again);
        if (!perRevision) {
            // Nothing survived, so slow_config would say 30 again: stop at revision 1 and make it short
            // first.
            const Result<Prepared> first = prepare(*again, repository.value(), kSlow1, true, perRevision);
            QVERIFY(first);
            QVERIFY(execute(*again, first.value()).result.ok());
            QVERIFY(inspector->exec(QStringLiteral("UPDATE slow_config SET seconds = 0")));
        }
        const Result<Prepared> rest
            = prepare(*again, repository.value(), QStringLiteral("head"), true, perRevision);
        QVERIFY(rest);
        const Ran rerun = execute(*again, rest.value());
        QVERIFY2(rerun.result.ok(), qPrintable(rerun.result.error.toString()));
        QCOMPARE(version(*inspector), QStringList { kSlow2 });
        QCOMPARE(tables(*inspector),
            (QStringList { kVersionTable, QStringLiteral("slow_config"), QStringLiteral("slow_marker") }));
    }

    void nonTransactionalRevision_data()
    {
        QTest::addColumn<bool>("perRevision");
        QTest::newRow("all") << false;
        QTest::newRow("per-revision") << true;
    }
    void nonTransactionalRevision()
    {
        QFETCH(bool, perRevision);
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("nontransactional")));
        QVERIFY2(repository, qPrintable(repository.error().toString()));
        auto db = open(m_db);
        auto inspector = open(m_db);
        QVERIFY(db && inspector);
        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, perRevision, 5000);
        QVERIFY(prepared);

        // CONCURRENTLY stands outside every BEGIN..COMMIT, in autocommit.
        bool inTransaction = false;
        int concurrently = 0;
        for (const ScriptItem& item : prepared->script.items) {
            if (item.kind == ScriptItem::Kind::Begin)
                inTransaction = true;
            else if (item.kind == ScriptItem::Kind::Commit)
                inTransaction = false;
            else if (item.kind == ScriptItem::Kind::Statement
                && item.sql.contains(QStringLiteral("CONCURRENTLY"))) {
                ++concurrently;
                QVERIFY2(!inTransaction && item.autocommit, qPrintable(prepared->script.text()));
            }
        }
        QCOMPARE(concurrently, 2);
        QVERIFY(!inTransaction);

        // CREATE INDEX CONCURRENTLY fails (25001) inside a transaction block: success proves it ran outside.
        const Ran ran = execute(*db, prepared.value());
        QVERIFY2(ran.result.ok(), qPrintable(ran.result.error.toString()));
        QCOMPARE(version(*inspector), QStringList { kNt3 });
        const Result<QVariant> valid = inspector->scalar(
            QStringLiteral("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                           " WHERE c.relname IN ('ix_nt_items_name', 'ux_nt_items_id_name') AND i.indisvalid "
                           "AND i.indisready"));
        QVERIFY(valid);
        QCOMPARE(valid->toInt(), 2);
        QVERIFY(columnExists(*inspector, QStringLiteral("nt_items"), QStringLiteral("note")));
        QVERIFY(migrationLockIsFree(*inspector));

        // And back down, through the non-transactional downgrade.
        const Result<Prepared> down
            = prepare(*db, repository.value(), QStringLiteral("base"), false, perRevision);
        QVERIFY(down);
        const Ran ranDown = execute(*db, down.value());
        QVERIFY2(ranDown.result.ok(), qPrintable(ranDown.result.error.toString()));
        QCOMPARE(version(*inspector), QStringList { kNoVersionTable });
        QCOMPARE(tables(*inspector), QStringList {});
    }

    // Progress and journal steps: one StepStarted/StepFinished and one
    // journal step per revision, also for a revision that runs in autocommit.
    void nonTransactionalRevisionReportsEachStepOnce_data()
    {
        QTest::addColumn<bool>("perRevision");
        QTest::newRow("all") << false;
        QTest::newRow("per-revision") << true;
    }
    void nonTransactionalRevisionReportsEachStepOnce()
    {
        QFETCH(bool, perRevision);
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("nontransactional")));
        QVERIFY(repository);
        auto db = open(m_db);
        QVERIFY(db);
        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, perRevision);
        QVERIFY(prepared);
        const Ran ran = execute(*db, prepared.value());
        QVERIFY2(ran.result.ok(), qPrintable(ran.result.error.toString()));

        QStringList started;
        QStringList finished;
        for (const RunEvent& e : ran.events) {
            if (e.kind == RunEvent::Kind::StepStarted)
                started.append(e.revision);
            else if (e.kind == RunEvent::Kind::StepFinished)
                finished.append(e.revision);
        }
        // Joined, so that a failure shows the lists.
        const QString expected = prepared->plan.revisions().join(QLatin1Char(' '));
        QCOMPARE(started.join(QLatin1Char(' ')), expected);
        QCOMPARE(finished.join(QLatin1Char(' ')), expected);
        QStringList journaled;
        for (const JournalRecord::Step& step : ran.result.steps)
            journaled.append(step.revision);
        QCOMPARE(journaled.join(QLatin1Char(' ')), expected);
    }

    void stampMovesVersionTable()
    {
        auto db = open(m_db);
        auto inspector = open(m_db);
        QVERIFY(db && inspector);
        const SqlScriptRenderer::Options options;
        auto stamp = [&](const QStringList& from, bool tableExists, const QStringList& to) {
            MigrationPlan plan;
            plan.upgrade = true;
            plan.startHeads = from;
            plan.endHeads = to;
            return execute(
                *db, Prepared { plan, SqlScriptRenderer::renderStamp(from, tableExists, to, options) });
        };

        Ran ran = stamp({}, false, { kLin2 });
        QVERIFY2(ran.result.ok(), qPrintable(ran.result.error.toString()));
        QCOMPARE(version(*inspector), QStringList { kLin2 });
        QCOMPARE(ran.result.finalHeads, QStringList { kLin2 });
        QCOMPARE(tables(*inspector), QStringList { kVersionTable }); // no migration ran

        ran = stamp({ kLin2 }, true, { kLin1 });
        QVERIFY2(ran.result.ok(), qPrintable(ran.result.error.toString()));
        QCOMPARE(version(*inspector), QStringList { kLin1 });

        ran = stamp({ kLin1 }, true, {});
        QVERIFY2(ran.result.ok(), qPrintable(ran.result.error.toString()));
        QCOMPARE(version(*inspector), QStringList {}); // the table stays, empty
        QCOMPARE(tables(*inspector), QStringList { kVersionTable });

        // A stamp planned from a stale state runs nothing.
        ran = stamp({ kLin3 }, true, { kLin1 });
        QCOMPARE(outcome(ran.result), QStringLiteral("version-mismatch"));
        QCOMPARE(version(*inspector), QStringList {});
        QVERIFY(migrationLockIsFree(*inspector));
    }

    void noticesArriveAsEvents()
    {
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("linear")));
        QVERIFY(repository);
        auto db = open(m_db);
        QVERIFY(db);
        const Result<Prepared> prepared = prepare(*db, repository.value(), kLin2, true, false);
        QVERIFY(prepared);
        const Ran ran = execute(*db, prepared.value());
        QVERIFY2(ran.result.ok(), qPrintable(ran.result.error.toString()));

        int doBlock = -1;
        int notice = -1;
        for (int i = 0; i < ran.events.size(); ++i) {
            const RunEvent& e = ran.events[i];
            if (e.kind == RunEvent::Kind::Statement && e.text.startsWith(QStringLiteral("DO $$")))
                doBlock = i;
            if (e.kind == RunEvent::Kind::Notice) {
                QCOMPARE(notice, -1); // exactly one
                notice = i;
                QCOMPARE(e.text, QStringLiteral("NOTICE: lin_b created by runner"));
            }
        }
        QVERIFY(doBlock >= 0);
        QVERIFY(notice > doBlock);
    }
};

QTEST_GUILESS_MAIN(TestRunner)
#include "tst_runner.moc"
