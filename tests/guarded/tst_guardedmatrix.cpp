// The refusal matrix: every guard and every refusal of the one guarded path,
// run through the CLI (the real `dbops` binary) and through the console's own
// session and controller (offscreen, worker thread), against a real server
// (tests/with-postgres.sh).  Each row asserts, for both front ends: the same
// exit code (the console's from GuardedWrite::exitCode), the same refusal or
// error text, the same database afterwards (version rows and tables) and the
// same journal record.  Findings 1-14 of the "One guarded path" issue each
// have a row.
#include "common/ExitCode.h"
#include "connection/DatabaseConnection.h"
#include "connection/ProfileStore.h"
#include "guarded/GuardedWrite.h"
#include "journal/RunJournal.h"
#include "migrations/MigrationRepository.h"
#include "recover/RecoveryStep.h"
#include "runner/MigrationRunner.h"
#include "session/ConsoleSession.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <functional>
#include <thread>

using namespace dbops;
using namespace dbops::ui;

namespace {

enum class ProfileKind
{
    Plain,
    ReadOnly,
    Production,
};

/// Something another session does while the write runs (holds a lock,
/// inserts a row ...).  start() returns when it is in place; stop() ends it.
struct Interference
{
    std::function<void(const QString& databaseUrl)> start;
    std::function<void()> stop;
};

struct Scenario
{
    QString start = QStringLiteral("19c513d3bf90"); ///< where the database stands first
    QString repository; ///< empty: the bundled migrations
    bool alembic = false; ///< `repository` is an Alembic project
    ProfileKind profile = ProfileKind::Plain;
    WriteRequest request;
    WriteAnswers answers;
    QStringList cliArguments; ///< after `dbops --migrations R -p P`
    int exitCode = ExitOk;
    QString text; ///< in the refusal or the error, from both front ends
    QStringList versionAfter; ///< the version table afterwards
    QStringList absentTables; ///< public tables that must not exist afterwards
    bool journaled = false;
    QString journalOutcome;
    bool expectJournalWarning = false;
    std::function<void(const QString& databaseUrl)> prepare; ///< after the database is built
    std::shared_ptr<Interference> during;
    /// The CLI run is interrupted this many ms after it started (SIGTERM); the console's is cancelled.
    int interruptAfterMs = 0;
    QByteArray dataHome; ///< another XDG_DATA_HOME for the journal (one that cannot be written)
    /// Checked after each front end's run: empty, or what is wrong.
    std::function<QString()> verify;
};

QString quotedList(const QStringList& list)
{
    return QLatin1Char('[') + list.join(QStringLiteral(", ")) + QLatin1Char(']');
}

/// A journal record without what differs between two equal runs.
QJsonObject comparable(QJsonObject record)
{
    for (const char* key : { "started_at", "finished_at" })
        record.remove(QLatin1String(key));
    QJsonArray steps;
    for (const QJsonValue& step : record.value(QStringLiteral("steps")).toArray()) {
        QJsonObject s = step.toObject();
        s.remove(QStringLiteral("ms"));
        steps.append(s);
    }
    record[QStringLiteral("steps")] = steps;
    record[QStringLiteral("backup")] = record.value(QStringLiteral("backup")).toString().isEmpty()
        ? QStringLiteral("none")
        : QStringLiteral("a dump");
    // Process ids and timings in messages differ from run to run.
    QString error = record.value(QStringLiteral("error")).toString();
    error.replace(QRegularExpression(QStringLiteral("\\d+")), QStringLiteral("#"));
    record[QStringLiteral("error")] = error;
    return record;
}

} // namespace

Q_DECLARE_METATYPE(Scenario)

class TestGuardedMatrix : public QObject
{
    Q_OBJECT
private:
    QString m_adminUrl;
    QTemporaryDir m_home;
    QString m_dbops;
    QString m_bundled = QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR);

    std::unique_ptr<DatabaseConnection> admin(const QString& database = QStringLiteral("postgres"))
    {
        ConnectionSettings settings = *ConnectionSettings::parse(m_adminUrl);
        settings.setValue(QStringLiteral("dbname"), database);
        Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(settings);
        if (!connection)
            qFatal("%s", qPrintable(connection.error().toString()));
        return std::move(connection).value();
    }

    QString urlOf(const QString& database) const
    {
        ConnectionSettings settings = *ConnectionSettings::parse(m_adminUrl);
        settings.setValue(QStringLiteral("dbname"), database);
        return settings.toUrlWithoutPassword();
    }

    /// A fresh database at `revision` of `repository`, built by the core runner.
    void buildDatabase(const QString& name, const Scenario& scenario)
    {
        auto connection = admin();
        connection->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
        QVERIFY(connection->exec(QStringLiteral("CREATE DATABASE %1").arg(name)));
        if (scenario.start == QLatin1String("base"))
            return;
        if (scenario.alembic) {
            // Alembic projects are set up through the CLI (their SQL comes
            // from Alembic's offline mode); the row under test comes after.
            QProcess setup;
            setup.start(m_dbops,
                { QStringLiteral("--alembic"), scenario.repository, QStringLiteral("-d"), urlOf(name),
                    QStringLiteral("upgrade"), scenario.start });
            QVERIFY(setup.waitForFinished(120000));
            QVERIFY2(setup.exitCode() == 0, setup.readAllStandardError().constData());
            return;
        }
        Result<MigrationRepository> repository
            = MigrationRepository::load(scenario.repository.isEmpty() ? m_bundled : scenario.repository);
        QVERIFY2(repository, qPrintable(repository ? QString() : repository.error().toString()));
        ConnectionSettings settings = *ConnectionSettings::parse(urlOf(name));
        Result<std::unique_ptr<DatabaseConnection>> db = DatabaseConnection::open(settings);
        QVERIFY(db);
        const MigrationPlan plan = *repository->graph().upgradePlan({}, scenario.start);
        MigrationRunner runner(*db.value(), RunOptions());
        const RunResult result = runner.run(plan, SqlScriptRenderer::render(plan, repository->graph()));
        QVERIFY2(result.ok(), qPrintable(result.error.toString()));
    }

    void saveProfile(const QString& name, ProfileKind kind)
    {
        ConnectionProfile profile;
        profile.name = name;
        profile.applySettings(*ConnectionSettings::parse(urlOf(name)));
        profile.readOnly = kind == ProfileKind::ReadOnly;
        profile.production = kind == ProfileKind::Production;
        profile.sslmode = QStringLiteral("disable");
        QVERIFY(!ProfileStore().save(profile));
    }

    struct Observed
    {
        int exitCode = -1;
        QStringList messages; ///< refusals and errors, as printed / as the core gave them
        QString allText; ///< everything the front end showed
        QStringList version;
        QStringList tables;
        std::optional<QJsonObject> journal;
        bool journalWarning = false;
        QString problem; ///< from the scenario's own verify()
    };

    QStringList versionRows(const QString& database, const QString& table)
    {
        auto connection = admin(database);
        Result<QSqlQuery> q
            = connection->exec(QStringLiteral("SELECT version_num FROM %1 ORDER BY 1").arg(table));
        QStringList rows;
        if (!q)
            return { QStringLiteral("(no version table)") };
        while (q.value().next())
            rows.append(q.value().value(0).toString());
        return rows;
    }

    QStringList tables(const QString& database)
    {
        auto connection = admin(database);
        Result<QSqlQuery> q
            = connection->exec(QStringLiteral("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM "
                                              "pg_tables WHERE schemaname = 'public'"));
        return q && q.value().next() ? q.value().value(0).toString().split(QLatin1Char(',')) : QStringList();
    }

    int journalSize()
    {
        Result<QList<JournalRecord>> records = RunJournal().read();
        return records ? static_cast<int>(records->size()) : 0;
    }

    std::optional<QJsonObject> journalAfter(int before)
    {
        Result<QList<JournalRecord>> records = RunJournal().read();
        if (!records || records->size() <= before)
            return std::nullopt;
        return records->constLast().toJson();
    }

    Observed runCli(const QString& name, const Scenario& scenario)
    {
        Observed seen;
        const int before = journalSize();
        QStringList arguments { scenario.alembic ? QStringLiteral("--alembic")
                                                 : QStringLiteral("--migrations"),
            scenario.repository.isEmpty() ? m_bundled : scenario.repository, QStringLiteral("-p"), name };
        arguments += scenario.cliArguments;
        QProcess process;
        if (scenario.during)
            scenario.during->start(urlOf(name));
        process.start(m_dbops, arguments);
        if (scenario.interruptAfterMs > 0) {
            QTest::qWait(scenario.interruptAfterMs);
            ::kill(static_cast<pid_t>(process.processId()), SIGTERM);
        }
        if (!process.waitForFinished(180000))
            qFatal("dbops did not finish");
        seen.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : 128 + SIGTERM;
        const QString err = QString::fromUtf8(process.readAllStandardError());
        seen.allText = err + QString::fromUtf8(process.readAllStandardOutput());
        for (const QString& line : err.split(QLatin1Char('\n'))) {
            if (line.startsWith(QLatin1String("dbops: error: ")))
                seen.messages.append(line.mid(14));
        }
        seen.journalWarning = err.contains(QLatin1String("the run journal was not written"));
        seen.journal = journalAfter(before);
        return seen;
    }

    Observed runConsole(const QString& name, const Scenario& scenario)
    {
        Observed seen;
        const int before = journalSize();
        ConsoleSession session;
        QSignalSpy repository(&session, &ConsoleSession::repositoryChanged);
        QSignalSpy errors(&session, &ConsoleSession::errorOccurred);
        session.loadRepository(scenario.repository.isEmpty() ? m_bundled : scenario.repository);
        if (!repository.wait(120000) || !session.repository())
            qFatal("the console did not load the repository: %s", qPrintable(session.repositoryError()));
        Result<ConnectionTarget> target = ConnectionTarget::locate({}, name, ProfileStore());
        if (!target)
            qFatal("%s", qPrintable(target.error().toString()));
        QSignalSpy checks(&session, &ConsoleSession::checksChanged);
        session.connectTo(*target);
        // Connected, then the audit and the checks the session runs by itself
        // (an audit may fail: a repository without head.json whose replay fails).
        QElapsedTimer waited;
        waited.start();
        while (checks.isEmpty() && !(session.isConnected() && !errors.isEmpty() && !session.isBusy())
            && waited.elapsed() < 60000)
            QTest::qWait(50);
        if (!session.isConnected())
            qFatal("the console did not connect: %s",
                errors.isEmpty() ? "" : qPrintable(errors.constLast().at(0).value<Error>().toString()));

        QSignalSpy reviewed(&session, &ConsoleSession::reviewReady);
        errors.clear();
        session.requestReview(scenario.request);
        for (int waited = 0; reviewed.isEmpty() && errors.isEmpty() && waited < 120; ++waited)
            reviewed.wait(1000);
        if (!errors.isEmpty()) {
            const Error error = errors.constFirst().at(0).value<Error>();
            seen.messages.append(error.toString());
            seen.allText = error.toString();
            seen.exitCode = GuardedWrite::exitCode(ErrorList { error });
            seen.journal = journalAfter(before);
            if (scenario.during)
                scenario.during->start(urlOf(name)); // runFrontEnd stops it
            return seen;
        }
        if (reviewed.isEmpty())
            qFatal("no review arrived");
        const WriteReview review = reviewed.constFirst().at(0).value<WriteReview>();
        if (review.nothingToDo)
            seen.allText += QStringLiteral("Nothing to do: the database is at %1.\n").arg(review.fromText);
        // What the dialog would show, and the answers it would collect.
        const ErrorList refusals = GuardedWrite::refusals(review, scenario.answers);
        for (const Error& refusal : refusals)
            seen.allText += refusal.toString() + QLatin1Char('\n');

        QSignalSpy progress(&session, &ConsoleSession::runProgress);
        QSignalSpy finished(&session, &ConsoleSession::writeFinished);
        if (scenario.during)
            scenario.during->start(urlOf(name));
        session.startWrite(review, scenario.answers);
        if (scenario.interruptAfterMs > 0) {
            QTest::qWait(scenario.interruptAfterMs);
            session.controller()->cancel();
        }
        if (!finished.wait(180000))
            qFatal("the write did not finish");
        const WriteOutcome outcome = finished.constFirst().at(0).value<WriteOutcome>();
        seen.exitCode = GuardedWrite::exitCode(outcome);
        for (const Error& refusal : outcome.refusals)
            seen.messages.append(refusal.toString());
        if (outcome.status == WriteOutcome::Status::Finished && !outcome.run.ok())
            seen.messages.append(review.target.settings.redact(outcome.run.error.toString()));
        for (const QVariantList& event : std::as_const(progress))
            seen.allText += event.at(0).value<RunEvent>().text + QLatin1Char('\n');
        seen.allText += seen.messages.join(QLatin1Char('\n'));
        seen.journalWarning = outcome.journalWarning.has_value();
        seen.journal = journalAfter(before);
        return seen;
    }

    Observed runFrontEnd(bool cli, const QString& name, const Scenario& scenario)
    {
        buildDatabase(name, scenario);
        if (scenario.prepare)
            scenario.prepare(urlOf(name));
        if (!scenario.dataHome.isEmpty())
            qputenv("XDG_DATA_HOME", scenario.dataHome);
        Observed seen = cli ? runCli(name, scenario) : runConsole(name, scenario);
        if (!scenario.dataHome.isEmpty())
            qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        if (scenario.during)
            scenario.during->stop();
        const QString versionTable = scenario.request.action == WriteAction::Fix || !scenario.alembic
            ? QStringLiteral("alembic_version")
            : QStringLiteral("app_versions");
        if (scenario.verify)
            seen.problem = scenario.verify();
        seen.version = versionRows(name, versionTable);
        seen.tables = tables(name);
        return seen;
    }

    /// A copy of the bundled repository with `edit` applied to one revision's file.
    QString repositoryWith(const QString& revision, const std::function<QString(QString)>& edit)
    {
        const QString dir = m_home.filePath(QStringLiteral("repo-") + revision + QString::number(qrand32()));
        QDir().mkpath(dir);
        QDirIterator it(m_bundled, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString source = it.next();
            const QString target = dir + source.mid(m_bundled.size());
            QDir().mkpath(QFileInfo(target).path());
            QFile::copy(source, target);
            if (source.contains(revision)) {
                QFile file(target);
                file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
                file.open(QIODevice::ReadOnly);
                const QString text = edit(QString::fromUtf8(file.readAll()));
                file.close();
                file.open(QIODevice::WriteOnly | QIODevice::Truncate);
                file.write(text.toUtf8());
            }
        }
        return dir;
    }

    /// The bridge project with `version_table="app_versions"` in env.py.
    QString alembicProjectWithVersionTable()
    {
        const QString source = QStringLiteral(DBOPS_TEST_DATA_DIR "/../alembic/bridge_project");
        const QString dir = m_home.filePath(QStringLiteral("alembic-app-versions"));
        QDirIterator it(source, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            const QString target = dir + file.mid(source.size());
            QDir().mkpath(QFileInfo(target).path());
            QFile::copy(file, target);
        }
        QFile env(dir + QStringLiteral("/env.py"));
        env.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        env.open(QIODevice::ReadOnly);
        QString text = QString::fromUtf8(env.readAll());
        env.close();
        text.replace(QStringLiteral("context.configure("),
            QStringLiteral("context.configure(\n        version_table=\"app_versions\","));
        env.open(QIODevice::WriteOnly | QIODevice::Truncate);
        env.write(text.toUtf8());
        return dir;
    }

    static quint32 qrand32()
    {
        static quint32 counter = 0;
        return ++counter;
    }

    /// A second session holding `lockSql` (e.g. LOCK TABLE) in an open
    /// transaction until stop().
    std::shared_ptr<Interference> holding(const QString& lockSql, int* pidOut = nullptr)
    {
        auto interference = std::make_shared<Interference>();
        auto holder = std::make_shared<std::unique_ptr<DatabaseConnection>>();
        interference->start = [holder, lockSql, pidOut](const QString& url) {
            *holder = std::move(DatabaseConnection::open(*ConnectionSettings::parse(url))).value();
            (*holder)->exec(QStringLiteral("BEGIN"));
            (*holder)->exec(lockSql);
            if (pidOut)
                *pidOut = (*holder)->scalar(QStringLiteral("SELECT pg_backend_pid()"))->toInt();
        };
        interference->stop = [holder] { holder->reset(); };
        return interference;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_adminUrl = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (m_adminUrl.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (run through tests/with-postgres.sh)");
        m_dbops = QStringLiteral(DBOPS_CLI_PATH);
        QVERIFY(QFileInfo::exists(m_dbops));
        // The CLI children inherit these: one profile store, one journal.
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("DBOPS_KEYCHAIN", "off");
        qunsetenv("DATABASE_URL");
        qunsetenv("DBOPS_MIGRATIONS");
        registerWorkerMetaTypes();
    }

    // 10. An empty profile name is an error, never "no profile" (which would
    // run with DATABASE_URL and no profile's guard).  The console's side,
    // MainWindow::connectToProfile(""), is in tst_mainwindow.
    void emptyProfileNameIsRefused()
    {
        const QString name = QStringLiteral("matrix_empty");
        Scenario scenario;
        buildDatabase(name, scenario);
        for (const QStringList& arguments :
            { QStringList { QStringLiteral("-p"), QString(), QStringLiteral("upgrade") },
                QStringList {
                    QStringLiteral("upgrade"), QStringLiteral("--profile="), QStringLiteral("--sql") } }) {
            QProcess process;
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert(QStringLiteral("DATABASE_URL"), urlOf(name));
            process.setProcessEnvironment(environment);
            process.start(m_dbops, QStringList { QStringLiteral("--migrations"), m_bundled } + arguments);
            QVERIFY(process.waitForFinished(60000));
            const QString err = QString::fromUtf8(process.readAllStandardError());
            QVERIFY2(process.exitCode() == ExitBadInput, qPrintable(err));
            QVERIFY2(err.contains(QStringLiteral("the profile name is empty")), qPrintable(err));
        }
        QCOMPARE(versionRows(name, QStringLiteral("alembic_version")), QStringList { scenario.start });
    }

    void bothFrontEnds_data()
    {
        QTest::addColumn<Scenario>("scenario");
        const auto make = [](WriteAction action, const QString& target, const QStringList& cli) {
            Scenario s;
            s.request.action = action;
            s.request.target = target;
            s.cliArguments = cli;
            s.versionAfter = QStringList { s.start };
            return s;
        };

        { // 1. a migration with COMMIT in its upgrade: refused before anything runs
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("head"), { QStringLiteral("upgrade") });
            s.repository = repositoryWith(QStringLiteral("e85c2a7d1f96"), [](QString text) {
                return text.replace(
                    QStringLiteral("-- +upgrade\n"), QStringLiteral("-- +upgrade\nCOMMIT;\n"));
            });
            s.exitCode = ExitBadInput;
            s.text = QStringLiteral("e85c2a7d1f96");
            QTest::newRow("1 validator: COMMIT in an upgrade") << s;
        }
        { // 1. CREATE INDEX CONCURRENTLY in a transactional revision
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("head"), { QStringLiteral("upgrade") });
            s.repository = repositoryWith(QStringLiteral("e85c2a7d1f96"), [](QString text) {
                return text.replace(QStringLiteral("-- +upgrade\n"),
                    QStringLiteral(
                        "-- +upgrade\nCREATE INDEX CONCURRENTLY ix_guard ON factor_definitions (name);\n"));
            });
            s.exitCode = ExitBadInput;
            s.text = QStringLiteral("CONCURRENTLY");
            QTest::newRow("1 validator: CONCURRENTLY in a transaction") << s;
        }
        { // 3. stamp to a revision whose objects are MISSING
            Scenario s = make(WriteAction::Stamp, QStringLiteral("f2c8a5d17e09"),
                { QStringLiteral("stamp"), QStringLiteral("f2c8a5d17e09") });
            s.exitCode = ExitBadInput;
            s.text = QStringLiteral("stamp refused: the database does not have what f2c8a5d17e09 creates");
            QTest::newRow("3 stamp to a non-head revision with MISSING objects") << s;
        }
        { // stamp head with MISSING
            Scenario s = make(WriteAction::Stamp, QStringLiteral("head"),
                { QStringLiteral("stamp"), QStringLiteral("head") });
            s.exitCode = ExitBadInput;
            s.text = QStringLiteral("stamp refused");
            QTest::newRow("stamp head with MISSING objects") << s;
        }
        { // stamp with an override and its reason: journaled with the reason
            Scenario s = make(WriteAction::Stamp, QStringLiteral("f2c8a5d17e09"),
                { QStringLiteral("stamp"), QStringLiteral("f2c8a5d17e09"), QStringLiteral("--force"),
                    QStringLiteral("--reason"), QStringLiteral("tables restored by hand") });
            s.answers.force = true;
            s.answers.overrideReason = QStringLiteral("tables restored by hand");
            s.versionAfter = QStringList { QStringLiteral("f2c8a5d17e09") };
            s.journaled = true;
            s.journalOutcome = QStringLiteral("success");
            QTest::newRow("stamp with an override reason") << s;
        }
        { // read-only profiles refuse every write
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("head"), { QStringLiteral("upgrade") });
            s.profile = ProfileKind::ReadOnly;
            s.exitCode = ExitBadInput;
            s.text = QStringLiteral("is read-only: upgrade refused");
            QTest::newRow("read-only profile") << s;
        }
        { // production without the typed name
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("head"), { QStringLiteral("upgrade") });
            s.profile = ProfileKind::Production;
            s.exitCode = ExitBadInput;
            s.text = QStringLiteral("is a production profile: type the database name");
            QTest::newRow("production without the typed name") << s;
        }
        { // production with a wrong name
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("head"),
                { QStringLiteral("upgrade"), QStringLiteral("--confirm"), QStringLiteral("portfolio") });
            s.profile = ProfileKind::Production;
            s.answers.typedDatabaseName = QStringLiteral("portfolio");
            s.exitCode = ExitBadInput;
            s.text = QStringLiteral("does not match the database name");
            QTest::newRow("production with a wrong name") << s;
        }
        { // 4. a fix: its SQL, its backup and its timeouts reach the run and the journal
            Scenario s = make(WriteAction::Fix, QStringLiteral("short-interest-inactive"),
                { QStringLiteral("fix"), QStringLiteral("short-interest-inactive"),
                    QStringLiteral("--backup"), m_home.filePath(QStringLiteral("fix-backups")),
                    QStringLiteral("--lock-timeout"), QStringLiteral("7") });
            s.request.backupDirectory = m_home.filePath(QStringLiteral("fix-backups"));
            s.request.lockTimeoutSeconds = 7;
            s.journaled = true;
            s.journalOutcome = QStringLiteral("success");
            QTest::newRow("4 fix with a backup and a lock timeout") << s;
        }
        { // 4. a fix on production needs the typed name from the person, not from the console
            Scenario s = make(WriteAction::Fix, QStringLiteral("short-interest-inactive"),
                { QStringLiteral("fix"), QStringLiteral("short-interest-inactive") });
            s.profile = ProfileKind::Production;
            s.exitCode = ExitBadInput;
            s.text = QStringLiteral("is a production profile: type the database name");
            QTest::newRow("4 fix on production without the typed name") << s;
        }
        { // 7. a production rollback that drops tables with data needs the data loss accepted
            Scenario s = make(WriteAction::Downgrade, QStringLiteral("19c513d3bf90"),
                { QStringLiteral("downgrade"), QStringLiteral("19c513d3bf90"), QStringLiteral("--confirm"),
                    QStringLiteral("PLACEHOLDER") });
            s.start = QStringLiteral("e85c2a7d1f96");
            s.versionAfter = QStringList { s.start };
            s.profile = ProfileKind::Production;
            s.exitCode = ExitBadInput;
            s.text = QStringLiteral("drops 2 table(s) and 0 column(s) holding 1 row(s)");
            s.prepare = [](const QString& url) {
                // One row of data the rollback would lose.
                auto db = std::move(DatabaseConnection::open(*ConnectionSettings::parse(url))).value();
                const auto inserted = db->exec(QStringLiteral(
                    "WITH u AS (INSERT INTO users (email, hashed_password) VALUES ('a@example.com', 'x') "
                    "RETURNING id), p AS (INSERT INTO portfolios (user_id, name) SELECT id, 'main' FROM u "
                    "RETURNING id) INSERT INTO equity_changes (portfolio_id, change_type, amount, "
                    "change_date) "
                    "SELECT id, 'CONTRIBUTION', 100, current_date FROM p"));
                if (!inserted)
                    qFatal("%s", qPrintable(inserted.error().toString()));
            };
            QTest::newRow("7 production rollback without accepting the data loss") << s;
            s.cliArguments.append(QStringLiteral("--accept-data-loss"));
            s.answers.dataLossAccepted = true;
            s.exitCode = ExitOk;
            s.text.clear();
            s.versionAfter = QStringList { QStringLiteral("19c513d3bf90") };
            s.journaled = true;
            s.journalOutcome = QStringLiteral("success");
            QTest::newRow("7 production rollback with the data loss accepted") << s;
        }
        { // 15. recovery: a read-only profile refuses the rollback of a partial revision too
            Scenario s = make(WriteAction::Recover, RecoveryStep::rollbackPartial().target(),
                { QStringLiteral("recover"), QStringLiteral("--rollback-partial") });
            s.profile = ProfileKind::ReadOnly;
            s.exitCode = ExitBadInput;
            s.text = QStringLiteral("is read-only: recover rollback-partial refused");
            QTest::newRow("15 recovery rollback on a read-only profile") << s;
        }
        { // 15. recovery on production: the partial revision's table holds a row
            Scenario s = make(WriteAction::Recover, RecoveryStep::rollbackPartial().target(),
                { QStringLiteral("recover"), QStringLiteral("--rollback-partial"),
                    QStringLiteral("--confirm"), QStringLiteral("PLACEHOLDER") });
            s.start = QStringLiteral("f2c8a5d17e09"); // e85c2a7d1f96 (equity_changes) is the first pending
            s.versionAfter = QStringList { s.start };
            s.profile = ProfileKind::Production;
            s.exitCode = ExitBadInput;
            s.text = QStringLiteral("drops 1 table(s) and 0 column(s) holding 1 row(s)");
            s.prepare = [](const QString& url) {
                // What a run stopped half way left: the revision's table, with a row written since.
                auto db = std::move(DatabaseConnection::open(*ConnectionSettings::parse(url))).value();
                const auto created = db->exec(QStringLiteral(
                    "CREATE TABLE equity_changes (id integer); INSERT INTO equity_changes VALUES (1)"));
                if (!created)
                    qFatal("%s", qPrintable(created.error().toString()));
            };
            QTest::newRow("15 production recovery rollback without accepting the data loss") << s;
            s.cliArguments.append(QStringLiteral("--accept-data-loss"));
            s.answers.dataLossAccepted = true;
            s.exitCode = ExitOk;
            s.text.clear();
            s.journaled = true;
            s.journalOutcome = QStringLiteral("success");
            s.absentTables = QStringList { QStringLiteral("equity_changes") };
            QTest::newRow("15 production recovery rollback with the data loss accepted") << s;
        }
        { // An applied revision whose file changed since (dbops verify): refused until accepted with a
          // reason.
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("head"), { QStringLiteral("upgrade") });
            s.exitCode = ExitBadInput;
            s.text = QStringLiteral("a3f1c9e07b52");
            s.prepare = [](const QString& url) {
                // What the runner recorded no longer matches the file: as if it was edited afterwards.
                auto db = std::move(DatabaseConnection::open(*ConnectionSettings::parse(url))).value();
                const auto changed
                    = db->exec(QStringLiteral("UPDATE dbops_applied_revisions SET sha256 = repeat('0', 64) "
                                              "WHERE revision = 'a3f1c9e07b52'"));
                if (!changed || changed->numRowsAffected() != 1)
                    qFatal("no checksum row for a3f1c9e07b52");
            };
            QTest::newRow("an applied file changed refuses the run") << s;
            s.cliArguments << QStringLiteral("--accept-changed") << QStringLiteral("a3f1c9e07b52")
                           << QStringLiteral("--reason") << QStringLiteral("reformatted, same statements");
            s.request.acceptedChanges
                = { { QStringLiteral("a3f1c9e07b52"), QStringLiteral("reformatted, same statements") } };
            s.exitCode = ExitOk;
            s.text.clear();
            s.versionAfter = QStringList { QStringLiteral("792ffb1ab1ad") };
            s.journaled = true;
            s.journalOutcome = QStringLiteral("success");
            QTest::newRow("an applied file changed, accepted with a reason") << s;
        }
        { // 8. the journal keeps the transaction mode
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("e85c2a7d1f96"),
                { QStringLiteral("upgrade"), QStringLiteral("e85c2a7d1f96"), QStringLiteral("--transaction"),
                    QStringLiteral("per-revision") });
            s.request.transactionMode = TransactionMode::PerRevision;
            s.versionAfter = QStringList { QStringLiteral("e85c2a7d1f96") };
            s.journaled = true;
            s.journalOutcome = QStringLiteral("success");
            QTest::newRow("8 journal with the transaction mode") << s;
        }
        { // 9. lock waits name the blocking session (told to run although it is in the way)
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("b61d8f2e4a70"),
                { QStringLiteral("upgrade"), QStringLiteral("b61d8f2e4a70"), QStringLiteral("--lock-timeout"),
                    QStringLiteral("1"), QStringLiteral("--retries"), QStringLiteral("1"),
                    QStringLiteral("--ignore-blockers") });
            s.request.lockTimeoutSeconds = 1;
            s.request.retries = 1;
            s.answers.ignoreBlockers = true;
            s.exitCode = ExitRunFailed;
            s.text = QStringLiteral("holding");
            s.during = holding(QStringLiteral("LOCK TABLE portfolio_snapshots IN ACCESS EXCLUSIVE MODE"));
            s.journaled = true;
            s.journalOutcome = QStringLiteral("failed");
            QTest::newRow("9 lock timeout names the blocker") << s;
        }
        { // pre-flight: a session in the way of the upgrade's ACCESS EXCLUSIVE refuses before anything runs
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("b61d8f2e4a70"),
                { QStringLiteral("upgrade"), QStringLiteral("b61d8f2e4a70") });
            s.exitCode = ExitBadInput;
            s.text
                = QStringLiteral("would wait for 1 other session(s) that hold or wait for locks it needs, on "
                                 "portfolio_snapshots (the upgrade asks for ACCESS EXCLUSIVE): pid ");
            s.during = holding(QStringLiteral("LOCK TABLE portfolio_snapshots IN ACCESS SHARE MODE"));
            QTest::newRow("sessions in the way refuse without --ignore-blockers") << s;
        }
        { // the migration lock held by another run
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("head"), { QStringLiteral("upgrade") });
            s.exitCode = ExitLockTimeout;
            s.text = QStringLiteral("another run holds the migration lock");
            s.during = holding(QStringLiteral("SELECT pg_advisory_lock(%1)")
                                   .arg(MigrationRunner::lockKey(QStringLiteral("alembic_version"))));
            s.journaled = true;
            s.journalOutcome = QStringLiteral("lock-held");
            QTest::newRow("migration lock held") << s;
        }
        { // 11. another session inserts a version row during the run: rolled back
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("head"), { QStringLiteral("upgrade") });
            s.repository = QStringLiteral(DBOPS_TEST_DATA_DIR "/runner/slow");
            s.start = QStringLiteral("5e5e5e5e0001");
            s.exitCode = ExitDatabaseMoved;
            s.text = QStringLiteral("c0ffee000000");
            s.versionAfter = QStringList { QStringLiteral("5e5e5e5e0001"), QStringLiteral("c0ffee000000") };
            s.prepare = [](const QString& url) {
                auto db = std::move(DatabaseConnection::open(*ConnectionSettings::parse(url))).value();
                db->exec(QStringLiteral("UPDATE slow_config SET seconds = 3"));
            };
            auto interference = std::make_shared<Interference>();
            auto thread = std::make_shared<std::thread>();
            interference->start = [thread](const QString& url) {
                *thread = std::thread([url] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
                    auto db = std::move(DatabaseConnection::open(*ConnectionSettings::parse(url))).value();
                    db->exec(QStringLiteral("INSERT INTO alembic_version VALUES ('c0ffee000000')"));
                });
            };
            interference->stop = [thread] {
                if (thread->joinable())
                    thread->join();
            };
            s.during = interference;
            s.journaled = true;
            s.journalOutcome = QStringLiteral("version-mismatch");
            QTest::newRow("11 a version row inserted during the run") << s;
        }
        { // 13. interrupted during the backup: pg_dump stopped, nothing run, exit 5
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("head"),
                { QStringLiteral("upgrade"), QStringLiteral("--backup"),
                    m_home.filePath(QStringLiteral("cancelled")) });
            s.request.backupDirectory = m_home.filePath(QStringLiteral("cancelled"));
            s.exitCode = ExitCancelled;
            s.text = QStringLiteral("backup cancelled");
            // pg_dump waits for this lock, so it is still running when interrupted.
            s.during = holding(QStringLiteral("LOCK TABLE factor_definitions IN ACCESS EXCLUSIVE MODE"));
            s.interruptAfterMs = 2500;
            const QString folder = m_home.filePath(QStringLiteral("cancelled"));
            s.verify = [folder] {
                // pg_dump was stopped and its partial file removed.
                QTest::qWait(300);
                const QStringList left = QDir(folder).entryList(QDir::Files);
                if (!left.isEmpty())
                    return QStringLiteral("a dump was left behind: %1").arg(left.join(QStringLiteral(", ")));
                const QStringList processes = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
                for (const QString& pid : processes) {
                    QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
                    if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "pg_dump")
                        return QStringLiteral("pg_dump is still running (pid %1)").arg(pid);
                }
                return QString();
            };
            QTest::newRow("13 interrupted during the backup") << s;
        }
        { // 14. a run that waited for the lock while another run moved the database: its own exit code
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("head"),
                { QStringLiteral("upgrade"), QStringLiteral("--lock-wait"), QStringLiteral("20") });
            s.request.lockWaitSeconds = 20;
            s.exitCode = ExitDatabaseMoved;
            s.text = QStringLiteral("0b7e3d9a2c45");
            s.versionAfter = QStringList { QStringLiteral("0b7e3d9a2c45") };
            auto interference = std::make_shared<Interference>();
            auto thread = std::make_shared<std::thread>();
            interference->start = [thread](const QString& url) {
                auto holder = std::shared_ptr<DatabaseConnection>(
                    std::move(DatabaseConnection::open(*ConnectionSettings::parse(url))).value());
                const qint64 key = MigrationRunner::lockKey(QStringLiteral("alembic_version"));
                holder->exec(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(key));
                *thread = std::thread([holder, key] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
                    holder->exec(QStringLiteral("UPDATE alembic_version SET version_num = '0b7e3d9a2c45'"));
                    holder->exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(key));
                });
            };
            interference->stop = [thread] {
                if (thread->joinable())
                    thread->join();
            };
            s.during = interference;
            s.journaled = true;
            s.journalOutcome = QStringLiteral("version-mismatch");
            QTest::newRow("14 the database moved while waiting for the lock") << s;
        }
        { // 8. a journal that cannot be written: both warn
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("f2c8a5d17e09"),
                { QStringLiteral("upgrade"), QStringLiteral("f2c8a5d17e09") });
            s.versionAfter = QStringList { QStringLiteral("f2c8a5d17e09") };
            s.dataHome = "/dev/null/dbops-journal";
            s.expectJournalWarning = true;
            QTest::newRow("8 journal cannot be written") << s;
        }
        { // 2. an Alembic project's env.py version_table: both plan against it
            if (QFileInfo::exists(QStringLiteral("/usr/bin/alembic"))) {
                Scenario s = make(WriteAction::Upgrade, QStringLiteral("heads"),
                    { QStringLiteral("upgrade"), QStringLiteral("heads") });
                s.repository = alembicProjectWithVersionTable();
                s.alembic = true;
                s.start = QStringLiteral("heads");
                s.versionAfter = QStringList { QStringLiteral("*") };
                s.text = QStringLiteral("Nothing to do");
                QTest::newRow("2 Alembic version_table from env.py") << s;
            }
        }
        { // 14. an error at COMMIT names its revision and no empty SQLSTATE
            Scenario s = make(WriteAction::Upgrade, QStringLiteral("head"), { QStringLiteral("upgrade") });
            s.repository = QStringLiteral(DBOPS_TEST_DATA_DIR "/guarded/deferred");
            s.start = QStringLiteral("base");
            s.versionAfter = QStringList { QStringLiteral("(no version table)") };
            s.exitCode = ExitRunFailed;
            s.text = QStringLiteral("d00000000002");
            s.journaled = true;
            s.journalOutcome = QStringLiteral("failed");
            QTest::newRow("14 an error at COMMIT") << s;
        }
    }

    void bothFrontEnds()
    {
        QFETCH(Scenario, scenario);
        static int counter = 0;
        const QString name = QStringLiteral("matrix_%1").arg(++counter);
        saveProfile(name, scenario.profile);
        // The production name typed back is the scenario's database, unless the row types a wrong one.
        Scenario run = scenario;
        for (QString& argument : run.cliArguments) {
            if (argument == QLatin1String("PLACEHOLDER"))
                argument = name;
        }
        if (run.profile == ProfileKind::Production && run.answers.typedDatabaseName.isEmpty()
            && run.cliArguments.contains(name))
            run.answers.typedDatabaseName = name;

        const Observed cli = runFrontEnd(true, name, run);
        const Observed console = runFrontEnd(false, name, run);
        const QString context = QStringLiteral("\nCLI:     exit %1, %2\nconsole: exit %3, %4")
                                    .arg(cli.exitCode)
                                    .arg(cli.allText, QString::number(console.exitCode), console.allText);

        QVERIFY2(cli.problem.isEmpty(), qPrintable(QStringLiteral("CLI: ") + cli.problem + context));
        QVERIFY2(
            console.problem.isEmpty(), qPrintable(QStringLiteral("console: ") + console.problem + context));
        QVERIFY2(cli.exitCode == run.exitCode,
            qPrintable(
                QStringLiteral("CLI exit %1, expected %2").arg(cli.exitCode).arg(run.exitCode) + context));
        QVERIFY2(console.exitCode == run.exitCode,
            qPrintable(QStringLiteral("console exit %1, expected %2").arg(console.exitCode).arg(run.exitCode)
                + context));
        if (!run.text.isEmpty()) {
            QVERIFY2(cli.allText.contains(run.text, Qt::CaseInsensitive), qPrintable(context));
            QVERIFY2(console.allText.contains(run.text, Qt::CaseInsensitive), qPrintable(context));
        }
        if (run.exitCode == ExitBadInput) {
            // A refusal: the same words from both (but the pids and ages of sessions in the way).
            const auto samePlaces = [](QStringList messages) {
                // Sessions' pids and ages, and the times the two databases' revisions were applied.
                static const QRegularExpression session(QStringLiteral(
                    "pid \\d+|transaction open [^,)]+|applied \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z?"));
                for (QString& message : messages)
                    message.replace(session, QStringLiteral("#"));
                return messages;
            };
            QCOMPARE(samePlaces(console.messages), samePlaces(cli.messages));
        }
        if (run.versionAfter != QStringList { QStringLiteral("*") })
            QVERIFY2(cli.version == run.versionAfter, qPrintable(quotedList(cli.version) + context));
        QCOMPARE(console.version, cli.version);
        QCOMPARE(console.tables, cli.tables);
        for (const QString& table : std::as_const(run.absentTables))
            QVERIFY2(
                !cli.tables.contains(table), qPrintable(table + QStringLiteral(" is still there") + context));
        QCOMPARE(cli.journalWarning, run.expectJournalWarning);
        QCOMPARE(console.journalWarning, cli.journalWarning);
        QCOMPARE(cli.journal.has_value(), run.journaled);
        QCOMPARE(console.journal.has_value(), run.journaled);
        if (run.journaled) {
            QCOMPARE(cli.journal->value(QStringLiteral("outcome")).toString(), run.journalOutcome);
            QCOMPARE(comparable(*console.journal), comparable(*cli.journal));
        }
    }
};

QTEST_GUILESS_MAIN(TestGuardedMatrix)
#include "tst_guardedmatrix.moc"
