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

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
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

// Revisions of the repositories written by the tests themselves (see writeRepository).
const QString kRace1 = QStringLiteral("e0e0e0e00001");
const QString kRace2 = QStringLiteral("e0e0e0e00002");
const QString kRace3 = QStringLiteral("e0e0e0e00003");
const QString kDef1 = QStringLiteral("d0d0d0d00001");
const QString kDef2 = QStringLiteral("d0d0d0d00002");
const QString kDef3 = QStringLiteral("d0d0d0d00003");
const QString kKill1 = QStringLiteral("b0b0b0b00001");
const QString kKill2 = QStringLiteral("b0b0b0b00002");
// The row "another session" adds to the version table behind the runner's back.
const QString kIntruder = QStringLiteral("c0ffee000000");

const QString kNoVersionTable = QStringLiteral("<no version table>");
const QString kVersionTable = QStringLiteral("alembic_version");

QString fixture(const QString& name)
{
    return QStringLiteral(DBOPS_TEST_DATA_DIR "/runner/") + name;
}

// One revision file of a repository a test writes for itself.
struct RevisionSource
{
    QString id;
    QString downRevision; ///< "none" for a base revision
    QString upgrade;
    QString downgrade;
    bool transactional = true;
};

// Writes `revisions` as <dir>/versions/NNNN_<id>.sql, for cases no shared
// fixture under tests/data/runner covers.
bool writeRepository(const QString& dir, const QList<RevisionSource>& revisions)
{
    if (!QDir(dir).mkpath(QStringLiteral("versions")))
        return false;
    for (int i = 0; i < revisions.size(); ++i) {
        const RevisionSource& r = revisions[i];
        QFile file(QStringLiteral("%1/versions/%2_%3.sql")
                       .arg(dir, QString::number(i + 1).rightJustified(4, QLatin1Char('0')), r.id));
        if (!file.open(QIODevice::WriteOnly))
            return false;
        QString text = QStringLiteral("-- revision: %1\n-- down_revision: %2\n-- message: revision %3\n"
                                      "-- create_date: 2025-04-01 10:00:00\n")
                           .arg(r.id, r.downRevision, QString::number(i + 1));
        if (!r.transactional)
            text += QStringLiteral("-- transactional: false\n");
        text += QStringLiteral("\n-- +upgrade\n") + r.upgrade + QStringLiteral("\n\n-- +downgrade\n")
            + r.downgrade + QLatin1Char('\n');
        if (file.write(text.toUtf8()) < 0)
            return false;
    }
    return true;
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
                       " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> "
                       "'dbops_applied_revisions' ORDER BY 1"));
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
        // It did not wait for the lock, so it does not blame another run.
        QVERIFY2(!ran.result.error.message.contains(QStringLiteral("waited")),
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

    // Another session INSERTs a row into the version table while the run is
    // under way (between the runner's statements; a new row conflicts with
    // no row the runner touches, so nothing blocks it).  The check before
    // COMMIT sees it and rolls the unit back; an autocommit revision cannot
    // be rolled back, but the run still stops and says so.
    void versionTableCheckedBeforeCommit_data()
    {
        QTest::addColumn<bool>("perRevision");
        QTest::addColumn<bool>("thirdTransactional");
        QTest::addColumn<QStringList>("expectedVersion");
        QTest::addColumn<QStringList>("expectedTables");
        QTest::addColumn<int>("expectedSteps");
        const QString one = QStringLiteral("race_one");
        const QString two = QStringLiteral("race_two");
        const QString three = QStringLiteral("race_three");
        QTest::newRow("all: revisions 2 and 3 rolled back")
            << false << true << QStringList { kIntruder, kRace1 } << QStringList { kVersionTable, one } << 0;
        QTest::newRow("per-revision: revision 3 rolled back")
            << true << true << QStringList { kIntruder, kRace2 } << QStringList { kVersionTable, one, two }
            << 1;
        QTest::newRow("all, revision 3 in autocommit: applied, but the run stops")
            << false << false << QStringList { kIntruder, kRace3 }
            << QStringList { kVersionTable, one, three, two } << 2;
    }
    void versionTableCheckedBeforeCommit()
    {
        QFETCH(bool, perRevision);
        QFETCH(bool, thirdTransactional);
        QFETCH(QStringList, expectedVersion);
        QFETCH(QStringList, expectedTables);
        QFETCH(int, expectedSteps);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(writeRepository(dir.path(),
            { { kRace1, QStringLiteral("none"), QStringLiteral("CREATE TABLE race_one (id integer);"),
                  QStringLiteral("DROP TABLE race_one;") },
                { kRace2, kRace1, QStringLiteral("CREATE TABLE race_two (id integer);"),
                    QStringLiteral("DROP TABLE race_two;") },
                { kRace3, kRace2, QStringLiteral("CREATE TABLE race_three (id integer);"),
                    QStringLiteral("DROP TABLE race_three;"), thirdTransactional } }));
        const Result<MigrationRepository> repository = MigrationRepository::load(dir.path());
        QVERIFY2(repository, qPrintable(repository.error().toString()));
        auto db = open(m_db);
        auto other = open(m_db);
        QVERIFY(db && other);
        const int runnerPid = db->serverInfo().backendPid;
        const Result<Prepared> first = prepare(*db, repository.value(), kRace1, true, perRevision);
        QVERIFY(first);
        QVERIFY(execute(*db, first.value()).result.ok());

        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, perRevision);
        QVERIFY(prepared);
        QCOMPARE(prepared->plan.revisions(), (QStringList { kRace2, kRace3 }));
        MigrationRunner runner(*db, RunOptions());
        QList<RunEvent> events;
        bool inserted = false;
        QString insertError;
        // The progress handler runs in the runner's thread just before each
        // statement: the other session's INSERT lands at a known point.
        runner.setProgressHandler([&](const RunEvent& e) {
            events.append(e);
            if (e.kind != RunEvent::Kind::Statement || e.revision != kRace3 || inserted)
                return;
            inserted = true;
            const Result<QSqlQuery> done = other->exec(
                QStringLiteral("INSERT INTO alembic_version (version_num) VALUES ($1)"), { kIntruder });
            if (!done)
                insertError = done.error().toString();
        });
        const RunResult result = runner.run(prepared->plan, prepared->script);

        QVERIFY(inserted);
        QVERIFY2(insertError.isEmpty(), qPrintable(insertError));
        QCOMPARE(outcome(result), QStringLiteral("version-mismatch"));
        const QString& message = result.error.message;
        QVERIFY2(message.contains(QStringLiteral("another session changed it during the run")),
            qPrintable(message));
        // What was found, what was expected.
        QVERIFY2(
            message.contains(QStringLiteral("holds %1, %2").arg(kIntruder, kRace3)), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("expects %1").arg(kRace3)), qPrintable(message));
        QVERIFY2(message.contains(thirdTransactional ? QStringLiteral("rolled back")
                                                     : QStringLiteral("could not be rolled back")),
            qPrintable(message));
        QCOMPARE(version(*other), expectedVersion);
        QCOMPARE(tables(*other), expectedTables);
        QVERIFY(result.finalHeadsKnown);
        QCOMPARE(result.finalHeads, expectedVersion);
        QCOMPARE(result.steps.size(), expectedSteps);
        QVERIFY(migrationLockIsFree(*other));
        QCOMPARE(sessionState(*other, runnerPid), QStringLiteral("idle"));
    }

    // Same for a stamp: its one transaction is checked before COMMIT.
    void stampCheckedBeforeCommit()
    {
        auto db = open(m_db);
        auto other = open(m_db);
        QVERIFY(db && other);
        const SqlScriptRenderer::Options options;
        auto stampPlan = [](const QStringList& from, const QStringList& to) {
            MigrationPlan plan;
            plan.startHeads = from;
            plan.endHeads = to;
            return plan;
        };
        QVERIFY(execute(*db,
            Prepared {
                stampPlan({}, { kLin1 }), SqlScriptRenderer::renderStamp({}, false, { kLin1 }, options) })
                    .result.ok());

        MigrationRunner runner(*db, RunOptions());
        bool inserted = false;
        runner.setProgressHandler([&](const RunEvent& e) {
            if (e.kind == RunEvent::Kind::Statement && !inserted)
                inserted = other
                               ->exec(QStringLiteral("INSERT INTO alembic_version (version_num) VALUES ($1)"),
                                   { kIntruder })
                               .ok();
        });
        const RunResult result = runner.run(stampPlan({ kLin1 }, { kLin2 }),
            SqlScriptRenderer::renderStamp({ kLin1 }, true, { kLin2 }, options));
        QVERIFY(inserted);
        QCOMPARE(outcome(result), QStringLiteral("version-mismatch"));
        QVERIFY2(result.error.message.contains(QStringLiteral("holds %1, %2").arg(kLin2, kIntruder)),
            qPrintable(result.error.message));
        QVERIFY2(result.error.message.contains(QStringLiteral("expects %1").arg(kLin2)),
            qPrintable(result.error.message));
        QCOMPARE(version(*other), (QStringList { kLin1, kIntruder }));
        QCOMPARE(result.finalHeads, (QStringList { kLin1, kIntruder }));
        QVERIFY(migrationLockIsFree(*other));
    }

    // A run that waited for the migration lock while another run moved the
    // database says so, and runs nothing.
    void waiterFindsTheDatabaseMoved()
    {
        const Result<MigrationRepository> repository
            = MigrationRepository::load(fixture(QStringLiteral("linear")));
        QVERIFY(repository);
        auto db = open(m_db);
        QVERIFY(db);
        const Result<Prepared> first = prepare(*db, repository.value(), kLin1, true, false);
        QVERIFY(first);
        QVERIFY(execute(*db, first.value()).result.ok());
        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, false);
        QVERIFY(prepared);

        std::atomic<bool> holding { false };
        std::atomic<bool> holderFailed { false };
        const ConnectionSettings settings = m_db;
        Helper holder([&] {
            // The other run: holds the lock, moves the database, lets go.
            Result<std::unique_ptr<DatabaseConnection>> h = DatabaseConnection::open(settings);
            const qint64 key = MigrationRunner::lockKey(kVersionTable);
            if (!h || !h.value()->exec(QStringLiteral("SELECT pg_advisory_lock($1)"), { key })) {
                holderFailed = true;
                return;
            }
            holding = true;
            QThread::msleep(800);
            if (!h.value()->exec(QStringLiteral("UPDATE alembic_version SET version_num = $1"), { kLin2 }))
                holderFailed = true;
            h.value()->exec(QStringLiteral("SELECT pg_advisory_unlock($1)"), { key });
        });
        QTRY_VERIFY_WITH_TIMEOUT(holding.load() || holderFailed.load(), 10000);
        RunOptions options;
        options.lockWaitSeconds = 10;
        const Ran ran = execute(*db, prepared.value(), options);
        holder.join();
        QVERIFY(!holderFailed.load());

        QCOMPARE(outcome(ran.result), QStringLiteral("version-mismatch"));
        const QString& message = ran.result.error.message;
        QVERIFY2(
            message.contains(QStringLiteral("another run moved the database from %1 to %2 while this one "
                                            "waited for the migration lock; nothing was run")
                                 .arg(kLin1, kLin2)),
            qPrintable(message));
        QCOMPARE(countEvents(ran.events, RunEvent::Kind::StepStarted), 0);
        auto inspector = open(m_db);
        QVERIFY(inspector);
        QCOMPARE(version(*inspector), QStringList { kLin2 });
        QVERIFY(migrationLockIsFree(*inspector));
    }

    // A DEFERRABLE INITIALLY DEFERRED constraint fails at COMMIT: the
    // message names the revision(s) of that transaction and the SQLSTATE.
    void commitTimeErrorNamesTheRevision_data()
    {
        QTest::addColumn<bool>("perRevision");
        QTest::addColumn<QStringList>("expectedVersion");
        QTest::newRow("all") << false << QStringList { kNoVersionTable };
        QTest::newRow("per-revision") << true << QStringList { kDef1 };
    }
    void commitTimeErrorNamesTheRevision()
    {
        QFETCH(bool, perRevision);
        QFETCH(QStringList, expectedVersion);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(writeRepository(dir.path(),
            { { kDef1, QStringLiteral("none"),
                  QStringLiteral("CREATE TABLE def_parent (id integer PRIMARY KEY);\n"
                                 "CREATE TABLE def_child (parent_id integer REFERENCES def_parent (id)\n"
                                 "    DEFERRABLE INITIALLY DEFERRED);"),
                  QStringLiteral("DROP TABLE def_child;\nDROP TABLE def_parent;") },
                { kDef2, kDef1, QStringLiteral("INSERT INTO def_child (parent_id) VALUES (42);"),
                    QStringLiteral("DELETE FROM def_child;") },
                { kDef3, kDef2, QStringLiteral("CREATE TABLE def_three (id integer);"),
                    QStringLiteral("DROP TABLE def_three;") } }));
        const Result<MigrationRepository> repository = MigrationRepository::load(dir.path());
        QVERIFY2(repository, qPrintable(repository.error().toString()));
        auto db = open(m_db);
        auto inspector = open(m_db);
        QVERIFY(db && inspector);
        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, perRevision);
        QVERIFY(prepared);
        // The COMMIT (and BEGIN, SET) carry the revision of their transaction's last step.
        for (const ScriptItem& item : prepared->script.items) {
            if (item.kind == ScriptItem::Kind::Commit || item.kind == ScriptItem::Kind::Begin)
                QVERIFY2(!item.revision.isEmpty(), qPrintable(item.sql));
        }
        const Ran ran = execute(*db, prepared.value());

        QCOMPARE(outcome(ran.result), QStringLiteral("failed"));
        const Error& error = ran.result.error;
        QCOMPARE(error.sqlState, QStringLiteral("23503"));
        const QString text = error.toString();
        QVERIFY2(text.contains(QStringLiteral("COMMIT")), qPrintable(text));
        QVERIFY2(text.contains(perRevision ? kDef2 : kDef3), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("SQLSTATE ()")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("[SQLSTATE ]")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("()")), qPrintable(text));
        QVERIFY2(
            !text.contains(QRegularExpression(QStringLiteral("revisions? [(:;,]|revisions?  |revisions?$"))),
            qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("def_child")), qPrintable(text));
        QCOMPARE(version(*inspector), expectedVersion);
        QVERIFY(migrationLockIsFree(*inspector));
    }

    // The connection dies at COMMIT (a deferred constraint trigger ends its
    // own backend): the message names the revision, and no empty "()" or
    // blank revision slips in.
    void connectionLostAtCommitNamesTheRevision_data()
    {
        QTest::addColumn<bool>("perRevision");
        QTest::addColumn<QStringList>("expectedHeads");
        QTest::addColumn<QString>("during");
        QTest::newRow("all") << false << QStringList {}
                             << QStringLiteral("revisions %1 to %2").arg(kKill1, kKill2);
        QTest::newRow("per-revision")
            << true << QStringList { kKill1 } << QStringLiteral("revision %1").arg(kKill2);
    }
    void connectionLostAtCommitNamesTheRevision()
    {
        QFETCH(bool, perRevision);
        QFETCH(QStringList, expectedHeads);
        QFETCH(QString, during);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(writeRepository(dir.path(),
            { { kKill1, QStringLiteral("none"),
                  QStringLiteral(
                      "CREATE FUNCTION end_own_backend() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                      "BEGIN\n"
                      "    PERFORM pg_terminate_backend(pg_backend_pid());\n"
                      "    RETURN NULL;\n"
                      "END $$;\n"
                      "CREATE TABLE kill_at_commit (id integer);\n"
                      "CREATE CONSTRAINT TRIGGER kill_at_commit_trg AFTER INSERT ON kill_at_commit\n"
                      "    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "
                      "end_own_backend();"),
                  QStringLiteral("DROP TABLE kill_at_commit;\nDROP FUNCTION end_own_backend();") },
                { kKill2, kKill1, QStringLiteral("INSERT INTO kill_at_commit (id) VALUES (1);"),
                    QStringLiteral("DELETE FROM kill_at_commit;") } }));
        const Result<MigrationRepository> repository = MigrationRepository::load(dir.path());
        QVERIFY2(repository, qPrintable(repository.error().toString()));
        auto db = open(m_db);
        auto inspector = open(m_db);
        QVERIFY(db && inspector);
        const Result<Prepared> prepared
            = prepare(*db, repository.value(), QStringLiteral("head"), true, perRevision);
        QVERIFY(prepared);
        const Ran ran = execute(*db, prepared.value());

        QCOMPARE(outcome(ran.result), QStringLiteral("connection-lost"));
        const QString text = ran.result.error.toString();
        QVERIFY2(text.contains(QStringLiteral("the connection was lost during %1 (").arg(during)),
            qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("COMMIT")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("()")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("revision  ")), qPrintable(text));
        QVERIFY2(ran.result.finalHeadsKnown, qPrintable(text));
        QCOMPARE(ran.result.finalHeads, expectedHeads);
        QVERIFY(migrationLockIsFree(*inspector));
    }

    // QPSQL appends "(SQLSTATE)" to a statement's error, and "()" when there
    // is none (a connection that broke without a word from the server).
    void errorTextCarriesNoEmptySqlState()
    {
        auto db = open(m_db);
        QVERIFY(db);
        const Error lost = db->toError(QSqlError(QStringLiteral("QPSQL: Unable to create query"),
            QStringLiteral("server closed the connection unexpectedly\n\tThis probably means the server "
                           "terminated abnormally\n\tbefore or while processing the request.\n()"),
            QSqlError::StatementError, QString()));
        QVERIFY(lost.sqlState.isEmpty());
        QCOMPARE(lost.message,
            QStringLiteral("server closed the connection unexpectedly. This probably means the server "
                           "terminated abnormally before or while processing the request."));
        QVERIFY2(!lost.toString().contains(QStringLiteral("()")), qPrintable(lost.toString()));

        const Error nothing = db->toError(QSqlError(QStringLiteral("QPSQL: Unable to create query"),
            QStringLiteral("()"), QSqlError::StatementError, QString()));
        QCOMPARE(nothing.message, QStringLiteral("QPSQL: Unable to create query"));

        // A CONTEXT spans a line per call level: none of it is the message.
        const Error nested = db->toError(QSqlError(QStringLiteral("QPSQL: Unable to create query"),
            QStringLiteral("FATAL:  terminating connection due to administrator command\n"
                           "CONTEXT:  SQL statement \"SELECT pg_terminate_backend(pg_backend_pid())\"\n"
                           "PL/pgSQL function end_own_backend() line 3 at PERFORM\n(57P01)"),
            QSqlError::StatementError, QStringLiteral("57P01")));
        QCOMPARE(nested.sqlState, QStringLiteral("57P01"));
        QCOMPARE(nested.message, QStringLiteral("terminating connection due to administrator command"));

        // A real server error keeps its message, with the SQLSTATE apart.
        const Result<QSqlQuery> failed = db->exec(QStringLiteral("SELECT 1/0"));
        QVERIFY(!failed);
        QCOMPARE(failed.error().sqlState, QStringLiteral("22012"));
        QCOMPARE(failed.error().message, QStringLiteral("division by zero"));
    }

    // Where a statement that hit lock_timeout may have waited: the relations it names.
    void relationsNamedIn_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("alter table") << QStringLiteral("ALTER TABLE lin_a ADD COLUMN note text")
                                     << QStringList { QStringLiteral("\"lin_a\"") };
        QTest::newRow("insert from a qualified table")
            << QStringLiteral("INSERT INTO app.t (id) SELECT id FROM u JOIN \"Mixed\" m USING (id)")
            << QStringList { QStringLiteral("\"app\".\"t\""), QStringLiteral("\"u\""),
                   QStringLiteral("\"Mixed\"") };
        QTest::newRow("drop tables") << QStringLiteral(
            "DROP TABLE a, s.b") << QStringList { QStringLiteral("\"a\""), QStringLiteral("\"s\".\"b\"") };
        QTest::newRow("drop index") << QStringLiteral("DROP INDEX CONCURRENTLY ix_a")
                                    << QStringList { QStringLiteral("\"ix_a\"") };
        QTest::newRow("drop function: no relation")
            << QStringLiteral("DROP FUNCTION f(integer)") << QStringList {};
        QTest::newRow("do block: nothing known")
            << QStringLiteral("DO $$ BEGIN PERFORM 1 FROM hidden; END $$") << QStringList {};
        QTest::newRow("not SQL") << QStringLiteral("this is not sql") << QStringList {};
    }
    void relationsNamedIn()
    {
        QFETCH(QString, sql);
        QFETCH(QStringList, expected);
        QCOMPARE(MigrationRunner::relationsNamedIn(sql), expected);
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
        auto bystander = open(m_db);
        auto inspector = open(m_db);
        QVERIFY(db && blocker && bystander && inspector);
        const Result<Prepared> first = prepare(*db, repository.value(), kLin2, true, false);
        QVERIFY(first);
        QVERIFY(execute(*db, first.value()).result.ok());

        // Revision 3 alters lin_a, which another session holds ACCESS EXCLUSIVE.
        const int blockerPid = blocker->serverInfo().backendPid;
        QVERIFY(blocker->exec(QStringLiteral("BEGIN")));
        QVERIFY(blocker->exec(QStringLiteral("LOCK TABLE lin_a IN ACCESS EXCLUSIVE MODE")));
        // A session holding a lock on a table the statement does not touch is no culprit.
        const int bystanderPid = bystander->serverInfo().backendPid;
        QVERIFY(bystander->exec(QStringLiteral("BEGIN")));
        QVERIFY(bystander->exec(QStringLiteral("LOCK TABLE lin_b IN ACCESS SHARE MODE")));

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
        // Each retry names who blocks: the session, what it holds, on which table.
        for (const RunEvent& e : ran.events) {
            if (e.kind != RunEvent::Kind::Retry)
                continue;
            QVERIFY2(e.text.contains(QStringLiteral("pid %1 ").arg(blockerPid)), qPrintable(e.text));
            QVERIFY2(e.text.contains(QStringLiteral("AccessExclusiveLock on lin_a")), qPrintable(e.text));
            QVERIFY2(e.text.contains(QStringLiteral("idle in transaction")), qPrintable(e.text));
            QVERIFY2(!e.text.contains(QStringLiteral("pid %1 ").arg(bystanderPid)), qPrintable(e.text));
            QCOMPARE(e.revision, kLin3);
        }
        QVERIFY2(ran.result.error.message.contains(QStringLiteral("pid %1 ").arg(blockerPid)),
            qPrintable(ran.result.error.message));
        QVERIFY2(!ran.result.error.message.contains(QStringLiteral("pid %1 ").arg(bystanderPid)),
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
        QVERIFY(bystander->exec(QStringLiteral("ROLLBACK")));
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
