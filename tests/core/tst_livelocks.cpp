// Live lock impact and the pre-flight check of the guarded path, on a real
// server (tests/with-postgres.sh): a 1,000,000-row table, and second
// sessions that hold a lock, keep a transaction open or call themselves
// pg_dump.  The figures (size, rows, indexes, estimate), the blockers, the
// refusal and WriteAnswers::ignoreBlockers.
#include "connection/DatabaseConnection.h"
#include "guarded/GuardedWrite.h"
#include "lint/LiveLockImpact.h"
#include "lint/LockRequests.h"
#include "lint/ScanThroughput.h"
#include "migrations/MigrationRepository.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace dbops;

namespace {

const QString kDatabase = QStringLiteral("livelocks");
const QString kRevision = QStringLiteral("b10c0000aa01");

QList<RelationLockRequest> requestsFor(const QString& sql)
{
    Result<RenderedScript> script = LockRequests::scriptFromSql(sql, QStringLiteral("test.sql"));
    return script ? LockRequests::fromScript(*script) : QList<RelationLockRequest> {};
}

const RelationImpact* impactOn(const LockImpactReport& report, const QString& name)
{
    for (const RelationImpact& relation : report.relations) {
        if (relation.name == name)
            return &relation;
    }
    return nullptr;
}

} // namespace

class TestLiveLocks : public QObject
{
    Q_OBJECT
private:
    ConnectionSettings m_settings;
    QTemporaryDir m_home;
    QString m_repositoryDir;

    std::unique_ptr<DatabaseConnection> open(const QString& applicationName = {})
    {
        ConnectionSettings settings = m_settings;
        if (!applicationName.isEmpty())
            settings.setValue(QStringLiteral("application_name"), applicationName);
        Result<std::unique_ptr<DatabaseConnection>> db = DatabaseConnection::open(settings);
        if (!db) {
            qWarning("%s", qPrintable(db.error().toString()));
            return nullptr;
        }
        return std::move(db.value());
    }

    bool columnExists(DatabaseConnection& db, const QString& column)
    {
        Result<QVariant> exists
            = db.scalar(QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = "
                                       "'big'::regclass AND attname = $1 AND NOT attisdropped"),
                { column });
        return exists && exists->toInt() == 1;
    }

    ConnectionTarget target() const
    {
        ConnectionTarget target;
        target.settings = m_settings;
        target.source = QStringLiteral("--database");
        return target;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString url = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (url.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (run through tests/with-postgres.sh)");
        qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral("cache")).toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        Result<std::unique_ptr<DatabaseConnection>> admin
            = DatabaseConnection::open(*ConnectionSettings::parse(url));
        QVERIFY(admin);
        QVERIFY(admin.value()->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(kDatabase)));
        QVERIFY(admin.value()->exec(QStringLiteral("CREATE DATABASE %1").arg(kDatabase)));
        m_settings = *ConnectionSettings::parse(url);
        m_settings.setValue(QStringLiteral("dbname"), kDatabase);
        auto db = open();
        QVERIFY(db);
        // A million narrow rows, unlogged while filling (a few seconds at most), then logged.
        for (const QString& sql :
            { QStringLiteral("CREATE TABLE big (id integer PRIMARY KEY, payload text NOT NULL)"),
                QStringLiteral(
                    "INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 1000000) AS g"),
                QStringLiteral("CREATE INDEX big_payload ON big (payload)"), QStringLiteral("ANALYZE big"),
                QStringLiteral("CREATE TABLE small (id integer PRIMARY KEY)") }) {
            Result<QSqlQuery> done = db->exec(sql);
            QVERIFY2(done, qPrintable(sql + QStringLiteral(": ") + done.error().toString()));
        }

        // A repository with one revision: an ACCESS EXCLUSIVE that rewrites nothing.
        m_repositoryDir = m_home.filePath(QStringLiteral("repo"));
        QVERIFY(QDir().mkpath(m_repositoryDir + QStringLiteral("/versions")));
        QFile file(m_repositoryDir + QStringLiteral("/versions/0001_b10c0000aa01_add_flag.sql"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            "-- revision: b10c0000aa01\n-- down_revision: none\n-- message: add flag\n"
            "-- create_date: 2025-03-01 10:00:00\n\n-- +upgrade\nALTER TABLE big ADD COLUMN flag boolean;\n\n"
            "-- +downgrade\nALTER TABLE big DROP COLUMN flag;\n");
    }

    void conflictTableFollowsTheDocumentation()
    {
        QVERIFY(lockModesConflict(LockMode::AccessExclusive, LockMode::AccessShare));
        QVERIFY(!lockModesConflict(LockMode::Share, LockMode::AccessShare));
        QVERIFY(!lockModesConflict(LockMode::Share, LockMode::Share));
        QVERIFY(lockModesConflict(LockMode::Share, LockMode::RowExclusive));
        QVERIFY(lockModesConflict(LockMode::ShareUpdateExclusive, LockMode::ShareUpdateExclusive));
        QVERIFY(!lockModesConflict(LockMode::ShareUpdateExclusive, LockMode::RowExclusive));
        QVERIFY(!lockModesConflict(LockMode::RowExclusive, LockMode::RowExclusive));
        QVERIFY(lockModesConflict(LockMode::Exclusive, LockMode::RowShare));
        QVERIFY(!lockModesConflict(LockMode::Exclusive, LockMode::AccessShare));
        QCOMPARE(
            lockModeFromPgLocksName(QStringLiteral("ShareRowExclusiveLock")), LockMode::ShareRowExclusive);
    }

    // Size, rows, indexes and the estimate of a rewrite; the throughput is
    // measured the first time only, then read from the cache (0600).
    void figuresOfAMillionRowTable()
    {
        auto db = open();
        QVERIFY(db);
        const QList<RelationLockRequest> requests = requestsFor(QStringLiteral(
            "ALTER TABLE big ALTER COLUMN id TYPE bigint; ALTER TABLE missing_table ADD COLUMN x int; "
            "CREATE TABLE fresh (id int); ALTER TABLE fresh ADD COLUMN y int;"));
        QCOMPARE(requests.size(), 3); // big, missing_table, fresh (created outside a transaction block)
        QVERIFY(requests.constFirst().rewrites);

        QFile::remove(ScanThroughput::cacheFilePath());
        Result<LockImpactReport> first = LiveLockImpact::read(*db, requests);
        QVERIFY2(first, qPrintable(first ? QString() : first.error().toString()));
        QVERIFY(first->available);
        QCOMPARE(first->relations.size(), 1); // the others do not exist
        const RelationImpact& big = first->relations.constFirst();
        QCOMPARE(big.name, QStringLiteral("big"));
        QCOMPARE(big.request.strongest, LockMode::AccessExclusive);
        QVERIFY2(big.tableBytes > 50 * 1024 * 1024, qPrintable(QString::number(big.tableBytes)));
        QVERIFY(big.totalBytes > big.tableBytes + 20 * 1024 * 1024); // two indexes
        QVERIFY2(big.rows > 950000 && big.rows < 1050000, qPrintable(QString::number(big.rows)));
        QCOMPARE(big.indexes.size(), 2);
        QVERIFY(big.indexes.at(0).startsWith(QStringLiteral("big_payload (")));
        QVERIFY(big.indexes.at(1).startsWith(QStringLiteral("big_pkey (")));
        QVERIFY(big.sessions.isEmpty());
        QCOMPARE(big.oldestTransactionPid, 0);
        QVERIFY(!first->throughputCached);
        QVERIFY(first->bytesPerSecond > 0);
        QVERIFY(big.estimatedSeconds > 0);
        QCOMPARE(big.estimatedSeconds, 2.0 * static_cast<double>(big.totalBytes) / first->bytesPerSecond);
        QVERIFY(first->blockers().isEmpty());
        QCOMPARE(QFileInfo(ScanThroughput::cacheFilePath()).permissions() & 0x0777,
            QFileDevice::ReadUser | QFileDevice::WriteUser); // 0600

        Result<LockImpactReport> second = LiveLockImpact::read(*db, requests);
        QVERIFY(second);
        QVERIFY(second->throughputCached);
        QCOMPARE(second->bytesPerSecond, first->bytesPerSecond);

        // A scan reads the table once: table size over the same throughput.
        Result<LockImpactReport> scan = LiveLockImpact::read(
            *db, requestsFor(QStringLiteral("ALTER TABLE big ADD CONSTRAINT positive CHECK (id > 0);")));
        QVERIFY(scan);
        QCOMPARE(scan->relations.size(), 1);
        QVERIFY(scan->relations.constFirst().request.scans);
        QCOMPARE(scan->relations.constFirst().estimatedSeconds,
            static_cast<double>(scan->relations.constFirst().tableBytes) / scan->bytesPerSecond);
    }

    // Who is in the way depends on the mode asked for: ACCESS SHARE held in an
    // open transaction blocks ALTER TABLE but not CREATE INDEX (SHARE); ROW
    // EXCLUSIVE blocks both.  Our own backend never counts.
    void blockersAreTheConflictingSessions()
    {
        auto db = open();
        auto holder = open(QStringLiteral("holder-app"));
        QVERIFY(db && holder);
        const int holderPid = holder->serverInfo().backendPid;
        QVERIFY(holder->exec(QStringLiteral("BEGIN")));
        QVERIFY(holder->exec(QStringLiteral("LOCK TABLE big IN ACCESS SHARE MODE")));
        QTest::qWait(1100); // an open transaction of more than a second

        Result<LockImpactReport> alter
            = LiveLockImpact::read(*db, requestsFor(QStringLiteral("ALTER TABLE big ADD COLUMN c int;")));
        QVERIFY(alter);
        const RelationImpact* big = impactOn(*alter, QStringLiteral("big"));
        QVERIFY(big);
        QCOMPARE(big->sessions.size(), 1);
        const LockSession& session = big->sessions.constFirst();
        QCOMPARE(session.pid, holderPid);
        QCOMPARE(session.application, QStringLiteral("holder-app"));
        QCOMPARE(session.state, QStringLiteral("idle in transaction"));
        QCOMPARE(session.held, QList<LockMode> { LockMode::AccessShare });
        QVERIFY(session.transactionSeconds >= 1.0);
        QCOMPARE(session.query, QStringLiteral("LOCK TABLE big IN ACCESS SHARE MODE"));
        QVERIFY(session.blocks);
        QCOMPARE(big->oldestTransactionPid, holderPid);
        QCOMPARE(alter->blockers().size(), 1);
        QVERIFY2(session.describe().startsWith(QStringLiteral("pid %1 (").arg(holderPid)),
            qPrintable(session.describe()));

        Result<LockImpactReport> index
            = LiveLockImpact::read(*db, requestsFor(QStringLiteral("CREATE INDEX big_id2 ON big (id);")));
        QVERIFY(index);
        QCOMPARE(impactOn(*index, QStringLiteral("big"))->request.strongest, LockMode::Share);
        QCOMPARE(impactOn(*index, QStringLiteral("big"))->sessions.size(), 1);
        QVERIFY(index->blockers().isEmpty());

        QVERIFY(holder->exec(QStringLiteral("LOCK TABLE big IN ROW EXCLUSIVE MODE")));
        index = LiveLockImpact::read(*db, requestsFor(QStringLiteral("CREATE INDEX big_id2 ON big (id);")));
        QVERIFY(index);
        QCOMPARE(index->blockers().size(), 1);
        QCOMPARE(index->blockers().constFirst().held.size(), 2);
        QVERIFY(holder->exec(QStringLiteral("ROLLBACK")));

        // Our own locks are not in the way.
        QVERIFY(db->exec(QStringLiteral("BEGIN")));
        QVERIFY(db->exec(QStringLiteral("LOCK TABLE big IN ACCESS SHARE MODE")));
        alter = LiveLockImpact::read(*db, requestsFor(QStringLiteral("ALTER TABLE big ADD COLUMN c int;")));
        QVERIFY(db->exec(QStringLiteral("ROLLBACK")));
        QVERIFY(alter);
        QVERIFY(alter->blockers().isEmpty());
        QVERIFY(impactOn(*alter, QStringLiteral("big"))->sessions.isEmpty());
    }

    // ACCESS EXCLUSIVE held elsewhere: the size functions would wait for it
    // (they take ACCESS SHARE), so the read falls back to the catalog's page
    // counts and returns at once.
    void anAccessExclusiveHolderDoesNotHoldTheReadUp()
    {
        auto db = open();
        auto holder = open();
        QVERIFY(db && holder);
        QVERIFY(holder->exec(QStringLiteral("BEGIN")));
        QVERIFY(holder->exec(QStringLiteral("LOCK TABLE big IN ACCESS EXCLUSIVE MODE")));
        QVERIFY(db->exec(QStringLiteral("SET statement_timeout = 5000")));
        QElapsedTimer clock;
        clock.start();
        Result<LockImpactReport> read = LiveLockImpact::read(
            *db, requestsFor(QStringLiteral("ALTER TABLE big ALTER COLUMN id TYPE bigint;")));
        const qint64 elapsed = clock.elapsed();
        QVERIFY(holder->exec(QStringLiteral("ROLLBACK")));
        QVERIFY(db->exec(QStringLiteral("RESET statement_timeout")));
        QVERIFY2(read, qPrintable(read ? QString() : read.error().toString()));
        QVERIFY2(elapsed < 3000, qPrintable(QString::number(elapsed)));
        const RelationImpact* big = impactOn(*read, QStringLiteral("big"));
        QVERIFY(big);
        QVERIFY(big->sizesFromCatalog);
        QVERIFY2(big->tableBytes > 50 * 1024 * 1024, qPrintable(QString::number(big->tableBytes)));
        QCOMPARE(big->indexes.size(), 2);
        QCOMPARE(read->blockers().size(), 1);
        QCOMPARE(read->blockers().constFirst().held, QList<LockMode> { LockMode::AccessExclusive });
    }

    // A session whose application_name is pg_dump is in the way of ACCESS
    // EXCLUSIVE, even before it has reached the table.
    void aRunningPgDumpBlocksAccessExclusive()
    {
        auto db = open();
        auto dump = open(QStringLiteral("pg_dump"));
        QVERIFY(db && dump);
        const int dumpPid = dump->serverInfo().backendPid;
        Result<LockImpactReport> alter
            = LiveLockImpact::read(*db, requestsFor(QStringLiteral("ALTER TABLE small ADD COLUMN c int;")));
        QVERIFY(alter);
        QCOMPARE(alter->dumps.size(), 1);
        QCOMPARE(alter->blockers().size(), 1);
        QCOMPARE(alter->blockers().constFirst().pid, dumpPid);
        QVERIFY(alter->blockers().constFirst().isDump);
        Result<LockImpactReport> index
            = LiveLockImpact::read(*db, requestsFor(QStringLiteral("CREATE INDEX small_id2 ON small (id);")));
        QVERIFY(index);
        QVERIFY(index->blockers().isEmpty());
    }

    // The guarded path: the review lists the blocker, refusals() refuses with
    // the documented exit code unless ignoreBlockers, and execute() looks
    // again right before it runs.
    void guardedWriteRefusesUnlessTold()
    {
        const Result<MigrationRepository> repository = MigrationRepository::load(m_repositoryDir);
        QVERIFY2(repository, qPrintable(repository ? QString() : repository.error().toString()));
        auto db = open();
        auto holder = open(QStringLiteral("holder-app"));
        QVERIFY(db && holder);
        const int holderPid = holder->serverInfo().backendPid;
        WriteRequest request;
        request.target = kRevision;
        request.lockTimeoutSeconds = 1;
        request.retries = 0;

        // No one in the way at review time; then a session locks the table:
        // execute() sees it and refuses, nothing runs.
        Result<WriteReview> clean = GuardedWrite::review(*db, *repository, target(), request);
        QVERIFY(clean);
        QVERIFY(clean->problems.isEmpty());
        QVERIFY(clean->locks.available);
        QCOMPARE(clean->locks.relations.size(), 1);
        QVERIFY(clean->blockers().isEmpty());
        QVERIFY(GuardedWrite::refusals(*clean, WriteAnswers()).isEmpty());
        QVERIFY(holder->exec(QStringLiteral("BEGIN")));
        QVERIFY(holder->exec(QStringLiteral("LOCK TABLE big IN ACCESS SHARE MODE")));
        {
            GuardedWrite write;
            const WriteOutcome outcome = write.execute(*db, *repository, *clean, WriteAnswers());
            QCOMPARE(outcome.status, WriteOutcome::Status::Refused);
            QCOMPARE(outcome.refusals.size(), 1);
            QVERIFY2(outcome.refusals.constFirst().message.contains(QStringLiteral("pid %1 ").arg(holderPid)),
                qPrintable(outcome.refusals.constFirst().message));
            QCOMPARE(GuardedWrite::exitCode(outcome), 2);
            QVERIFY(!columnExists(*db, QStringLiteral("flag")));
        }

        // Reviewed with the holder there: the review names it.
        Result<WriteReview> blocked = GuardedWrite::review(*db, *repository, target(), request);
        QVERIFY(blocked);
        QCOMPARE(blocked->blockers().size(), 1);
        QCOMPARE(blocked->blockers().constFirst().pid, holderPid);
        const ErrorList refused = GuardedWrite::refusals(*blocked, WriteAnswers());
        QCOMPARE(refused.size(), 1);
        const QString text = refused.constFirst().message;
        QVERIFY2(
            text.contains(QStringLiteral("the upgrade would wait for 1 other session(s)")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("on big (the upgrade asks for ACCESS EXCLUSIVE)")),
            qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("pid %1 (").arg(holderPid)), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("application holder-app")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("idle in transaction")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("LOCK TABLE big IN ACCESS SHARE MODE")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("(--ignore-blockers)")), qPrintable(text));
        QCOMPARE(GuardedWrite::exitCode(refused), 2);

        // Told to go on: it runs, and waits up to the lock timeout (1 s, no retry).
        WriteAnswers goOn;
        goOn.ignoreBlockers = true;
        QVERIFY(GuardedWrite::refusals(*blocked, goOn).isEmpty());
        {
            GuardedWrite write;
            QElapsedTimer clock;
            clock.start();
            const WriteOutcome outcome = write.execute(*db, *repository, *blocked, goOn);
            QCOMPARE(outcome.status, WriteOutcome::Status::Finished);
            QVERIFY(!outcome.run.ok());
            QVERIFY2(outcome.run.error.sqlState == QLatin1String("55P03"),
                qPrintable(outcome.run.error.toString()));
            QVERIFY(clock.elapsed() >= 900);
            QVERIFY(!columnExists(*db, QStringLiteral("flag")));
        }

        // Released: the same answers run it through.
        QVERIFY(holder->exec(QStringLiteral("ROLLBACK")));
        {
            GuardedWrite write;
            const WriteOutcome outcome = write.execute(*db, *repository, *blocked, goOn);
            QVERIFY2(outcome.ok(), qPrintable(outcome.run.error.toString()));
            QVERIFY(columnExists(*db, QStringLiteral("flag")));
        }
    }
};

QTEST_GUILESS_MAIN(TestLiveLocks)
#include "tst_livelocks.moc"
