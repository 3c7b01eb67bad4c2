// The console's threading contract: every database call in the worker thread,
// results as queued value types, stale results dropped, cancel server-side.
#include "migrations/MigrationRepository.h"
#include "render/SqlScriptRenderer.h"
#include "worker/DatabaseController.h"

#include <QSignalSpy>
#include <QtTest>

using namespace dbops;

class TestController : public QObject
{
    Q_OBJECT
private:
    ConnectionSettings m_settings;

private Q_SLOTS:
    void initTestCase()
    {
        const QString url = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (url.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (run through tests/with-postgres.sh)");
        m_settings = *ConnectionSettings::parse(url);
    }

    void connectRunAndRefresh()
    {
        DatabaseController controller;
        QSignalSpy connected(&controller, &DatabaseController::connected);
        QSignalSpy failed(&controller, &DatabaseController::failed);
        controller.connectTo(m_settings, QStringLiteral("ctl_version"));
        QVERIFY(connected.wait(10000));
        QCOMPARE(failed.count(), 0);
        const DatabaseStatus status = connected.at(0).at(0).value<DatabaseStatus>();
        QVERIFY(!status.version.tableExists);
        QVERIFY(status.server.versionNumber >= 150000);

        const Result<MigrationRepository> repository = MigrationRepository::load(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR));
        QVERIFY(repository);
        const RevisionGraph& graph = repository->graph();
        RunRequest request;
        request.plan = *graph.upgradePlan({}, QStringLiteral("19c513d3bf90"));
        SqlScriptRenderer::Options options;
        options.versionTable = QStringLiteral("ctl_version");
        request.script = SqlScriptRenderer::render(request.plan, graph, options);
        request.options.versionTable = QStringLiteral("ctl_version");
        request.action = QStringLiteral("upgrade");
        QSignalSpy progress(&controller, &DatabaseController::runProgress);
        QSignalSpy finished(&controller, &DatabaseController::runFinished);
        QVERIFY(!controller.isBusy());
        controller.run(request);
        QVERIFY(controller.isBusy());
        QVERIFY(finished.wait(30000));
        const RunResult result = finished.at(0).at(0).value<RunResult>();
        QVERIFY2(result.ok(), qPrintable(result.error.toString()));
        QCOMPARE(result.finalHeads, QStringList { QStringLiteral("19c513d3bf90") });
        QVERIFY(progress.count() >= 10);
        QVERIFY(!controller.isBusy());

        QSignalSpy refreshed(&controller, &DatabaseController::statusRefreshed);
        controller.refresh();
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(refreshed.at(0).at(0).value<DatabaseStatus>().version.revisions, QStringList { QStringLiteral("19c513d3bf90") });
    }

    void staleResultsAreDropped()
    {
        DatabaseController controller;
        QSignalSpy tested(&controller, &DatabaseController::connectionTested);
        ConnectionSettings bad = m_settings;
        bad.setValue(QStringLiteral("dbname"), QStringLiteral("no_such_database"));
        controller.testConnection(bad); // replaced at once by the next job
        controller.testConnection(m_settings);
        QVERIFY(tested.wait(10000));
        QTest::qWait(300);
        QCOMPARE(tested.count(), 1);
        QVERIFY(tested.at(0).at(0).toBool());
    }

    void cancelStopsTheRunningStatement()
    {
        DatabaseController controller;
        QSignalSpy connected(&controller, &DatabaseController::connected);
        controller.connectTo(m_settings, QStringLiteral("cancel_version"));
        QVERIFY(connected.wait(10000));
        RunRequest request;
        request.plan.upgrade = true;
        request.plan.steps.append(MigrationStep { QStringLiteral("slow"), true, {}, { QStringLiteral("slow") }, {} });
        ScriptItem begin;
        begin.kind = ScriptItem::Kind::Begin;
        begin.sql = QStringLiteral("BEGIN");
        ScriptItem sleep;
        sleep.kind = ScriptItem::Kind::Statement;
        sleep.sql = QStringLiteral("SELECT pg_sleep(30)");
        sleep.stepIndex = 0;
        sleep.revision = QStringLiteral("slow");
        ScriptItem commit;
        commit.kind = ScriptItem::Kind::Commit;
        commit.sql = QStringLiteral("COMMIT");
        request.script.items = { begin, sleep, commit };
        request.options.versionTable = QStringLiteral("cancel_version");
        QSignalSpy finished(&controller, &DatabaseController::runFinished);
        QElapsedTimer timer;
        timer.start();
        controller.run(request);
        QTest::qWait(700);
        controller.cancel();
        QVERIFY(finished.wait(10000));
        QVERIFY(timer.elapsed() < 10000);
        QCOMPARE(finished.at(0).at(0).value<RunResult>().outcome, RunResult::Outcome::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestController)
#include "tst_controller.moc"
