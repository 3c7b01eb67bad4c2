// The guarded dialog as the console opens it: the real MainWindow, session and
// worker against a real server (tests/with-postgres.sh), offscreen.  Each test
// asks the window for a write, waits for the core's review and checks what
// the window-modal dialog shows: what an upgrade creates, the rollback SQL
// beside the SQL that will run, what a production rollback drops with its
// live rows, and a fix's SQL, backup and journal record.
#include "GuardedActionDialog.h"
#include "MainWindow.h"
#include "ProfilesPanel.h"
#include "TestDatabase.h"
#include "TestUserFiles.h"
#include "connection/DatabaseConnection.h"
#include "guarded/GuardedWrite.h"
#include "guarded/WriteTypes.h"
#include "migrations/MigrationRepository.h"
#include "runner/MigrationRunner.h"
#include "session/ConsoleSession.h"
#include "worker/DatabaseController.h"

#include <QCheckBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>
#include <functional>

using namespace dbops;
using namespace dbops::ui;

namespace {

const QString kProductionRevision = QStringLiteral("19c513d3bf90");
const QString kEquityChanges = QStringLiteral("e85c2a7d1f96");
const QString kHead = QStringLiteral("792ffb1ab1ad");

/// The text beside `label` ("Creates:") in the dialog's "What will happen" form.
QString summaryField(const GuardedActionDialog* dialog, const QString& label)
{
    const QList<QGroupBox*> boxes = dialog->findChildren<QGroupBox*>();
    for (const QGroupBox* box : boxes) {
        auto* form = qobject_cast<QFormLayout*>(box->layout());
        if (!form || box->title() != QStringLiteral("What will happen"))
            continue;
        for (int row = 0; row < form->rowCount(); ++row) {
            QLayoutItem* labelItem = form->itemAt(row, QFormLayout::LabelRole);
            QLayoutItem* fieldItem = form->itemAt(row, QFormLayout::FieldRole);
            const auto* name = labelItem ? qobject_cast<QLabel*>(labelItem->widget()) : nullptr;
            const auto* value = fieldItem ? qobject_cast<QLabel*>(fieldItem->widget()) : nullptr;
            if (name && value && name->text() == label)
                return value->text();
        }
    }
    return {};
}

QStringList descriptions(const QList<AffectedObject>& objects)
{
    QStringList list;
    for (const AffectedObject& object : objects)
        list.append(object.description);
    return list;
}

const AffectedObject* findObject(const QList<AffectedObject>& objects, const QString& description)
{
    for (const AffectedObject& object : objects) {
        if (object.description == description)
            return &object;
    }
    return nullptr;
}

QString lastJournalLine()
{
    QFile file(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/dbops/journal.jsonl"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    return QString::fromUtf8(lines.constLast());
}

} // namespace

class TestGuardedDialog : public QObject
{
    Q_OBJECT
private:
    QString m_adminUrl;
    QTemporaryDir m_home;

    ConnectionSettings settingsFor(const QString& name) const
    {
        ConnectionSettings settings = *ConnectionSettings::parse(m_adminUrl);
        settings.setValue(QStringLiteral("dbname"), name);
        return settings;
    }

    QString databaseAt(const QString& name, const QString& revision)
    {
        return testing::databaseAt(m_adminUrl, name, revision);
    }

    // Runs `statements` in database `name`; the first failure fails the test.
    bool execIn(const QString& name, const QStringList& statements)
    {
        Result<std::unique_ptr<DatabaseConnection>> db = DatabaseConnection::open(settingsFor(name));
        if (!db) {
            qWarning("%s", qPrintable(db.error().toString()));
            return false;
        }
        for (const QString& sql : statements) {
            Result<QSqlQuery> done = db.value()->exec(sql);
            if (!done) {
                qWarning("%s: %s", qPrintable(sql), qPrintable(done.error().toString()));
                return false;
            }
        }
        return true;
    }

    // Connects the window and waits for the status -> audit -> checks chain,
    // after which the session takes a write request.
    static bool connectAndSettle(MainWindow& window, const std::function<void()>& start)
    {
        QSignalSpy checks(window.session(), &ConsoleSession::checksChanged);
        start();
        return checks.wait(60000) && window.session()->isConnected() && !window.session()->isBusy();
    }

    // Asks for a write and returns the dialog the window opened for its review.
    static GuardedActionDialog* reviewedDialog(MainWindow& window, const std::function<void()>& request)
    {
        QSignalSpy reviewed(window.session(), &ConsoleSession::reviewReady);
        QSignalSpy failed(window.session(), &ConsoleSession::errorOccurred);
        request();
        if (!reviewed.wait(60000)) {
            if (!failed.isEmpty())
                qWarning("%s", qPrintable(failed.constFirst().constFirst().value<Error>().toString()));
            return nullptr;
        }
        return window.guardedDialog();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_adminUrl = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (m_adminUrl.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (run through tests/with-postgres.sh)");
        testing::isolateUserFiles(m_home);
    }

    // "Upgrade to here" on e85c2a7d1f96 from 19c513d3bf90: four revisions,
    // and "Creates:" lists what those four create, not everything the audit
    // finds MISSING at head (the console listed the latter before 0651ff4).
    void upgradeToHereListsOnlyWhatItsRevisionsCreate()
    {
        const QString url = databaseAt(QStringLiteral("dialog_creates"), kProductionRevision);
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("creates.conf"))));
        window.show();
        QVERIFY(connectAndSettle(window, [&] { window.connectToUrl(url); }));
        QCOMPARE(window.session()->pendingCount(), 23);

        GuardedActionDialog* dialog = reviewedDialog(window, [&] { window.requestUpgrade(kEquityChanges); });
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->windowModality(), Qt::WindowModal);

        const WriteReview& review = dialog->review();
        QVERIFY2(review.problems.isEmpty(), qPrintable(review.problems.value(0).toString()));
        QCOMPARE(review.fromText, kProductionRevision);
        QCOMPARE(review.toText, kEquityChanges);
        QCOMPARE(static_cast<int>(review.plan.steps.size()), 4);
        QCOMPARE(summaryField(dialog, QStringLiteral("Revisions:")), QStringLiteral("4"));

        const QSet<QString> planned { QStringLiteral("0b7e3d9a2c45"), QStringLiteral("6a1f4c8e9b03"),
            QStringLiteral("f2c8a5d17e09"), kEquityChanges };
        const QStringList created = descriptions(review.created);
        for (const AffectedObject& object : review.created)
            QVERIFY2(planned.contains(object.revision), qPrintable(object.description + object.revision));
        for (const QString& expected :
            { QStringLiteral("type batch_run_status"), QStringLiteral("table batch_run_tracking"),
                QStringLiteral("index ix_batch_run_tracking_job_run_date on batch_run_tracking"),
                QStringLiteral("index ix_batch_run_tracking_active on batch_run_tracking"),
                QStringLiteral("table equity_changes"),
                QStringLiteral("index ix_equity_changes_portfolio_date on equity_changes") }) {
            QVERIFY2(created.contains(expected), qPrintable(created.join(QStringLiteral("; "))));
        }
        // Later revisions create these: this upgrade does not.
        for (const QString& later : { QStringLiteral("ai_insights"), QStringLiteral("hhi"),
                 QStringLiteral("position_realized_events"), QStringLiteral("position_volatility"),
                 QStringLiteral("insight_type") }) {
            for (const QString& description : created)
                QVERIFY2(!description.contains(later), qPrintable(description));
        }

        // What the person reads.
        const QString shown = summaryField(dialog, QStringLiteral("Creates:"));
        QVERIFY2(shown.contains(QStringLiteral("table batch_run_tracking")), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("table equity_changes")), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("type batch_run_status")), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("index ix_equity_changes_portfolio_date")), qPrintable(shown));
        QVERIFY2(!shown.contains(QStringLiteral("ai_insights")), qPrintable(shown));
        QVERIFY2(!shown.contains(QStringLiteral("hhi")), qPrintable(shown));
        QVERIFY2(!shown.contains(QStringLiteral("position_realized_events")), qPrintable(shown));
        dialog->reject();
    }

    // The rollback SQL is a tab beside the SQL that will run, never instead
    // of it (before 0651ff4 "Preview rollback SQL" overwrote the SQL view).
    void rollbackSqlIsASecondTabBesideTheSqlThatWillRun()
    {
        const QString url = databaseAt(QStringLiteral("dialog_tabs"), kProductionRevision);
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("tabs.conf"))));
        window.show();
        QVERIFY(connectAndSettle(window, [&] { window.connectToUrl(url); }));
        GuardedActionDialog* dialog = reviewedDialog(window, [&] { window.requestUpgrade(kEquityChanges); });
        QVERIFY(dialog);
        QVERIFY(!dialog->review().isProduction());

        QTabWidget* tabs = dialog->sqlTabs();
        QVERIFY(tabs);
        QCOMPARE(tabs->count(), 2);
        QCOMPARE(tabs->tabText(0), QStringLiteral("SQL that will run"));
        QCOMPARE(tabs->tabText(1), QStringLiteral("Rollback SQL (not run)"));
        QCOMPARE(tabs->currentWidget(), dialog->sqlView());
        QVERIFY(dialog->rollbackSqlView());
        QCOMPARE(tabs->widget(1), dialog->rollbackSqlView());

        const QString upgradeSql = dialog->review().script.text();
        QVERIFY(upgradeSql.contains(QStringLiteral("CREATE TABLE equity_changes")));
        QCOMPARE(dialog->sqlView()->toPlainText(), upgradeSql);
        QVERIFY2(dialog->actionButton()->isEnabled(), qPrintable(dialog->whyLabel()->text()));

        tabs->setCurrentIndex(1);
        QCOMPARE(tabs->currentWidget(), dialog->rollbackSqlView());
        const QString rollbackSql = dialog->rollbackSqlView()->toPlainText();
        QVERIFY2(rollbackSql.contains(QStringLiteral("DROP TABLE equity_changes")), qPrintable(rollbackSql));
        QVERIFY(rollbackSql.contains(QStringLiteral("DROP TABLE batch_run_tracking")));
        QVERIFY(rollbackSql.contains(QStringLiteral("DROP TYPE batch_run_status")));
        QVERIFY(rollbackSql.contains(kProductionRevision)); // the version table goes back there
        QVERIFY(!rollbackSql.contains(QStringLiteral("CREATE TABLE equity_changes")));
        // The SQL that will run is still the upgrade, byte for byte, and the
        // action still runs it.
        QCOMPARE(dialog->sqlView()->toPlainText(), upgradeSql);
        QCOMPARE(dialog->review().script.text(), upgradeSql);
        QCOMPARE(dialog->review().request.action, WriteAction::Upgrade);
        QVERIFY2(dialog->actionButton()->isEnabled(), qPrintable(dialog->whyLabel()->text()));
        QVERIFY(dialog->isActionAllowed());

        tabs->setCurrentIndex(0);
        QCOMPARE(tabs->currentWidget(), dialog->sqlView());
        QCOMPARE(dialog->sqlView()->toPlainText(), upgradeSql);
        QCOMPARE(dialog->rollbackSqlView()->toPlainText(), rollbackSql);
        QVERIFY(dialog->actionButton()->isEnabled());
        dialog->reject();
    }

    // A production rollback from head with data in what it drops: the live
    // rows per table and column, and the action only once the data loss is
    // accepted, the checklist ticked and the name typed.
    void productionRollbackShowsDroppedRowsAndNeedsEveryAnswer()
    {
        const QString name = QStringLiteral("dialog_prod");
        const QString url = databaseAt(name, kHead);
        QVERIFY(execIn(name,
            { QStringLiteral("INSERT INTO users (id, email, hashed_password) VALUES "
                             "('0a11ce00-0000-4000-8000-000000000001', 'alice@example.com', 'x')"),
                QStringLiteral("INSERT INTO portfolios (id, user_id, name) VALUES "
                               "('9f000000-0000-4000-8000-000000000001', "
                               "'0a11ce00-0000-4000-8000-000000000001', 'Core Growth')"),
                QStringLiteral(
                    "INSERT INTO portfolio_snapshots (portfolio_id, snapshot_date, total_value, hhi, "
                    "beta_provider_1y, realized_volatility_21d) VALUES "
                    "('9f000000-0000-4000-8000-000000000001', '2025-10-01', 1000, 1200.5, 1.1, NULL),"
                    "('9f000000-0000-4000-8000-000000000001', '2025-10-02', 1010, 850, 1.2, NULL),"
                    "('9f000000-0000-4000-8000-000000000001', '2025-10-03', 1020, NULL, 1.3, 0.2)"),
                QStringLiteral("INSERT INTO equity_changes (portfolio_id, change_type, amount, change_date) "
                               "SELECT '9f000000-0000-4000-8000-000000000001', 'CONTRIBUTION', 100 * n, "
                               "date '2025-10-01' + n FROM generate_series(1, 4) AS n"),
                QStringLiteral("INSERT INTO ai_insights (portfolio_id, insight_type, title, summary) "
                               "SELECT '9f000000-0000-4000-8000-000000000001', 'daily_summary', "
                               "'Day ' || n, 'Summary ' || n FROM generate_series(1, 5) AS n") }));

        ProfileStore store(m_home.filePath(QStringLiteral("prod.conf")));
        ConnectionProfile profile;
        profile.name = QStringLiteral("Prod");
        profile.applySettings(*ConnectionSettings::parse(url));
        profile.production = true;
        profile.sslmode = QStringLiteral("disable");
        QVERIFY(!store.save(profile));
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR), store);
        window.show();
        window.profilesPanel()->selectProfile(profile.name);
        QVERIFY(connectAndSettle(window, [&] { window.connectToProfile(profile.name); }));
        QCOMPARE(window.session()->currentHeads(), QStringList { kHead });
        QVERIFY(window.session()->target()->isProduction());

        GuardedActionDialog* dialog
            = reviewedDialog(window, [&] { window.requestRollback(kProductionRevision); });
        QVERIFY(dialog);
        const WriteReview review = dialog->review();
        QVERIFY2(review.problems.isEmpty(), qPrintable(review.problems.value(0).toString()));
        QVERIFY(review.isProduction());
        QCOMPARE(review.request.action, WriteAction::Downgrade);
        QCOMPARE(review.databaseName, name);
        QCOMPARE(static_cast<int>(review.plan.steps.size()), 23);
        QVERIFY(review.needsDataLossAcceptance());

        // The live rows, in the review and on screen.
        const QList<QPair<QString, qint64>> expectedRows {
            { QStringLiteral("table equity_changes"), 4 },
            { QStringLiteral("table ai_insights"), 5 },
            { QStringLiteral("column portfolio_snapshots.hhi"), 2 },
            { QStringLiteral("column portfolio_snapshots.beta_provider_1y"), 3 },
            { QStringLiteral("column portfolio_snapshots.realized_volatility_21d"), 1 },
            { QStringLiteral("column portfolio_snapshots.top_10_concentration"), 0 },
            { QStringLiteral("table batch_run_tracking"), 0 },
        };
        QTreeWidget* dropped = dialog->droppedView();
        QVERIFY(dropped);
        QCOMPARE(dropped->topLevelItemCount(), static_cast<int>(review.dropped.size()));
        for (const QPair<QString, qint64>& expected : expectedRows) {
            const QString& description = expected.first;
            const qint64 rows = expected.second;
            const AffectedObject* object = findObject(review.dropped, description);
            QVERIFY2(object, qPrintable(descriptions(review.dropped).join(QStringLiteral("; "))));
            QVERIFY(object->removesData);
            QVERIFY(object->exists);
            QVERIFY(!object->rowsEstimated);
            QCOMPARE(object->rows, rows);
            const QList<QTreeWidgetItem*> items = dropped->findItems(description, Qt::MatchExactly, 0);
            QCOMPARE(items.size(), 1);
            QCOMPARE(items.constFirst()->text(1), QString::number(rows));
            QCOMPARE(items.constFirst()->text(2), object->revision);
        }
        QCOMPARE(findObject(review.dropped, QStringLiteral("table ai_insights"))->revision,
            QStringLiteral("e4f69a2d0c58"));
        // The portfolio_snapshots table itself predates the target: not dropped.
        QVERIFY(!findObject(review.dropped, QStringLiteral("table portfolio_snapshots")));

        // The SQL shown is the one that runs; a rollback has no second tab.
        QCOMPARE(dialog->sqlView()->toPlainText(), review.script.text());
        QVERIFY(review.script.text().contains(QStringLiteral("DROP TABLE ai_insights")));
        QCOMPARE(dialog->sqlTabs()->count(), 1);
        QVERIFY(!dialog->rollbackSqlView());

        // Every answer is needed, the data loss too.
        const QString dataLossAdvice = QStringLiteral("accept the data loss");
        QCheckBox* dataLoss = dialog->dataLossBox();
        QVERIFY(dataLoss);
        QVERIFY(!dataLoss->isChecked());
        QVERIFY(dialog->confirmationEdit());
        QVERIFY(!dialog->actionButton()->isEnabled());
        QVERIFY2(dialog->whyLabel()->text().contains(dataLossAdvice), qPrintable(dialog->whyLabel()->text()));
        QVERIFY(dialog->whyLabel()->text().contains(QStringLiteral("the downgrade drops ")));
        QVERIFY(dialog->whyLabel()->text().contains(QStringLiteral("production profile 'Prod'")));

        const QList<QCheckBox*> checklist = dialog->checklist();
        QCOMPARE(checklist.size(), 5);
        for (QCheckBox* box : checklist)
            box->setChecked(true);
        dialog->confirmationEdit()->setText(name);
        QVERIFY2(!dialog->actionButton()->isEnabled(), "the data loss is not accepted");
        QVERIFY(!dialog->isActionAllowed());
        QVERIFY2(dialog->whyLabel()->isVisibleTo(dialog), "the refusal is shown");
        // Exactly the core's one refusal left, as the CLI would print it.
        const ErrorList refusals = GuardedWrite::refusals(dialog->review(), dialog->answers());
        QCOMPARE(static_cast<int>(refusals.size()), 1);
        const QString refusal = refusals.constFirst().toString();
        QVERIFY2(refusal.contains(dataLossAdvice), qPrintable(refusal));
        QVERIFY(refusal.contains(QStringLiteral("the downgrade drops ")));
        QVERIFY(refusal.contains(QStringLiteral("production profile 'Prod'")));
        QCOMPARE(dialog->whyLabel()->text(), refusal);
        QCOMPARE(dialog->refusalTexts(), QStringList { refusal });

        dataLoss->setChecked(true);
        QVERIFY2(dialog->actionButton()->isEnabled(), qPrintable(dialog->whyLabel()->text()));
        QVERIFY(!dialog->whyLabel()->text().contains(dataLossAdvice));

        // Each other answer taken back disables it again.
        checklist.at(2)->setChecked(false);
        QVERIFY2(!dialog->actionButton()->isEnabled(), "one checklist item is unticked");
        checklist.at(2)->setChecked(true);
        QVERIFY(dialog->actionButton()->isEnabled());
        dialog->confirmationEdit()->setText(name.left(name.size() - 1));
        QVERIFY2(!dialog->actionButton()->isEnabled(), "the typed name is wrong");
        dialog->confirmationEdit()->setText(name);
        QVERIFY(dialog->actionButton()->isEnabled());
        dataLoss->setChecked(false);
        QVERIFY(!dialog->actionButton()->isEnabled());
        QVERIFY(dialog->whyLabel()->text().contains(dataLossAdvice));
        dataLoss->setChecked(true);
        QVERIFY(dialog->actionButton()->isEnabled());
        QVERIFY(dialog->answers().dataLossAccepted);
        QCOMPARE(dialog->answers().typedDatabaseName, name);

        // The core takes these answers: the rollback runs.
        QSignalSpy finished(window.session(), &ConsoleSession::writeFinished);
        dialog->actionButton()->click();
        QVERIFY(finished.wait(60000));
        const WriteOutcome outcome = finished.constFirst().constFirst().value<WriteOutcome>();
        QVERIFY2(outcome.ok(),
            qPrintable(outcome.refusals.isEmpty() ? outcome.run.error.toString()
                                                  : outcome.refusals.constFirst().toString()));
        QCOMPARE(outcome.run.finalHeads, QStringList { kProductionRevision });
    }

    // A fix shows its SQL (the console showed none before 0651ff4), keeps it
    // when a backup folder is chosen, and backs up and journals the dump
    // (the console ignored the folder for fixes before).
    // Another session holds ROW EXCLUSIVE on portfolios, which the upgrade's
    // REFERENCES portfolios asks SHARE ROW EXCLUSIVE of: the dialog lists the
    // session, the core refuses (the same text the CLI prints), and only the
    // "Run although these sessions hold locks" box lifts the refusal.  "Locks
    // and risk" shows the lock, size and rows per relation.
    void blockersAreShownAndOnlyTheCheckboxLiftsTheRefusal()
    {
        const QString name = QStringLiteral("dialog_locks");
        const QString url = databaseAt(name, kProductionRevision);
        Result<std::unique_ptr<DatabaseConnection>> holder = DatabaseConnection::open(settingsFor(name));
        QVERIFY(holder);
        QVERIFY(holder.value()->exec(QStringLiteral("BEGIN")));
        QVERIFY(holder.value()->exec(QStringLiteral("LOCK TABLE portfolios IN ROW EXCLUSIVE MODE")));
        const int holderPid = holder.value()->serverInfo().backendPid;

        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("locks.conf"))));
        window.show();
        QVERIFY(connectAndSettle(window, [&] { window.connectToUrl(url); }));
        GuardedActionDialog* dialog = reviewedDialog(window, [&] { window.requestUpgrade(kEquityChanges); });
        QVERIFY(dialog);
        const WriteReview& review = dialog->review();
        QVERIFY2(review.problems.isEmpty(), qPrintable(review.problems.value(0).toString()));
        QVERIFY(review.locks.available);
        QCOMPARE(review.blockers().size(), 1);
        QCOMPARE(review.blockers().constFirst().pid, holderPid);

        // The sessions in the way, and the core's refusal word for word.
        QVERIFY(dialog->blockersLabel());
        QVERIFY(dialog->blockersLabel()->isVisible());
        QVERIFY2(dialog->blockersLabel()->text().contains(QStringLiteral("pid %1 (").arg(holderPid)),
            qPrintable(dialog->blockersLabel()->text()));
        QVERIFY(dialog->blockersLabel()->text().contains(QStringLiteral("holds ROW EXCLUSIVE")));
        QCheckBox* goOn = dialog->ignoreBlockersBox();
        QVERIFY(goOn);
        QCOMPARE(goOn->text(), QStringLiteral("Run although these sessions hold locks"));
        QVERIFY(!goOn->isChecked());
        QVERIFY(!dialog->actionButton()->isEnabled());
        QVERIFY(!dialog->isActionAllowed());
        const ErrorList core = GuardedWrite::refusals(review, WriteAnswers());
        QCOMPARE(core.size(), 1);
        QCOMPARE(
            GuardedWrite::exitCode(core), 2); // what `dbops upgrade` exits with (tests/cli/test_locks.sh)
        QCOMPARE(dialog->refusalTexts(), QStringList { core.constFirst().toString() });
        QCOMPARE(dialog->whyLabel()->text(), core.constFirst().toString());
        QVERIFY(dialog->whyLabel()->text().contains(
            QStringLiteral("on portfolios (the upgrade asks for SHARE ROW EXCLUSIVE)")));

        // Locks and risk: one row per existing relation, with lock, size and rows.
        QTreeWidget* locks = dialog->locksView();
        QVERIFY(locks);
        QStringList relations;
        for (int row = 0; row < locks->topLevelItemCount(); ++row)
            relations.append(locks->topLevelItem(row)->text(0));
        QVERIFY2(
            relations.contains(QStringLiteral("portfolios")), qPrintable(relations.join(QLatin1Char(','))));
        QVERIFY2(relations.contains(QStringLiteral("users")), qPrintable(relations.join(QLatin1Char(','))));
        QVERIFY(!relations.contains(QStringLiteral("batch_run_tracking"))); // created by this upgrade
        const QTreeWidgetItem* portfolios
            = locks->topLevelItem(static_cast<int>(relations.indexOf(QStringLiteral("portfolios"))));
        QCOMPARE(portfolios->text(1), QStringLiteral("SHARE ROW EXCLUSIVE"));
        QVERIFY2(portfolios->text(2).endsWith(QStringLiteral(" kB")), qPrintable(portfolios->text(2)));
        QCOMPARE(portfolios->text(5), QStringLiteral("1 in the way"));
        QVERIFY(portfolios->toolTip(0).contains(QStringLiteral("pid %1 (").arg(holderPid)));

        // The checkbox only sets the answer; the core lifts the refusal.
        goOn->setChecked(true);
        QVERIFY(dialog->answers().ignoreBlockers);
        QVERIFY(dialog->refusalTexts().isEmpty());
        QVERIFY2(dialog->actionButton()->isEnabled(), qPrintable(dialog->whyLabel()->text()));
        goOn->setChecked(false);
        QVERIFY(!dialog->actionButton()->isEnabled());
        goOn->setChecked(true);

        // Released meanwhile: the run goes through with the answer given.
        QVERIFY(holder.value()->exec(QStringLiteral("ROLLBACK")));
        QSignalSpy finished(window.session(), &ConsoleSession::writeFinished);
        dialog->actionButton()->click();
        QVERIFY(finished.wait(120000));
        const WriteOutcome outcome = finished.constFirst().constFirst().value<WriteOutcome>();
        QVERIFY2(outcome.ok(),
            qPrintable(outcome.refusals.isEmpty() ? outcome.run.error.toString()
                                                  : outcome.refusals.constFirst().toString()));
        QCOMPARE(outcome.run.finalHeads, QStringList { kEquityChanges });
    }

    // "Rehearse on a copy" in the dialog: the worker rehearses exactly the
    // dialog's SQL (the database only read), the core says what it means:
    // green ticks "Tested"; a failure on the copy refuses the run, as the
    // CLI's upgrade refuses after a failed `dbops rehearse`.
    void rehearsalTicksTestedOrRefuses()
    {
        for (const bool fails : { false, true }) {
            const QString name
                = fails ? QStringLiteral("dialog_rehearse_bad") : QStringLiteral("dialog_rehearse");
            const QString url = databaseAt(name, kProductionRevision);
            if (fails) // a table a pending revision creates is there already
                QVERIFY(execIn(name, { QStringLiteral("CREATE TABLE ai_insights (id integer)") }));
            MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
                ProfileStore(m_home.filePath(name + QStringLiteral(".conf"))));
            window.show();
            QVERIFY(connectAndSettle(window, [&] { window.connectToUrl(url); }));
            GuardedActionDialog* dialog
                = reviewedDialog(window, [&] { window.requestUpgrade(QStringLiteral("head")); });
            QVERIFY(dialog);
            QVERIFY(dialog->rehearseButton());
            QVERIFY(!dialog->testedBox()->isChecked());
            QVERIFY2(dialog->rehearsalLabel()->text().contains(QStringLiteral("not rehearsed")),
                qPrintable(dialog->rehearsalLabel()->text()));
            const bool allowedBefore = dialog->isActionAllowed();

            QSignalSpy rehearsed(window.session()->controller(), &DatabaseController::rehearsed);
            dialog->rehearseButton()->click();
            QVERIFY(!dialog->isActionAllowed()); // not while it rehearses
            QVERIFY(rehearsed.wait(120000));
            const RehearsalReport report = rehearsed.constFirst().constFirst().value<RehearsalReport>();
            QCOMPARE(report.ok, !fails);
            QCOMPARE(report.sqlSha256, dialog->review().sqlSha256);
            QCOMPARE(window.session()->currentHeads(), QStringList { kProductionRevision }); // only read
            if (!fails) {
                QVERIFY(dialog->testedBox()->isChecked());
                QVERIFY2(dialog->rehearsalLabel()->text().contains(QStringLiteral("round trip green")),
                    qPrintable(dialog->rehearsalLabel()->text()));
                QCOMPARE(dialog->isActionAllowed(), allowedBefore);
            } else {
                QVERIFY(!dialog->testedBox()->isChecked());
                QVERIFY(!dialog->isActionAllowed());
                QVERIFY2(dialog->refusalTexts()
                             .join(QLatin1Char('\n'))
                             .contains(QStringLiteral("failed its rehearsal")),
                    qPrintable(dialog->refusalTexts().join(QLatin1Char('\n'))));
            }
            dialog->close();
        }
    }

    void fixShowsItsSqlAndBacksUpIntoTheChosenFolder()
    {
        const QString name = QStringLiteral("dialog_fix");
        const QString url = databaseAt(name, kProductionRevision);
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("fix.conf"))));
        window.show();
        QVERIFY(connectAndSettle(window, [&] { window.connectToUrl(url); }));

        GuardedActionDialog* dialog
            = reviewedDialog(window, [&] { window.requestFix(QStringLiteral("short-interest-inactive")); });
        QVERIFY(dialog);
        QVERIFY(!dialog->review().isProduction());
        QCOMPARE(dialog->review().request.action, WriteAction::Fix);
        QVERIFY(dialog->review().fix.has_value());
        const QString script = dialog->review().script.text();
        const QString shown = dialog->sqlView()->toPlainText();
        QVERIFY(!shown.trimmed().isEmpty());
        QCOMPARE(shown, script);
        QVERIFY2(shown.contains(QStringLiteral("UPDATE factor_definitions")), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("SELECT NOT EXISTS")), qPrintable(shown));
        QVERIFY(dialog->review().request.backupDirectory.isEmpty());

        QTemporaryDir backups;
        QVERIFY(backups.isValid());
        const QString folder = backups.path();
        dialog->setBackupDirectory(folder);
        QCOMPARE(dialog->review().request.backupDirectory, folder);
        QCOMPARE(dialog->review().script.text(), script);
        QCOMPARE(dialog->sqlView()->toPlainText(), script);
        QVERIFY(dialog->checklist().constFirst()->isChecked());
        QVERIFY2(dialog->actionButton()->isEnabled(), qPrintable(dialog->whyLabel()->text()));

        const QString reviewedSha256 = dialog->review().sqlSha256;
        QSignalSpy finished(window.session(), &ConsoleSession::writeFinished);
        dialog->actionButton()->click();
        QVERIFY(finished.wait(120000));
        const WriteOutcome outcome = finished.constFirst().constFirst().value<WriteOutcome>();
        QVERIFY2(outcome.ok(),
            qPrintable(outcome.refusals.isEmpty() ? outcome.run.error.toString()
                                                  : outcome.refusals.constFirst().toString()));
        QVERIFY(outcome.fix.has_value());
        QVERIFY(outcome.fix->committed);
        QVERIFY(!outcome.backupPath.isEmpty());
        const QFileInfo dump(outcome.backupPath);
        QCOMPARE(dump.absolutePath(), QFileInfo(folder).absoluteFilePath());
        QVERIFY(dump.isFile());
        QVERIFY(dump.size() > 0);

        const QString line = lastJournalLine();
        const QJsonObject record = QJsonDocument::fromJson(line.toUtf8()).object();
        QVERIFY2(!record.isEmpty(), qPrintable(line));
        QCOMPARE(
            record.value(QStringLiteral("action")).toString(), QStringLiteral("fix short-interest-inactive"));
        QCOMPARE(record.value(QStringLiteral("backup")).toString(), outcome.backupPath);
        QCOMPARE(record.value(QStringLiteral("sql_sha256")).toString(), reviewedSha256);
    }
};

QTEST_MAIN(TestGuardedDialog)
#include "tst_guardeddialog.moc"
