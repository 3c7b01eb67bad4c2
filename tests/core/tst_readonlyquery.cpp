// The query console's core against a real server: reads run and come back as
// compact tables; writes are refused before anything is sent (proved by the
// server's own record of the session's last statement); a write hidden in a
// function fails inside the READ ONLY transaction; the statement timeout,
// cancel and the row limit stop a query and leave the connection usable; the
// runbook's "9 active style/macro factors" check runs by hand; the history
// file is private and capped.  Runs through tests/with-postgres.sh.
#include "checks/CheckRepository.h"
#include "connection/DatabaseConnection.h"
#include "migrations/MigrationRepository.h"
#include "query/QueryController.h"
#include "query/QueryHistory.h"
#include "query/QueryResultFormat.h"
#include "query/ReadOnlyQuery.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <thread>

using namespace dbops;

namespace {

const QString kDatabase = QStringLiteral("dbops_query_test");

QString migrationsDirectory()
{
    return QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR);
}

QString cells(const QueryResult& result, int row)
{
    QStringList values;
    for (int column = 0; column < result.table->columnCount(); ++column)
        values.append(
            result.table->isNull(row, column) ? QStringLiteral("NULL") : result.table->text(row, column));
    return values.join(QLatin1Char('|'));
}

QString describe(const QueryResult& result)
{
    return QueryResult::statusName(result.status) + QStringLiteral(": ")
        + (result.error ? result.error->toString() : QString());
}

} // namespace

class TestReadOnlyQuery : public QObject
{
    Q_OBJECT

    ConnectionSettings m_admin;
    ConnectionSettings m_settings;
    std::unique_ptr<DatabaseConnection> m_connection; ///< the one the queries run on
    int m_pid = 0; ///< its server process
    QTemporaryDir m_dir;

    std::unique_ptr<DatabaseConnection> connect(const ConnectionSettings& settings)
    {
        Result<std::unique_ptr<DatabaseConnection>> c = DatabaseConnection::open(settings);
        if (!c)
            qWarning("%s", qPrintable(c.error().toString()));
        return c ? std::move(c).value() : nullptr;
    }

    QueryResult run(const QString& sql, const ReadOnlyQuery::Options& options = ReadOnlyQuery::Options())
    {
        ReadOnlyQuery query(options);
        return query.run(*m_connection, sql);
    }

    QVariant adminScalar(const QString& sql)
    {
        auto c = connect(m_settings);
        if (!c)
            return {};
        Result<QVariant> v = c->scalar(sql);
        if (!v)
            qWarning("%s", qPrintable(v.error().toString()));
        return v ? v.value() : QVariant();
    }

    // The last statement the query connection's server process received.
    QString lastStatementSeen()
    {
        return adminScalar(QStringLiteral("SELECT query FROM pg_stat_activity WHERE pid = %1").arg(m_pid))
            .toString();
    }

    bool connectionIdleAndUsable()
    {
        const QueryResult after = run(QStringLiteral("SELECT 41 + 1 AS answer"));
        return after.ok() && after.rowCount() == 1 && after.table->text(0, 0) == QLatin1String("42");
    }

    ConnectionTarget target() const
    {
        ConnectionTarget t;
        t.settings = m_settings;
        t.source = QStringLiteral("test");
        return t;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString url = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (url.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (tests/with-postgres.sh)");
        Result<ConnectionSettings> admin = ConnectionSettings::parse(url);
        QVERIFY(admin);
        m_admin = admin.value();
        m_settings = m_admin;
        m_settings.setValue(QStringLiteral("dbname"), kDatabase);
        {
            auto c = connect(m_admin);
            QVERIFY(c);
            QVERIFY(c->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(kDatabase)));
            QVERIFY(c->exec(QStringLiteral("CREATE DATABASE %1").arg(kDatabase)));
        }
        auto c = connect(m_settings);
        QVERIFY(c);
        const QStringList setup {
            QStringLiteral("CREATE TABLE accounts (id int PRIMARY KEY, name text, balance numeric(12,2))"),
            QStringLiteral(
                "INSERT INTO accounts VALUES (1, 'Ada', 10.50), (2, 'Bob, \"the\" builder', NULL), "
                "(3, NULL, -3.00)"),
            QStringLiteral("CREATE SEQUENCE ticket_numbers"),
            QStringLiteral("CREATE FUNCTION sneaky_write() RETURNS int LANGUAGE plpgsql VOLATILE AS "
                           "$$ BEGIN INSERT INTO accounts VALUES (99, 'sneaky', 0); RETURN 1; END $$"),
            QStringLiteral("CREATE PROCEDURE touch_accounts() LANGUAGE sql AS "
                           "$$ UPDATE accounts SET balance = balance $$"),
        };
        for (const QString& sql : setup)
            QVERIFY2(c->exec(sql), qPrintable(sql));
        m_connection = connect(m_settings);
        QVERIFY(m_connection);
        m_pid = m_connection->serverInfo().backendPid;
        QVERIFY(m_pid > 0);
    }

    void readsComeBackAsTables()
    {
        if (!m_connection)
            QSKIP("no server");
        const QueryResult result = run(QStringLiteral("SELECT id, name, balance FROM accounts ORDER BY id"));
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result.statementCount, 1);
        QCOMPARE(result.commandTag, QStringLiteral("SELECT 3"));
        QVERIFY(!result.truncated);
        QCOMPARE(result.statementTimeoutSeconds, 30);
        QCOMPARE(result.table->columnCount(), 3);
        QCOMPARE(result.table->columns().at(0).name, QStringLiteral("id"));
        QCOMPARE(result.table->columns().at(0).typeName, QStringLiteral("integer"));
        QCOMPARE(result.table->columns().at(1).typeName, QStringLiteral("text"));
        QCOMPARE(result.table->columns().at(2).typeName, QStringLiteral("numeric"));
        QVERIFY(result.table->columns().at(0).numeric);
        QVERIFY(!result.table->columns().at(1).numeric);
        QCOMPARE(result.rowCount(), 3);
        // The server's text, exactly: numeric keeps its scale, NULL stays NULL.
        QCOMPARE(cells(result, 0), QStringLiteral("1|Ada|10.50"));
        QCOMPARE(cells(result, 1), QStringLiteral("2|Bob, \"the\" builder|NULL"));
        QCOMPARE(cells(result, 2), QStringLiteral("3|NULL|-3.00"));
        QVERIFY(!result.table->isNull(0, 1));
        QVERIFY(result.table->isNull(2, 1));

        const QList<int> rows = QueryResultFormat::allRows(*result.table);
        const QList<int> columns = QueryResultFormat::allColumns(*result.table);
        QCOMPARE(QueryResultFormat::csv(*result.table, rows, columns),
            QStringLiteral("id,name,balance\n1,Ada,10.50\n2,\"Bob, \"\"the\"\" builder\",\n3,,-3.00\n"));
        QCOMPARE(QueryResultFormat::markdown(*result.table, { 1, 2 }, { 1, 2 }),
            QStringLiteral("| name | balance |\n|---|---:|\n| Bob, \"the\" builder | *NULL* |\n"
                           "| *NULL* | -3.00 |\n"));
    }

    void everyKindOfRead_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("firstCell");
        QTest::newRow("values") << "VALUES (7, 'x')"
                                << "7";
        QTest::newRow("table") << "TABLE accounts"
                               << "1";
        QTest::newRow("with")
            << "WITH rich AS (SELECT * FROM accounts WHERE balance > 0) SELECT count(*) FROM rich"
            << "1";
        QTest::newRow("show") << "SHOW statement_timeout"
                              << "30s";
        QTest::newRow("show transaction_read_only") << "SHOW transaction_read_only"
                                                    << "on";
        QTest::newRow("explain") << "EXPLAIN (COSTS OFF) SELECT * FROM accounts"
                                 << "Seq Scan on accounts";
        QTest::newRow("explain of a write") << "EXPLAIN (COSTS OFF) DELETE FROM accounts"
                                            << "Delete on accounts";
        QTest::newRow("explain analyze of a read")
            << "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT 1"
            << "Result (actual rows=1 loops=1)";
        QTest::newRow("two reads: the last one's rows") << "SELECT 1; -- first\nSELECT 'second'"
                                                        << "second";
        QTest::newRow("comments only around it")
            << "-- the runbook query\n/* block */ SELECT 5 /* after */;\n"
            << "5";
    }
    void everyKindOfRead()
    {
        if (!m_connection)
            QSKIP("no server");
        QFETCH(QString, sql);
        QFETCH(QString, firstCell);
        const QueryResult result = run(sql);
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QVERIFY(result.rowCount() >= 1);
        QCOMPARE(result.table->text(0, 0), firstCell);
    }

    void writesAreRefusedBeforeSending_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("fragment");
        QTest::addColumn<int>("line");
        QTest::newRow("insert") << "INSERT INTO accounts VALUES (5, 'x', 1)"
                                << "INSERT is not a read" << 1;
        QTest::newRow("update") << "UPDATE accounts SET balance = 0"
                                << "UPDATE is not a read" << 1;
        QTest::newRow("delete") << "DELETE FROM accounts"
                                << "DELETE is not a read" << 1;
        QTest::newRow("cte with delete")
            << "WITH gone AS (DELETE FROM accounts RETURNING *) SELECT count(*) FROM gone"
            << "a WITH query that runs DELETE writes" << 1;
        QTest::newRow("nested cte with update")
            << "SELECT * FROM (WITH u AS (UPDATE accounts SET name = '' RETURNING id) SELECT id FROM u) s"
            << "runs UPDATE writes" << 1;
        QTest::newRow("terminate a backend") << "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                             << "must not call pg_terminate_backend()" << 1;
        QTest::newRow("set_config") << "SELECT 1;\nSELECT set_config('statement_timeout', '0', true)"
                                    << "must not call set_config()" << 2;
        QTest::newRow("nextval") << "SELECT nextval('ticket_numbers')"
                                 << "must not call nextval()" << 1;
        QTest::newRow("copy out") << "COPY accounts TO STDOUT"
                                  << "COPY is not run here" << 1;
        QTest::newRow("copy in") << "COPY accounts FROM STDIN"
                                 << "COPY is not run here" << 1;
        QTest::newRow("do") << "DO $$ BEGIN DELETE FROM accounts; END $$"
                            << "DO is not a read" << 1;
        QTest::newRow("call") << "CALL touch_accounts()"
                              << "CALL is not a read" << 1;
        QTest::newRow("a write after reads") << "SELECT 1;\nSELECT 2;\n\n  DELETE FROM accounts;"
                                             << "DELETE is not a read" << 4;
        QTest::newRow("select into") << "SELECT * INTO copy_of_accounts FROM accounts"
                                     << "SELECT INTO creates a table" << 1;
        QTest::newRow("for update") << "SELECT * FROM accounts FOR UPDATE"
                                    << "locks rows" << 1;
        QTest::newRow("explain analyze of a write") << "EXPLAIN ANALYZE DELETE FROM accounts"
                                                    << "EXPLAIN ANALYZE runs the statement" << 1;
        QTest::newRow("set") << "SET statement_timeout = 0"
                             << "SET is not a read" << 1;
        QTest::newRow("commit") << "COMMIT"
                                << "not a read" << 1;
        QTest::newRow("create table") << "CREATE TABLE x (a int)"
                                      << "CREATE TABLE is not a read" << 1;
        QTest::newRow("truncate") << "TRUNCATE accounts"
                                  << "TRUNCATE is not a read" << 1;
        QTest::newRow("lock") << "LOCK TABLE accounts"
                              << "not a read" << 1;
        QTest::newRow("syntax error") << "SELECT * FROM\nWHERE"
                                      << "syntax error" << 2;
        QTest::newRow("nothing") << "-- only a comment"
                                 << "nothing to run" << 0;
    }
    void writesAreRefusedBeforeSending()
    {
        if (!m_connection)
            QSKIP("no server");
        QFETCH(QString, sql);
        QFETCH(QString, fragment);
        QFETCH(int, line);
        const QString marker
            = QStringLiteral("SELECT 'marker before %1'").arg(QLatin1String(QTest::currentDataTag()));
        QVERIFY(m_connection->exec(marker));

        const QueryResult result = run(sql);
        QCOMPARE(result.status, QueryResult::Status::Refused);
        QVERIFY(result.error);
        QVERIFY2(result.error->message.contains(fragment), qPrintable(result.error->message));
        QCOMPARE(result.error->line, line);
        QVERIFY(!result.table);
        // Nothing reached the server: its last statement is still the marker.
        QCOMPARE(lastStatementSeen(), marker);
        QCOMPARE(adminScalar(QStringLiteral("SELECT count(*) FROM accounts")).toInt(), 3);
        QCOMPARE(
            adminScalar(QStringLiteral("SELECT to_regclass('copy_of_accounts') IS NULL")).toBool(), true);
    }

    void aWriteHiddenInAFunctionFailsInTheReadOnlyTransaction()
    {
        if (!m_connection)
            QSKIP("no server");
        const QueryResult result = run(QStringLiteral("SELECT 1;\nSELECT sneaky_write()"));
        QCOMPARE(result.status, QueryResult::Status::Failed);
        QVERIFY(result.error);
        QCOMPARE(result.error->sqlState, QStringLiteral("25006")); // read_only_sql_transaction
        QVERIFY2(result.error->message.contains(QLatin1String("read-only transaction")),
            qPrintable(result.error->message));
        QCOMPARE(result.error->line, 2);
        QCOMPARE(adminScalar(QStringLiteral("SELECT count(*) FROM accounts")).toInt(), 3);
        QVERIFY(connectionIdleAndUsable());
    }

    void serverErrorsPointIntoTheText()
    {
        if (!m_connection)
            QSKIP("no server");
        const QueryResult result
            = run(QStringLiteral("SELECT 1;\nSELECT id,\n       no_such_column FROM accounts"));
        QCOMPARE(result.status, QueryResult::Status::Failed);
        QCOMPARE(result.error->sqlState, QStringLiteral("42703"));
        QCOMPARE(result.error->line, 3);
        QCOMPARE(result.error->column, 8);
        QVERIFY(connectionIdleAndUsable());
    }

    void statementTimeoutFires()
    {
        if (!m_connection)
            QSKIP("no server");
        ReadOnlyQuery::Options options;
        options.statementTimeoutSeconds = 1;
        QElapsedTimer timer;
        timer.start();
        const QueryResult result = run(QStringLiteral("SELECT pg_sleep(20)"), options);
        QVERIFY2(timer.elapsed() < 8000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(result.status, QueryResult::Status::Failed);
        QCOMPARE(result.error->sqlState, QStringLiteral("57014"));
        QVERIFY2(result.error->message.contains(QLatin1String("statement timeout")),
            qPrintable(result.error->message));
        QCOMPARE(result.statementTimeoutSeconds, 1);
        QVERIFY(connectionIdleAndUsable());
    }

    void cancelReturnsPromptly()
    {
        if (!m_connection)
            QSKIP("no server");
        ReadOnlyQuery query;
        std::thread canceller([&query] {
            std::this_thread::sleep_for(std::chrono::milliseconds(700));
            query.requestCancel();
        });
        QElapsedTimer timer;
        timer.start();
        const QueryResult result = query.run(*m_connection, QStringLiteral("SELECT pg_sleep(30)"));
        const qint64 elapsed = timer.elapsed();
        canceller.join();
        QCOMPARE(result.status, QueryResult::Status::Cancelled);
        QVERIFY(result.error);
        QVERIFY(result.error->message.startsWith(QLatin1String("cancelled")));
        QVERIFY2(elapsed < 5000, qPrintable(QString::number(elapsed)));
        QVERIFY(elapsed >= 600);
        QVERIFY(connectionIdleAndUsable());
    }

    void cancelThroughTheControllerKeepsItsConnection()
    {
        if (!m_connection)
            QSKIP("no server");
        QueryController controller;
        QSignalSpy finished(&controller, &QueryController::finished);
        QSignalSpy busy(&controller, &QueryController::busyChanged);
        controller.run(target(), QStringLiteral("SELECT pg_backend_pid()"));
        QVERIFY(finished.wait(10000));
        QueryResult first = finished.takeFirst().at(0).value<QueryResult>();
        QVERIFY2(first.ok(), qPrintable(describe(first)));
        const QString pid = first.table->text(0, 0);

        controller.run(target(), QStringLiteral("SELECT pg_sleep(30)"));
        QVERIFY(controller.isBusy());
        // Wait until the server runs it, then cancel from this (the "GUI") thread.
        QTRY_VERIFY_WITH_TIMEOUT(
            adminScalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE pid = %1 AND query LIKE "
                                       "'SELECT pg_sleep%' AND state = 'active'")
                            .arg(pid))
                    .toInt()
                == 1,
            10000);
        QElapsedTimer timer;
        timer.start();
        controller.cancel();
        QVERIFY(finished.wait(5000));
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
        const QueryResult cancelled = finished.takeFirst().at(0).value<QueryResult>();
        QCOMPARE(cancelled.status, QueryResult::Status::Cancelled);
        QVERIFY(!controller.isBusy());

        controller.run(target(), QStringLiteral("SELECT pg_backend_pid()"));
        QVERIFY(finished.wait(10000));
        const QueryResult again = finished.takeFirst().at(0).value<QueryResult>();
        QVERIFY2(again.ok(), qPrintable(describe(again)));
        QCOMPARE(again.table->text(0, 0), pid); // the same connection, still usable
        QVERIFY(busy.count() >= 4);
    }

    void rowLimit()
    {
        if (!m_connection)
            QSKIP("no server");
        ReadOnlyQuery::Options options;
        options.rowLimit = 1000;
        QElapsedTimer timer;
        timer.start();
        const QueryResult truncated
            = run(QStringLiteral("SELECT g FROM generate_series(1, 2000000) g"), options);
        QVERIFY2(truncated.ok(), qPrintable(describe(truncated)));
        QCOMPARE(truncated.rowCount(), 1000);
        QVERIFY(truncated.truncated);
        QCOMPARE(truncated.table->text(999, 0), QStringLiteral("1000"));
        QCOMPARE(truncated.table->columns().at(0).typeName, QStringLiteral("integer"));
        QVERIFY(connectionIdleAndUsable());

        const QueryResult exact = run(QStringLiteral("SELECT g FROM generate_series(1, 1000) g"), options);
        QVERIFY(exact.ok());
        QCOMPARE(exact.rowCount(), 1000);
        QVERIFY(!exact.truncated);
        QCOMPARE(exact.commandTag, QStringLiteral("SELECT 1000"));
    }

    void aHundredThousandRowsStayCompact()
    {
        if (!m_connection)
            QSKIP("no server");
        const QueryResult result = run(QStringLiteral(
            "SELECT g AS id, 'customer ' || g AS name, g * 1.25 AS amount, g % 7 = 0 AS flagged, "
            "md5(g::text) AS token, DATE '2024-01-01' + g % 365 AS day, g % 100 AS bucket, "
            "CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || g END AS note, g::float8 / 3 AS ratio, "
            "TIMESTAMP '2024-01-01 00:00' + g * INTERVAL '1 minute' AS at "
            "FROM generate_series(1, 150000) g"));
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result.rowCount(), ReadOnlyQuery::Options::kDefaultRowLimit);
        QVERIFY(result.truncated);
        QCOMPARE(result.table->columnCount(), 10);
        QCOMPARE(result.table->text(99999, 1), QStringLiteral("customer 100000"));
        QVERIFY(result.table->isNull(99999, 7));
        qInfo("100,000 rows x 10 columns: %.1f MB", double(result.table->memoryBytes()) / 1e6);
        QVERIFY(result.table->memoryBytes() < 40 * 1024 * 1024);
    }

    void theRunbookFactorCheckRunsByHand()
    {
        if (!m_connection)
            QSKIP("no server");
        ErrorList errors;
        Result<MigrationRepository> migrations = MigrationRepository::load(migrationsDirectory(), &errors);
        QVERIFY2(migrations, qPrintable(migrations.error().toString()));
        Result<MigrationPlan> plan = migrations->graph().upgradePlan({}, QStringLiteral("heads"));
        QVERIFY2(plan, qPrintable(plan.error().toString()));
        {
            auto c = connect(m_settings);
            QVERIFY(c);
            QVERIFY(c->exec(QStringLiteral("BEGIN")));
            for (const MigrationStep& step : plan->steps) {
                for (const SqlStatement& s : migrations->graph().revision(step.revision).upgrade.statements) {
                    Result<QSqlQuery> r = c->exec(s.text);
                    QVERIFY2(r, qPrintable(r.error().toString()));
                }
            }
            QVERIFY(c->exec(QStringLiteral("COMMIT")));
        }
        // The check file as it is, pasted into the console: comments and all.
        QFile file(migrationsDirectory() + QStringLiteral("/checks/active-style-macro-factors.sql"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString runbook = QString::fromUtf8(file.readAll());

        const QueryResult before = run(runbook);
        QVERIFY2(before.ok(), qPrintable(describe(before)));
        QCOMPARE(before.rowCount(), 1);
        QStringList names;
        for (const QueryColumn& column : before.table->columns())
            names.append(column.name);
        QCOMPARE(names,
            (QStringList { QStringLiteral("check"), QStringLiteral("expected"), QStringLiteral("actual"),
                QStringLiteral("ok") }));
        QCOMPARE(before.table->text(0, 1), QStringLiteral("9 active"));
        QVERIFY2(
            before.table->text(0, 2).startsWith(QLatin1String("10 active: ")), qPrintable(cells(before, 0)));
        QVERIFY(before.table->text(0, 2).contains(QLatin1String("Short Interest")));
        QCOMPARE(before.table->text(0, 3), QStringLiteral("f"));

        // The fix, as a DBA would apply it; the console then shows the 9.
        QVERIFY(connect(m_settings)
                    ->exec(QStringLiteral(
                        "UPDATE factor_definitions SET is_active = FALSE WHERE name = 'Short Interest'")));
        const QueryResult after = run(runbook);
        QVERIFY2(after.ok(), qPrintable(describe(after)));
        QCOMPARE(after.table->text(0, 2),
            QStringLiteral(
                "9 active: Growth, Interest Rate Sensitivity, Low Volatility, Market Beta, Momentum, "
                "Oil Price Sensitivity, Quality, Size, Value"));
        QCOMPARE(after.table->text(0, 3), QStringLiteral("t"));
    }

    void historyIsPrivateCappedAndPerProfile()
    {
        const QString folder = m_dir.filePath(QStringLiteral("data/dbops"));
        QueryHistory history(folder + QStringLiteral("/query-history.json"));
        const QDateTime t0 = QDateTime::fromString(QStringLiteral("2024-05-01T10:00:00Z"), Qt::ISODate);
        QVERIFY(!history.add(QStringLiteral("prod"), QStringLiteral("SELECT 1"), t0));
        QVERIFY(!history.add(QStringLiteral("staging"), QStringLiteral("SELECT 2"), t0.addSecs(1)));
        QVERIFY(!history.add(QStringLiteral("prod"), QStringLiteral("  SELECT 3\n"), t0.addSecs(2)));
        QVERIFY(!history.add(QStringLiteral("prod"), QStringLiteral("SELECT 1"), t0.addSecs(3)));
        QVERIFY(!history.add(QStringLiteral("prod"), QStringLiteral("   "), t0.addSecs(4)));

        Result<QList<QueryHistoryEntry>> prod = history.entries(QStringLiteral("prod"));
        QVERIFY(prod);
        QCOMPARE(prod->size(), 2); // SELECT 1 again moved to the top, not repeated
        QCOMPARE(prod->at(0).sql, QStringLiteral("SELECT 1"));
        QCOMPARE(prod->at(0).time, t0.addSecs(3));
        QCOMPARE(prod->at(1).sql, QStringLiteral("SELECT 3"));
        QCOMPARE(history.entries(QStringLiteral("staging"))->size(), 1);

        QFileInfo file(history.path());
        QCOMPARE(int(file.permissions() & 0x7777),
            int(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser
                | QFileDevice::WriteUser));
        QFileInfo dir(folder);
        QCOMPARE(int(dir.permissions()
                     & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::ExeGroup
                         | QFileDevice::ExeOther)),
            0);

        for (int i = 0; i < QueryHistory::kMaxEntriesPerProfile + 30; ++i)
            QVERIFY(!history.add(
                QStringLiteral("prod"), QStringLiteral("SELECT %1").arg(i + 100), t0.addSecs(10 + i)));
        prod = history.entries(QStringLiteral("prod"));
        QCOMPARE(prod->size(), QueryHistory::kMaxEntriesPerProfile);
        QCOMPARE(
            prod->first().sql, QStringLiteral("SELECT %1").arg(QueryHistory::kMaxEntriesPerProfile + 129));
        QCOMPARE(history.entries(QStringLiteral("staging"))->size(), 1); // another profile's cap is its own

        QVERIFY(!history.clear(QStringLiteral("prod")));
        QCOMPARE(history.entries(QStringLiteral("prod"))->size(), 0);
        QCOMPARE(history.entries(QStringLiteral("staging"))->size(), 1);
    }

    void cleanupTestCase()
    {
        m_connection.reset();
        if (m_admin.describe().isEmpty())
            return;
        if (auto c = connect(m_admin))
            c->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(kDatabase));
    }
};

QTEST_GUILESS_MAIN(TestReadOnlyQuery)
#include "tst_readonlyquery.moc"
