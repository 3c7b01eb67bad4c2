// The console's threading contract: every database call in the worker thread,
// results as queued value types, stale results dropped, cancel server-side.
#include "connection/PasswordStore.h"
#include "connection/ProfileStore.h"
#include "migrations/MigrationRepository.h"
#include "render/SqlScriptRenderer.h"
#include "worker/DatabaseController.h"
#include "worker/RepositoryLoader.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
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

        Result<MigrationRepository> loaded
            = MigrationRepository::load(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR));
        QVERIFY(loaded);
        const auto repository = std::make_shared<const MigrationRepository>(std::move(loaded).value());
        ConnectionTarget target;
        target.settings = m_settings;
        target.versionTable = QStringLiteral("ctl_version");
        WriteRequest request;
        request.target = QStringLiteral("19c513d3bf90");
        // The one guarded path: a review, then the write with its answers.
        QSignalSpy reviewed(&controller, &DatabaseController::reviewed);
        controller.review(repository, target, request);
        QVERIFY(reviewed.wait(30000));
        const WriteReview review = reviewed.at(0).at(0).value<WriteReview>();
        QVERIFY(review.problems.isEmpty());
        QVERIFY(!review.script.items.isEmpty());
        QSignalSpy progress(&controller, &DatabaseController::runProgress);
        QSignalSpy finished(&controller, &DatabaseController::writeFinished);
        QVERIFY(!controller.isBusy());
        controller.write(repository, review, WriteAnswers());
        QVERIFY(controller.isBusy());
        QVERIFY(finished.wait(30000));
        const RunResult result = finished.at(0).at(0).value<WriteOutcome>().run;
        QVERIFY2(result.ok(), qPrintable(result.error.toString()));
        QCOMPARE(result.finalHeads, QStringList { QStringLiteral("19c513d3bf90") });
        QVERIFY(progress.count() >= 10);
        QVERIFY(!controller.isBusy());

        QSignalSpy refreshed(&controller, &DatabaseController::statusRefreshed);
        controller.refresh();
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(refreshed.at(0).at(0).value<DatabaseStatus>().version.revisions,
            QStringList { QStringLiteral("19c513d3bf90") });
    }

    void repositoryLoadsInItsOwnThread()
    {
        RepositoryLoader loader;
        QSignalSpy loaded(&loader, &RepositoryLoader::loaded);
        const QString bundled = QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR);
        const QString missing = QStringLiteral("/no/such/dbops/repository");
        loader.load(missing); // replaced at once by the next load: its answer is dropped
        loader.load(bundled);
        QVERIFY(loader.isLoading());
        QCOMPARE(loader.loadingDirectory(), bundled);
        QCOMPARE(loaded.count(), 0); // nothing is parsed in the caller's thread
        QVERIFY(loaded.wait(10000));
        QTest::qWait(200);
        QCOMPARE(loaded.count(), 1);
        QVERIFY(!loader.isLoading());
        const LoadedRepository result = loaded.at(0).at(0).value<LoadedRepository>();
        QCOMPARE(result.directory, bundled);
        QVERIFY2(result.repository, qPrintable(result.error.toString()));
        QVERIFY(result.repository->graph().contains(QStringLiteral("19c513d3bf90")));
        QCOMPARE(result.repository->graph().heads(), QStringList { QStringLiteral("792ffb1ab1ad") });

        loader.load(missing);
        QVERIFY(loaded.wait(10000));
        const LoadedRepository failed = loaded.at(1).at(0).value<LoadedRepository>();
        QVERIFY(!failed.repository);
        QVERIFY(failed.error.toString().contains(QStringLiteral("no/such/dbops/repository")));
    }

    void alembicProjectLoadsWithItsSqlInTheRepositoryThread()
    {
        // The console previews and runs SQL, so an Alembic project arrives
        // with its statements from Alembic's offline mode (Debian's alembic).
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
        QSKIP("Alembic runs in a QProcess, whose clone() aborts clang 14's TSan runtime "
              "(tests/sanitizers/README.md); the Qt 6, Qt 5 and ASan builds run this");
#endif
#endif
        if (!QFileInfo::exists(QStringLiteral("/usr/bin/alembic")))
            QSKIP("Debian's alembic is not installed");
        RepositoryLoader loader;
        QSignalSpy loaded(&loader, &RepositoryLoader::loaded);
        const QString project = QStringLiteral(DBOPS_TEST_DATA_DIR "/../alembic/bridge_project");
        loader.load(project);
        QVERIFY(loaded.wait(60000));
        const LoadedRepository result = loaded.at(0).at(0).value<LoadedRepository>();
        QVERIFY2(result.repository, qPrintable(result.error.toString()));
        QVERIFY(result.repository->isAlembic());
        const Revision& concurrently = result.repository->graph().revision(QStringLiteral("6f0000000001"));
        QVERIFY(concurrently.sqlLoaded);
        QVERIFY(!concurrently.transactional); // its autocommit_block
        QCOMPARE(concurrently.upgrade.statements.size(), 1);
        QVERIFY(concurrently.upgrade.statements.first().text.startsWith(
            QStringLiteral("CREATE INDEX CONCURRENTLY ix_accounts_name")));
        const Revision& seed = result.repository->graph().revision(QStringLiteral("3c0000000001"));
        QCOMPARE(seed.upgrade.statements.size(), 4); // op.bulk_insert, one INSERT per row
    }

    void profilePasswordIsLookedUpInTheWorker()
    {
        // With DBOPS_KEYCHAIN=off the lookup answers "switched off" and libpq's
        // own ~/.pgpass / PGPASSFILE is left to find a password (trust here).
        qputenv("DBOPS_KEYCHAIN", "off");
        QMutex mutex;
        QList<QPair<QString, QThread*>> lookups;
        PasswordStore::setReadObserver([&](const QString& key) {
            QMutexLocker lock(&mutex);
            lookups.append({ key, QThread::currentThread() });
        });
        QTemporaryDir dir;
        ProfileStore store(dir.filePath(QStringLiteral("profiles.conf")));
        ConnectionProfile profile;
        profile.name = QStringLiteral("ctl");
        profile.applySettings(m_settings);
        profile.versionTable = QStringLiteral("ctl_version");
        QVERIFY(!store.save(profile));

        // What the console does on the GUI thread: no keychain lookup at all.
        const Result<ConnectionTarget> located = ConnectionTarget::locate({}, QStringLiteral("ctl"), store);
        QVERIFY2(located, qPrintable(located.error().toString()));
        QVERIFY(located->needsKeychainPassword());
        QCOMPARE(located->versionTable, QStringLiteral("ctl_version"));
        QVERIFY(lookups.isEmpty());

        DatabaseController controller;
        QSignalSpy connected(&controller, &DatabaseController::connected);
        QSignalSpy failed(&controller, &DatabaseController::failed);
        controller.connectTo(*located);
        QVERIFY(connected.wait(10000));
        QCOMPARE(failed.count(), 0);
        {
            QMutexLocker lock(&mutex);
            QCOMPARE(lookups.size(), 1);
            QCOMPARE(lookups.at(0).first, QStringLiteral("profile:ctl"));
            QVERIFY(lookups.at(0).second != QThread::currentThread()); // the worker's thread
        }

        // The CLI's resolve() still reads the keychain itself, synchronously.
        const Result<ConnectionTarget> resolved = ConnectionTarget::resolve({}, QStringLiteral("ctl"), store);
        QVERIFY(resolved);
        {
            QMutexLocker lock(&mutex);
            QCOMPARE(lookups.size(), 2);
            QCOMPARE(lookups.at(1).second, QThread::currentThread());
        }
        PasswordStore::setReadObserver(nullptr);
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
        Result<MigrationRepository> loaded
            = MigrationRepository::load(QStringLiteral(DBOPS_TEST_DATA_DIR "/runner/slow"));
        QVERIFY(loaded);
        const auto repository = std::make_shared<const MigrationRepository>(std::move(loaded).value());
        ConnectionTarget target;
        target.settings = m_settings;
        target.versionTable = QStringLiteral("cancel_version");
        WriteRequest request; // revision 2 sleeps 30 s
        QSignalSpy reviewed(&controller, &DatabaseController::reviewed);
        controller.review(repository, target, request);
        QVERIFY(reviewed.wait(30000));
        QSignalSpy finished(&controller, &DatabaseController::writeFinished);
        QElapsedTimer timer;
        timer.start();
        controller.write(repository, reviewed.at(0).at(0).value<WriteReview>(), WriteAnswers());
        QTest::qWait(700);
        controller.cancel();
        QVERIFY(finished.wait(10000));
        QVERIFY(timer.elapsed() < 10000);
        QCOMPARE(finished.at(0).at(0).value<WriteOutcome>().run.outcome, RunResult::Outcome::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestController)
#include "tst_controller.moc"
