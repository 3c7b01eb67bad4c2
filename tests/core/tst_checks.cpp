// Data checks and fixes: the file formats (every problem at file:line), the
// bundled checks against a real server at the production revision and at
// head, the read-only guarantee, the fix guards, the one-transaction fix with
// its postcondition, idempotency and the journal.  Runs through
// tests/with-postgres.sh (DBOPS_TEST_PG_URL).
#include "checks/CheckFileParser.h"
#include "checks/CheckRepository.h"
#include "checks/CheckRunner.h"
#include "checks/FixRunner.h"
#include "checks/SideEffectFunctions.h"
#include "connection/ConnectionTarget.h"
#include "connection/DatabaseConnection.h"
#include "journal/RunJournal.h"
#include "migrations/MigrationRepository.h"

#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace dbops;

namespace {

const QString kProductionRevision = QStringLiteral("19c513d3bf90");
const QString kDatabase = QStringLiteral("dbops_checks_test");

QString migrationsDirectory()
{
    return QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR);
}

bool writeFile(const QString& path, const QString& text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.write(text.toUtf8());
    return true;
}

const CheckOutcome* outcomeOf(const CheckReport& report, const QString& name)
{
    for (const CheckOutcome& o : report.outcomes) {
        if (o.name == name)
            return &o;
    }
    return nullptr;
}

} // namespace

class TestChecks : public QObject
{
    Q_OBJECT

    ConnectionSettings m_admin; ///< the server's postgres database
    ConnectionSettings m_settings; ///< the test database
    QTemporaryDir m_dir;
    std::optional<MigrationRepository> m_migrations;
    std::optional<CheckRepository> m_checks;

    bool haveServer() const { return !qEnvironmentVariable("DBOPS_TEST_PG_URL").isEmpty(); }

    std::unique_ptr<DatabaseConnection> connect(const ConnectionSettings& settings)
    {
        Result<std::unique_ptr<DatabaseConnection>> c = DatabaseConnection::open(settings);
        if (!c)
            qWarning("%s", qPrintable(c.error().toString()));
        return c ? std::move(c).value() : nullptr;
    }

    // Runs the upgrade statements of every revision from `from` (exclusive)
    // up to `to`, in one transaction, and keeps the version table in step.
    void upgrade(const QStringList& from, const QString& to)
    {
        Result<MigrationPlan> plan = m_migrations->graph().upgradePlan(from, to);
        QVERIFY2(plan, qPrintable(plan.error().toString()));
        auto c = connect(m_settings);
        QVERIFY(c);
        QVERIFY(c->exec(QStringLiteral("BEGIN")));
        for (const MigrationStep& step : plan->steps) {
            for (const SqlStatement& s : m_migrations->graph().revision(step.revision).upgrade.statements) {
                Result<QSqlQuery> r = c->exec(s.text);
                QVERIFY2(r, qPrintable(r.error().toString()));
            }
        }
        QVERIFY(c->exec(
            QStringLiteral("CREATE TABLE IF NOT EXISTS alembic_version (version_num varchar(32) NOT NULL "
                           "PRIMARY KEY)")));
        QVERIFY(c->exec(QStringLiteral("DELETE FROM alembic_version")));
        QVERIFY(c->exec(
            QStringLiteral("INSERT INTO alembic_version VALUES ($1)"), { plan->endHeads.constFirst() }));
        QVERIFY(c->exec(QStringLiteral("COMMIT")));
    }

    QVariant scalar(const QString& sql)
    {
        auto c = connect(m_settings);
        if (!c)
            return {};
        Result<QVariant> v = c->scalar(sql);
        return v ? v.value() : QVariant();
    }

    ConnectionTarget target(bool production = false, bool readOnly = false) const
    {
        ConnectionTarget t;
        t.settings = m_settings;
        ConnectionProfile p;
        p.name = QStringLiteral("test");
        p.host = m_settings.value(QStringLiteral("host"));
        p.port = m_settings.value(QStringLiteral("port")).toInt();
        p.database = kDatabase;
        p.user = m_settings.value(QStringLiteral("user"));
        p.production = production;
        p.readOnly = readOnly;
        t.profile = p;
        t.source = QStringLiteral("test");
        return t;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ErrorList errors;
        Result<MigrationRepository> migrations = MigrationRepository::load(migrationsDirectory(), &errors);
        QVERIFY2(migrations, qPrintable(migrations.error().toString()));
        m_migrations = std::move(migrations).value();
        Result<CheckRepository> checks = CheckRepository::load(migrationsDirectory(), &errors);
        QVERIFY2(checks, qPrintable(checks.error().toString()));
        m_checks = std::move(checks).value();
        if (!haveServer())
            return;
        Result<ConnectionSettings> admin
            = ConnectionSettings::parse(qEnvironmentVariable("DBOPS_TEST_PG_URL"));
        QVERIFY(admin);
        m_admin = admin.value();
        m_settings = m_admin;
        m_settings.setValue(QStringLiteral("dbname"), kDatabase);
        auto c = connect(m_admin);
        QVERIFY(c);
        QVERIFY(c->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(kDatabase)));
        QVERIFY(c->exec(QStringLiteral("DROP ROLE IF EXISTS checks_reader")));
        QVERIFY(c->exec(QStringLiteral("CREATE DATABASE %1").arg(kDatabase)));
    }

    // ---------------------------------------------------------------- files

    void bundledChecksAndFixesLoad()
    {
        const QStringList expected = { QStringLiteral("active-style-macro-factors"),
            QStringLiteral("migration-tables-present"), QStringLiteral("short-interest-inactive") };
        QStringList names;
        for (const CheckDefinition& c : m_checks->checks()) {
            names.append(c.name);
            QVERIFY(!c.description.isEmpty());
            QVERIFY(c.query.line > 2);
        }
        QCOMPARE(names, expected);
        QCOMPARE(m_checks->fixNames(), QStringList { QStringLiteral("short-interest-inactive") });
        const FixDefinition* fix = m_checks->fix(QStringLiteral("short-interest-inactive"));
        QVERIFY(fix);
        QCOMPARE(fix->repairs, QStringLiteral("short-interest-inactive"));
        QCOMPARE(fix->changes.size(), 1);
        QVERIFY(fix->changes.constFirst().text.startsWith(QLatin1String("UPDATE factor_definitions")));
        QVERIFY(fix->postcondition.line > fix->changes.constFirst().line);
        QVERIFY(m_checks->check(QStringLiteral("short-interest-inactive")));
        QVERIFY(!m_checks->fix(QStringLiteral("nope")));
    }

    void badCheckFiles_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("fragment");
        QTest::addColumn<int>("line");
        QTest::newRow("no header") << "SELECT 1;\n"
                                   << "missing header '-- check: NAME'" << 1;
        QTest::newRow("unknown header") << "-- check: a\n-- owner: me\n\nSELECT 1;\n"
                                        << "unknown header 'owner'" << 2;
        QTest::newRow("bad name") << "-- check: Not Valid\n\nSELECT 1;\n"
                                  << "bad check name" << 1;
        QTest::newRow("update") << "-- check: a\n-- description: d\n\nUPDATE users SET email = '';\n"
                                << "a check must be a query" << 4;
        QTest::newRow("two queries") << "-- check: a\n\nSELECT 1;\n\nSELECT 2;\n"
                                     << "exactly one query" << 5;
        QTest::newRow("no query") << "-- check: a\n\n-- nothing\n"
                                  << "no query" << 1;
        QTest::newRow("syntax") << "-- check: a\n\nSELECT 1\nFROM WHERE;\n"
                                << "syntax error" << 4;
        QTest::newRow("section") << "-- check: a\n-- +change\nSELECT 1;\n"
                                 << "no sections" << 2;
    }
    void badCheckFiles()
    {
        QFETCH(QString, text);
        QFETCH(QString, fragment);
        QFETCH(int, line);
        const Result<CheckDefinition> check
            = CheckFileParser::parseCheckText(text, QStringLiteral("checks/a.sql"));
        QVERIFY(!check);
        QVERIFY2(check.error().message.contains(fragment), qPrintable(check.error().toString()));
        QCOMPARE(check.error().file, QStringLiteral("checks/a.sql"));
        QCOMPARE(check.error().line, line);
    }

    void sideEffectFunctionsAreRefused_data()
    {
        QTest::addColumn<QString>("body"); // after "-- check: a\n\n": line 3 on
        QTest::addColumn<QString>("function");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::newRow("pg_terminate_backend")
            << "SELECT 'x' AS \"check\", 'y' AS expected, 'z' AS actual,\n"
               "       bool_and(pg_terminate_backend(pid)) AS ok\n  FROM pg_stat_activity;\n"
            << "pg_terminate_backend()" << 4 << 17;
        QTest::newRow("schema-qualified") << "SELECT pg_catalog.pg_cancel_backend(1) AS ok;\n"
                                          << "pg_catalog.pg_cancel_backend()" << 3 << 8;
        QTest::newRow("upper case") << "SELECT PG_RELOAD_CONF() AS ok;\n"
                                    << "pg_reload_conf()" << 3 << 8;
        QTest::newRow("set_config in WHERE")
            << "SELECT true AS ok\nWHERE set_config('statement_timeout', '0', true) = '0';\n"
            << "set_config()" << 4 << 7;
        QTest::newRow("advisory lock") << "SELECT pg_try_advisory_xact_lock_shared(1) AS ok;\n"
                                       << "pg_try_advisory_xact_lock_shared()" << 3 << 8;
        QTest::newRow("advisory unlock all")
            << "SELECT true AS ok FROM (SELECT pg_advisory_unlock_all()) s;\n"
            << "pg_advisory_unlock_all()" << 3 << 32;
        QTest::newRow("dblink in FROM")
            << "SELECT true AS ok FROM dblink('dbname=x', 'DELETE FROM t') AS t(a int);\n"
            << "dblink()" << 3 << 24;
        QTest::newRow("lo_import") << "SELECT lo_import('/etc/passwd') IS NOT NULL AS ok;\n"
                                   << "lo_import()" << 3 << 8;
        QTest::newRow("pg_notify in a CTE")
            << "WITH n AS (SELECT pg_notify('c', 'x'))\nSELECT true AS ok FROM n;\n"
            << "pg_notify()" << 3 << 19;
        QTest::newRow("pg_switch_wal") << "SELECT pg_switch_wal() IS NOT NULL AS ok;\n"
                                       << "pg_switch_wal()" << 3 << 8;
        QTest::newRow("pg_rotate_logfile") << "SELECT pg_rotate_logfile() AS ok;\n"
                                           << "pg_rotate_logfile()" << 3 << 8;
        QTest::newRow("replication slot")
            << "SELECT true AS ok FROM pg_create_logical_replication_slot('s', 'pgoutput');\n"
            << "pg_create_logical_replication_slot()" << 3 << 24;
        QTest::newRow("nextval") << "SELECT nextval('s') > 0 AS ok;\n"
                                 << "nextval()" << 3 << 8;
        QTest::newRow("setval nested") << "SELECT coalesce(max(1), setval('s', 1)) > 0 AS ok;\n"
                                       << "setval()" << 3 << 25;
        QTest::newRow("SQL in a string")
            << "SELECT query_to_xml('SELECT pg_terminate_backend(1)', true, true, '') IS NOT NULL AS ok;\n"
            << "query_to_xml()" << 3 << 8;
        QTest::newRow("after non-ASCII text")
            << "SELECT 'Größe' AS \"check\", pg_notify('c', 'x') IS NULL AS ok;\n"
            << "pg_notify()" << 3 << 28;
    }
    void sideEffectFunctionsAreRefused()
    {
        QFETCH(QString, body);
        QFETCH(QString, function);
        QFETCH(int, line);
        QFETCH(int, column);
        const Result<CheckDefinition> check = CheckFileParser::parseCheckText(
            QStringLiteral("-- check: a\n\n") + body, QStringLiteral("checks/a.sql"));
        QVERIFY(!check);
        QCOMPARE(check.error().kind, Error::Kind::Input);
        QVERIFY2(check.error().message.startsWith(QStringLiteral("a check must not call ") + function),
            qPrintable(check.error().toString()));
        QCOMPARE(check.error().file, QStringLiteral("checks/a.sql"));
        QCOMPARE(check.error().line, line);
        QCOMPARE(check.error().column, column);

        // The same in a fix's postcondition.
        const Result<FixDefinition> fix = CheckFileParser::parseFixText(
            QStringLiteral("-- fix: f\n-- repairs: c\n\n-- +change\nUPDATE t SET a = 1;\n-- +postcondition\n")
                + body,
            QStringLiteral("fixes/f.sql"));
        QVERIFY(!fix);
        QVERIFY2(
            fix.error().message.startsWith(QStringLiteral("the postcondition must not call ") + function),
            qPrintable(fix.error().toString()));
        QCOMPARE(fix.error().line, line + 4);
    }

    void sideEffectNamesInTextAreFine()
    {
        // From the parse tree, not the text: a name in a comment, a string,
        // a column or a cast is no call.
        const Result<CheckDefinition> check = CheckFileParser::parseCheckText(
            QStringLiteral(
                "-- check: a\n-- description: never pg_terminate_backend(pid)\n\n"
                "-- not pg_reload_conf() either\n"
                "SELECT 'pg_terminate_backend(pid)' AS \"check\", 'set_config()' AS expected,\n"
                "  s.lo_import::text AS actual, 'nextval'::regproc IS NOT NULL AS ok,\n"
                "  lower('dblink'), current_setting('statement_timeout'), txid_current_if_assigned()\n"
                "  FROM (SELECT 1 AS lo_import) s;\n"),
            QStringLiteral("checks/a.sql"));
        QVERIFY2(check, qPrintable(check.error().toString()));
    }

    void sideEffectFamilies_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("listed");
        for (const char* name : { "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "set_config",
                 "pg_advisory_lock", "pg_advisory_lock_shared", "pg_advisory_unlock",
                 "pg_advisory_unlock_all", "pg_advisory_xact_lock", "pg_try_advisory_lock",
                 "pg_try_advisory_xact_lock_shared", "dblink", "dblink_exec", "dblink_connect", "lo_import",
                 "lo_export", "lo_unlink", "lo_create", "lowrite", "pg_notify", "pg_switch_wal",
                 "pg_rotate_logfile", "pg_create_physical_replication_slot",
                 "pg_create_logical_replication_slot", "pg_drop_replication_slot", "nextval", "setval",
                 "txid_current", "pg_current_xact_id", "query_to_xml", "PG_Terminate_Backend" })
            QTest::newRow(name) << QString::fromLatin1(name) << true;
        for (const char* name : { "lower", "log", "current_setting", "count", "pg_sleep", "now",
                 "txid_current_if_assigned", "pg_current_xact_id_if_assigned", "pg_get_replication_slots",
                 "pg_stat_get_activity", "currval", "pg_backend_pid", "pg_is_in_recovery", "xpath" })
            QTest::newRow(name) << QString::fromLatin1(name) << false;
    }
    void sideEffectFamilies()
    {
        QFETCH(QString, name);
        QFETCH(bool, listed);
        const std::optional<QString> reason = SideEffectFunctions::reasonFor(name);
        QCOMPARE(reason.has_value(), listed);
        if (reason)
            QVERIFY(!reason->isEmpty());
    }

    void badFixFiles_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("fragment");
        QTest::addColumn<int>("line");
        const QString head = QStringLiteral("-- fix: f\n-- repairs: c\n\n"); // lines 1-3
        QTest::newRow("no repairs") << "-- fix: f\n\n-- +change\nSELECT 1;\n-- +postcondition\nSELECT true;\n"
                                    << "missing header '-- repairs" << 1;
        QTest::newRow("no postcondition") << head + QStringLiteral("-- +change\nUPDATE t SET a = 1;\n")
                                          << "missing '-- +postcondition'" << 6;
        QTest::newRow("no change") << head + QStringLiteral("-- +postcondition\nSELECT true;\n")
                                   << "missing '-- +change'" << 6;
        QTest::newRow("begin") << head
                + QStringLiteral("-- +change\nBEGIN;\nUPDATE t SET a = 1;\n-- +postcondition\nSELECT true;\n")
                               << "one transaction" << 5;
        QTest::newRow("vacuum") << head
                + QStringLiteral("-- +change\nVACUUM t;\n-- +postcondition\nSELECT true;\n")
                                << "cannot run inside a transaction" << 5;
        QTest::newRow("postcondition writes")
            << head + QStringLiteral("-- +change\nUPDATE t SET a = 1;\n\n-- +postcondition\nDELETE FROM t;\n")
            << "the postcondition must be a query" << 8;
        QTest::newRow("two postconditions") << head
                + QStringLiteral(
                    "-- +change\nUPDATE t SET a = 1;\n-- +postcondition\nSELECT true;\nSELECT false;\n")
                                            << "exactly one query" << 8;
        QTest::newRow("sql outside") << head + QStringLiteral("UPDATE t SET a = 1;\n-- +change\nSELECT 1;\n")
                                     << "SQL outside a section" << 4;
        QTest::newRow("unknown section")
            << head + QStringLiteral("-- +upgrade\nSELECT 1;\n") << "unknown section marker" << 4;
        QTest::newRow("syntax") << head
                + QStringLiteral("-- +change\nUPDATE t\nSET a = = 1;\n-- +postcondition\nSELECT true;\n")
                                << "syntax error" << 6;
    }
    void badFixFiles()
    {
        QFETCH(QString, text);
        QFETCH(QString, fragment);
        QFETCH(int, line);
        const Result<FixDefinition> fix = CheckFileParser::parseFixText(text, QStringLiteral("fixes/f.sql"));
        QVERIFY(!fix);
        QVERIFY2(fix.error().message.contains(fragment), qPrintable(fix.error().toString()));
        QCOMPARE(fix.error().file, QStringLiteral("fixes/f.sql"));
        QCOMPARE(fix.error().line, line);
    }

    // A check or fix file that is not UTF-8 is refused when it is read, at
    // the line and column of its first invalid byte: decoded, a Latin-1 'é'
    // would reach the server as U+FFFD.
    void filesMustBeUtf8_data()
    {
        QTest::addColumn<bool>("isFix");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("next"); // the byte after the 0xE9
        QTest::newRow("check: Latin-1 in the description")
            << false << QByteArray("-- check: a\n-- description: caf\xe9 menu\n\nSELECT 1;\n") << 2 << 20
            << "20";
        QTest::newRow("check: Latin-1 in the query")
            << false << QByteArray("-- check: a\n\nSELECT 'caf\xe9' AS x;\n") << 3 << 12 << "27";
        QTest::newRow("fix: Latin-1 in a change")
            << true
            << QByteArray("-- fix: f\n-- repairs: c\n\n-- +change\nUPDATE t SET a = 'caf\xe9';\n-- "
                          "+postcondition\nSELECT true;\n")
            << 5 << 22 << "27";
        QTest::newRow("fix: Latin-1 in the postcondition")
            << true
            << QByteArray("-- fix: f\n-- repairs: c\n\n-- +change\nUPDATE t SET a = 1;\n-- "
                          "+postcondition\nSELECT 'caf\xe9' <> '';\n")
            << 7 << 12 << "27";
    }
    void filesMustBeUtf8()
    {
        QFETCH(bool, isFix);
        QFETCH(QByteArray, bytes);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, next);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.sql"));
        auto write = [&path](const QByteArray& content) {
            QFile file(path);
            return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
        };
        auto parse = [&]() -> std::optional<Error> {
            if (isFix) {
                const Result<FixDefinition> fix = CheckFileParser::parseFixFile(path);
                return fix ? std::nullopt : std::optional<Error>(fix.error());
            }
            const Result<CheckDefinition> check = CheckFileParser::parseCheckFile(path);
            return check ? std::nullopt : std::optional<Error>(check.error());
        };
        QVERIFY(write(bytes));
        const std::optional<Error> error = parse();
        QVERIFY2(error, "the file was accepted");
        QCOMPARE(error->toString(),
            QStringLiteral("%1:%2:%3: not valid UTF-8: byte 0xE9 starts a 3-byte sequence, but byte 0x%4 "
                           "follows (Latin-1 or Windows-1252? save the file as UTF-8)")
                .arg(path)
                .arg(line)
                .arg(column)
                .arg(next));
        QCOMPARE(error->kind, Error::Kind::Input);

        // Saved as UTF-8, the same file is fine.
        QVERIFY(write(QString::fromLatin1(bytes).toUtf8()));
        const std::optional<Error> none = parse();
        QVERIFY2(!none, qPrintable(none ? none->toString() : QString()));
    }

    void repositoryReportsEveryProblem()
    {
        const QString root = m_dir.filePath(QStringLiteral("broken"));
        QVERIFY(writeFile(
            root + QStringLiteral("/checks/a.sql"), QStringLiteral("-- check: same\n\nSELECT 1;\n")));
        QVERIFY(writeFile(
            root + QStringLiteral("/checks/b.sql"), QStringLiteral("-- check: same\n\nSELECT 2;\n")));
        QVERIFY(writeFile(
            root + QStringLiteral("/checks/c.sql"), QStringLiteral("-- check: c\n\nDELETE FROM t;\n")));
        QVERIFY(writeFile(root + QStringLiteral("/fixes/f.sql"),
            QStringLiteral("-- fix: f\n-- repairs: missing\n\n-- +change\nUPDATE t SET a = 1;\n-- "
                           "+postcondition\nSELECT true;\n")));
        ErrorList errors;
        const Result<CheckRepository> repository = CheckRepository::load(root, &errors);
        QVERIFY(!repository);
        QStringList texts;
        for (const Error& e : errors)
            texts.append(QDir(root).relativeFilePath(e.file) + QLatin1Char(':') + QString::number(e.line)
                + QLatin1Char(' ') + e.message);
        QCOMPARE(errors.size(), 3);
        QVERIFY2(texts.at(0).startsWith(QLatin1String("checks/c.sql:3 a check must be a query")),
            qPrintable(texts.join(QLatin1Char('\n'))));
        QVERIFY2(texts.at(1).startsWith(QLatin1String("checks/b.sql:1 duplicate check name 'same'")),
            qPrintable(texts.at(1)));
        QVERIFY2(texts.at(2).startsWith(QLatin1String("fixes/f.sql:2 fix 'f' repairs 'missing'")),
            qPrintable(texts.at(2)));

        // A repository without checks/ and fixes/ simply has none.
        const QString empty = m_dir.filePath(QStringLiteral("empty"));
        QVERIFY(QDir().mkpath(empty + QStringLiteral("/versions")));
        const Result<CheckRepository> none = CheckRepository::load(empty);
        QVERIFY(none);
        QVERIFY(none->checks().isEmpty());
        QVERIFY(none->fixes().isEmpty());
    }

    // ---------------------------------------------------------------- server

    void checksAtProductionRevision()
    {
        if (!haveServer())
            QSKIP("needs DBOPS_TEST_PG_URL (run through tests/with-postgres.sh)");
        upgrade({}, kProductionRevision);
        auto c = connect(m_settings);
        QVERIFY(c);
        const Result<CheckReport> report = CheckRunner::run(*c, m_checks->checks());
        QVERIFY2(report, qPrintable(report.error().toString()));
        QVERIFY(!report->allOk());
        QVERIFY(!report->hasErrors());

        const CheckOutcome* active = outcomeOf(report.value(), QStringLiteral("active-style-macro-factors"));
        QVERIFY(active);
        QCOMPARE(active->rows.size(), 1);
        QVERIFY(!active->rows.constFirst().ok);
        QVERIFY2(active->rows.constFirst().actual.startsWith(QLatin1String("10 active: ")),
            qPrintable(active->rows.constFirst().actual));
        QVERIFY(active->rows.constFirst().actual.contains(QLatin1String("Short Interest")));

        const CheckOutcome* shortInterest
            = outcomeOf(report.value(), QStringLiteral("short-interest-inactive"));
        QVERIFY(shortInterest);
        QCOMPARE(shortInterest->rows.size(), 1);
        QCOMPARE(shortInterest->rows.constFirst().actual, QStringLiteral("is_active = true"));
        QVERIFY(!shortInterest->ok());

        const CheckOutcome* tables = outcomeOf(report.value(), QStringLiteral("migration-tables-present"));
        QVERIFY(tables);
        QCOMPARE(tables->rows.size(), 16);
        int missing = 0;
        for (const CheckRow& row : tables->rows) {
            QCOMPARE(row.actual == QLatin1String("missing"), !row.ok);
            missing += row.ok ? 0 : 1;
        }
        QCOMPARE(missing, 7);
        QCOMPARE(tables->rows.constFirst().check, QStringLiteral("table users"));

        // Nothing is left open: the connection is usable and outside a transaction.
        QCOMPARE(c->scalar(QStringLiteral("SELECT now() = statement_timestamp()"))->toBool(), true);
    }

    void checksCannotWrite()
    {
        if (!haveServer())
            QSKIP("needs DBOPS_TEST_PG_URL");
        // A data-modifying CTE is a SelectStmt to the parser; the READ ONLY
        // transaction is what stops it.
        const Result<CheckDefinition> sneaky = CheckFileParser::parseCheckText(
            QStringLiteral("-- check: sneaky\n\nWITH gone AS (DELETE FROM factor_definitions RETURNING 1)\n"
                           "SELECT 'x' AS \"check\", 'y' AS expected, count(*)::text AS actual, true AS ok "
                           "FROM gone;\n"),
            QStringLiteral("checks/sneaky.sql"));
        QVERIFY2(sneaky, qPrintable(sneaky.error().toString()));
        const Result<CheckDefinition> shape
            = CheckFileParser::parseCheckText(QStringLiteral("-- check: shape\n\nSELECT 1 AS a, 2 AS b;\n"),
                QStringLiteral("checks/shape.sql"));
        QVERIFY(shape);
        const Result<CheckDefinition> broken = CheckFileParser::parseCheckText(
            QStringLiteral("-- check: broken\n\nSELECT 'x' AS \"check\",\n  'y' AS expected,\n  "
                           "no_such_column AS actual,\n"
                           "  true AS ok FROM factor_definitions;\n"),
            QStringLiteral("checks/broken.sql"));
        QVERIFY(broken);
        const Result<CheckDefinition> empty = CheckFileParser::parseCheckText(
            QStringLiteral("-- check: empty\n\nSELECT 'x' AS \"check\", 'y' AS expected, 'z' AS actual, true "
                           "AS ok WHERE false;\n"),
            QStringLiteral("checks/empty.sql"));
        QVERIFY(empty);

        auto c = connect(m_settings);
        QVERIFY(c);
        const int before = c->scalar(QStringLiteral("SELECT count(*) FROM factor_definitions"))->toInt();
        QCOMPARE(before, 12);
        CheckDefinitionList list = { sneaky.value(), shape.value(), broken.value(), empty.value() };
        list.append(m_checks->checks());
        const Result<CheckReport> report = CheckRunner::run(*c, list);
        QVERIFY2(report, qPrintable(report.error().toString()));
        QVERIFY(report->hasErrors());

        const CheckOutcome* s = outcomeOf(report.value(), QStringLiteral("sneaky"));
        QVERIFY(s && s->error);
        QCOMPARE(s->error->sqlState, QStringLiteral("25006")); // read_only_sql_transaction
        QCOMPARE(s->error->file, QStringLiteral("checks/sneaky.sql"));

        const CheckOutcome* sh = outcomeOf(report.value(), QStringLiteral("shape"));
        QVERIFY(sh && sh->error);
        QVERIFY2(sh->error->message.contains(QLatin1String("returns columns (a, b)")),
            qPrintable(sh->error->message));

        const CheckOutcome* b = outcomeOf(report.value(), QStringLiteral("broken"));
        QVERIFY(b && b->error);
        QCOMPARE(b->error->sqlState, QStringLiteral("42703"));
        QCOMPARE(b->error->line, 5); // the line of no_such_column in the file

        const CheckOutcome* e = outcomeOf(report.value(), QStringLiteral("empty"));
        QVERIFY(e && !e->error);
        QVERIFY(!e->ok());
        QCOMPARE(e->rows.constFirst().actual, QStringLiteral("no rows"));

        // The savepoints kept the bundled checks running after the failures.
        const CheckOutcome* tables = outcomeOf(report.value(), QStringLiteral("migration-tables-present"));
        QVERIFY(tables && !tables->error);
        QCOMPARE(tables->rows.size(), 16);
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM factor_definitions"))->toInt(), before);
    }

    void runnerRefusesSideEffectsAndKillsNobody()
    {
        if (!haveServer())
            QSKIP("needs DBOPS_TEST_PG_URL");
        auto victim = connect(m_settings);
        QVERIFY(victim);
        const int victimPid = victim->scalar(QStringLiteral("SELECT pg_backend_pid()"))->toInt();
        // Built by hand, past the file parser: the runner refuses it too.
        CheckDefinition kill;
        kill.name = QStringLiteral("kill");
        kill.filePath = QStringLiteral("checks/kill.sql");
        kill.query.line = 3;
        kill.query.text = QStringLiteral("SELECT 'x' AS \"check\", 'y' AS expected, 'z' AS actual,\n"
                                         "  pg_terminate_backend(%1) AS ok")
                              .arg(victimPid);
        auto c = connect(m_settings);
        QVERIFY(c);
        const Result<CheckReport> report = CheckRunner::run(*c, { kill });
        QVERIFY2(report, qPrintable(report.error().toString()));
        const CheckOutcome* k = outcomeOf(report.value(), QStringLiteral("kill"));
        QVERIFY(k && k->error);
        QCOMPARE(k->error->kind, Error::Kind::Input);
        QVERIFY2(k->error->message.contains(QLatin1String("pg_terminate_backend()")),
            qPrintable(k->error->toString()));
        QCOMPARE(k->error->line, 4);
        // The other session is alive.
        const Result<QVariant> alive = victim->scalar(QStringLiteral("SELECT 1"));
        QVERIFY2(alive, qPrintable(alive.error().toString()));
    }

    void checksRunUnderAStatementTimeout()
    {
        if (!haveServer())
            QSKIP("needs DBOPS_TEST_PG_URL");
        const Result<CheckDefinition> timeout = CheckFileParser::parseCheckText(
            QStringLiteral(
                "-- check: timeout\n\nSELECT 'statement_timeout' AS \"check\", 'set' AS expected,\n"
                "  current_setting('statement_timeout') AS actual, true AS ok;\n"),
            QStringLiteral("checks/timeout.sql"));
        QVERIFY2(timeout, qPrintable(timeout.error().toString()));
        const Result<CheckDefinition> slow = CheckFileParser::parseCheckText(
            QStringLiteral("-- check: slow\n\nSELECT 'slow' AS \"check\", 'y' AS expected, 'z' AS actual,\n"
                           "  pg_sleep(20) IS NULL AS ok;\n"),
            QStringLiteral("checks/slow.sql"));
        QVERIFY(slow);
        auto c = connect(m_settings);
        QVERIFY(c);
        QVERIFY(c->exec(QStringLiteral("SET statement_timeout = 0")));

        // No timeout given (the console; a profile without one): 30 s, never none.
        Result<CheckReport> report = CheckRunner::run(*c, { timeout.value() });
        QVERIFY2(report, qPrintable(report.error().toString()));
        QCOMPARE(report->outcomes.constFirst().rows.constFirst().actual, QStringLiteral("30s"));
        CheckRunner::Options options;
        options.statementTimeoutSeconds = 0;
        report = CheckRunner::run(*c, { timeout.value() }, options);
        QCOMPARE(report->outcomes.constFirst().rows.constFirst().actual, QStringLiteral("30s"));

        // The profile's, when it has one; a slow check is cancelled and the others still run.
        options.statementTimeoutSeconds = 1;
        QElapsedTimer timer;
        timer.start();
        report = CheckRunner::run(*c, { slow.value(), timeout.value() }, options);
        QVERIFY2(report, qPrintable(report.error().toString()));
        QVERIFY(timer.elapsed() < 10000);
        QCOMPARE(report->outcomes.at(0).error->sqlState, QStringLiteral("57014"));
        QCOMPARE(report->outcomes.at(1).rows.constFirst().actual, QStringLiteral("1s"));
        // SET LOCAL: the session's own setting is back after the run.
        QCOMPARE(c->scalar(QStringLiteral("SHOW statement_timeout"))->toString(), QStringLiteral("0"));
    }

    void fixGuardsRefuseBeforeConnecting()
    {
        const FixDefinition* fix = m_checks->fix(QStringLiteral("short-interest-inactive"));
        QVERIFY(fix);
        QTemporaryDir journalDir;
        const QString journalPath = journalDir.filePath(QStringLiteral("journal.jsonl"));
        FixRunner runner { RunJournal(journalPath) };

        // Port 1 answers nothing: a refusal that connected first would be a database error.
        ConnectionTarget production = target(true, false);
        production.settings.setValue(QStringLiteral("port"), QStringLiteral("1"));
        FixRunner::Options options;
        Result<FixOutcome> refused = runner.run(production, *fix, options);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, Error::Kind::Usage);
        QVERIFY2(refused.error().message.contains(QStringLiteral("--confirm %1").arg(kDatabase)),
            qPrintable(refused.error().message));

        options.confirmation = QStringLiteral("other_db");
        refused = runner.run(production, *fix, options);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, Error::Kind::Usage);
        QVERIFY(refused.error().message.contains(QLatin1String("does not match")));

        ConnectionTarget readOnly = target(false, true);
        readOnly.settings.setValue(QStringLiteral("port"), QStringLiteral("1"));
        options.confirmation.clear();
        refused = runner.run(readOnly, *fix, options);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, Error::Kind::Usage);
        QVERIFY(refused.error().message.contains(QLatin1String("read-only")));
        options.dryRun = true; // a dry run takes the same locks: refused as well
        refused = runner.run(readOnly, *fix, options);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, Error::Kind::Usage);

        // Confirmed but unreachable: now it is a database error, and not journaled.
        options = FixRunner::Options();
        options.confirmation = kDatabase;
        refused = runner.run(production, *fix, options);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, Error::Kind::Database);
        QVERIFY(!QFile::exists(journalPath));
    }

    void fixIsOneTransactionAndIdempotent()
    {
        if (!haveServer())
            QSKIP("needs DBOPS_TEST_PG_URL");
        upgrade({ kProductionRevision }, QStringLiteral("heads"));
        const FixDefinition* fix = m_checks->fix(QStringLiteral("short-interest-inactive"));
        QVERIFY(fix);
        const QString journalPath = m_dir.filePath(QStringLiteral("journal.jsonl"));
        FixRunner runner { RunJournal(journalPath) };
        FixRunner::Options options;
        options.confirmation = kDatabase;

        // Dry run: everything runs, nothing stays, nothing is journaled.
        options.dryRun = true;
        Result<FixOutcome> dry = runner.run(target(true), *fix, options);
        QVERIFY2(dry, qPrintable(dry.error().toString()));
        QVERIFY(dry->postconditionHeld);
        QVERIFY(!dry->committed);
        QCOMPARE(dry->statements.constFirst().rowsAffected, 1);
        QCOMPARE(
            scalar(QStringLiteral("SELECT is_active FROM factor_definitions WHERE name = 'Short Interest'"))
                .toBool(),
            true);
        QVERIFY(!QFile::exists(journalPath));

        options.dryRun = false;
        Result<FixOutcome> first = runner.run(target(true), *fix, options);
        QVERIFY2(first, qPrintable(first.error().toString()));
        QVERIFY(first->committed);
        QVERIFY(first->postconditionHeld);
        QCOMPARE(first->statements.size(), 1);
        QCOMPARE(first->statements.constFirst().rowsAffected, 1);
        QCOMPARE(first->statements.constFirst().description, QStringLiteral("UPDATE"));
        QVERIFY(!first->journalError);
        QCOMPARE(
            scalar(QStringLiteral("SELECT is_active FROM factor_definitions WHERE name = 'Short Interest'"))
                .toBool(),
            false);
        const QVariant stamp = scalar(
            QStringLiteral("SELECT updated_at::text FROM factor_definitions WHERE name = 'Short Interest'"));

        // Again: nothing left to change, still a success, updated_at untouched.
        Result<FixOutcome> second = runner.run(target(true), *fix, options);
        QVERIFY2(second, qPrintable(second.error().toString()));
        QVERIFY(second->committed);
        QCOMPARE(second->statements.constFirst().rowsAffected, 0);
        QCOMPARE(scalar(QStringLiteral(
                     "SELECT updated_at::text FROM factor_definitions WHERE name = 'Short Interest'")),
            stamp);

        auto c = connect(m_settings);
        QVERIFY(c);
        const Result<CheckReport> report = CheckRunner::run(*c, m_checks->checks());
        QVERIFY(report);
        QVERIFY(report->allOk());
        const CheckOutcome* active = outcomeOf(report.value(), QStringLiteral("active-style-macro-factors"));
        QVERIFY(active->rows.constFirst().actual.startsWith(QLatin1String("9 active: ")));
        QVERIFY(!active->rows.constFirst().actual.contains(QLatin1String("Short Interest")));

        const Result<QList<JournalRecord>> records = RunJournal(journalPath).read();
        QVERIFY(records);
        QCOMPARE(records->size(), 2);
        for (const JournalRecord& r : records.value()) {
            QCOMPARE(r.action, QStringLiteral("fix short-interest-inactive"));
            QCOMPARE(r.outcome, QStringLiteral("success"));
            QCOMPARE(r.profile, QStringLiteral("test"));
            QCOMPARE(r.databaseUser, QStringLiteral("postgres"));
            QCOMPARE(r.fromRevisions, m_migrations->graph().heads());
            QCOMPARE(r.steps.size(), 1);
            QCOMPARE(r.sqlSha256.size(), 64);
            QVERIFY(r.finishedAt >= r.startedAt);
        }
    }

    void falsePostconditionRollsBack()
    {
        if (!haveServer())
            QSKIP("needs DBOPS_TEST_PG_URL");
        const Result<FixDefinition> fix = CheckFileParser::parseFixText(
            QStringLiteral(
                "-- fix: wrong\n-- repairs: short-interest-inactive\n\n-- +change\n"
                "UPDATE factor_definitions SET description = 'changed' WHERE name = 'Momentum';\n"
                "-- +postcondition\nSELECT count(*) = 0 FROM factor_definitions WHERE name = 'Momentum';\n"),
            QStringLiteral("fixes/wrong.sql"));
        QVERIFY2(fix, qPrintable(fix.error().toString()));
        const QString journalPath = m_dir.filePath(QStringLiteral("journal-false.jsonl"));
        Result<FixOutcome> outcome
            = FixRunner(RunJournal(journalPath)).run(target(), fix.value(), FixRunner::Options());
        QVERIFY2(outcome, qPrintable(outcome.error().toString()));
        QVERIFY(!outcome->postconditionHeld);
        QVERIFY(!outcome->committed);
        QCOMPARE(outcome->statements.constFirst().rowsAffected, 1);
        QCOMPARE(scalar(QStringLiteral("SELECT description FROM factor_definitions WHERE name = 'Momentum'"))
                     .toString(),
            QStringLiteral("Trailing 12-1 month price momentum"));
        const Result<QList<JournalRecord>> records = RunJournal(journalPath).read();
        QVERIFY(records);
        QCOMPARE(records->size(), 1);
        QCOMPARE(records->constFirst().outcome, QStringLiteral("failed"));
        QVERIFY(records->constFirst().error.contains(QLatin1String("postcondition")));
    }

    void failingStatementIsPlacedAndRolledBack()
    {
        if (!haveServer())
            QSKIP("needs DBOPS_TEST_PG_URL");
        const Result<FixDefinition> fix = CheckFileParser::parseFixText(
            QStringLiteral("-- fix: bad\n-- repairs: x\n\n-- +change\n"
                           "UPDATE factor_definitions SET description = 'changed' WHERE name = 'Value';\n"
                           "UPDATE factor_definitions\nSET no_such_column = 1;\n"
                           "-- +postcondition\nSELECT true;\n"),
            QStringLiteral("fixes/bad.sql"));
        QVERIFY2(fix, qPrintable(fix.error().toString()));
        const QString journalPath = m_dir.filePath(QStringLiteral("journal-bad.jsonl"));
        Result<FixOutcome> outcome
            = FixRunner(RunJournal(journalPath)).run(target(), fix.value(), FixRunner::Options());
        QVERIFY(!outcome);
        QCOMPARE(outcome.error().kind, Error::Kind::Database);
        QCOMPARE(outcome.error().sqlState, QStringLiteral("42703"));
        QCOMPARE(outcome.error().file, QStringLiteral("fixes/bad.sql"));
        QCOMPARE(outcome.error().line, 7);
        QCOMPARE(scalar(QStringLiteral("SELECT description FROM factor_definitions WHERE name = 'Value'"))
                     .toString(),
            QStringLiteral("Cheapness on book-to-price and earnings yield"));
        const Result<QList<JournalRecord>> records = RunJournal(journalPath).read();
        QVERIFY(records);
        QCOMPARE(records->size(), 1);
        QCOMPARE(records->constFirst().outcome, QStringLiteral("failed"));
        QCOMPARE(records->constFirst().steps.size(), 2);
        QCOMPARE(records->constFirst().steps.at(1).outcome, QStringLiteral("failed"));
    }

    void selectOnlyRoleRunsChecks()
    {
        if (!haveServer())
            QSKIP("needs DBOPS_TEST_PG_URL");
        auto admin = connect(m_settings);
        QVERIFY(admin);
        QVERIFY(admin->exec(QStringLiteral("CREATE ROLE checks_reader LOGIN")));
        QVERIFY(admin->exec(QStringLiteral("GRANT CONNECT ON DATABASE %1 TO checks_reader").arg(kDatabase)));
        QVERIFY(admin->exec(QStringLiteral("GRANT USAGE ON SCHEMA public TO checks_reader")));
        QVERIFY(admin->exec(QStringLiteral("GRANT SELECT ON ALL TABLES IN SCHEMA public TO checks_reader")));
        ConnectionSettings reader = m_settings;
        reader.setValue(QStringLiteral("user"), QStringLiteral("checks_reader"));
        auto c = connect(reader);
        QVERIFY(c);
        // Really SELECT-only:
        const Result<QSqlQuery> write
            = c->exec(QStringLiteral("UPDATE factor_definitions SET is_active = true"));
        QVERIFY(!write);
        QCOMPARE(write.error().sqlState, QStringLiteral("42501"));
        const Result<CheckReport> report = CheckRunner::run(*c, m_checks->checks());
        QVERIFY2(report, qPrintable(report.error().toString()));
        QVERIFY(!report->hasErrors());
        QVERIFY(report->allOk());
    }

    void cleanupTestCase()
    {
        if (!haveServer())
            return;
        auto c = connect(m_admin);
        QVERIFY(c);
        c->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(kDatabase));
        c->exec(QStringLiteral("DROP ROLE IF EXISTS checks_reader"));
    }
};

QTEST_GUILESS_MAIN(TestChecks)
#include "tst_checks.moc"
