// The Recovery tab in the real window, against a real server (offscreen,
// through tests/with-postgres.sh): a database where the next revision's
// upgrade stopped half way (its enum type exists, the version table did not
// move) and an INVALID index (a failed CREATE UNIQUE INDEX CONCURRENTLY on
// duplicate rows).  The tab must say "Recovery needed", list the object that
// EXISTS and the invalid index with the SQL each step runs, enable the steps
// that apply, and Roll back must open the guarded dialog with the core's
// review of that step.  A consistent database says so, with only Resume on.
#include "GuardedActionDialog.h"
#include "MainWindow.h"
#include "MainWindowTestSupport.h"
#include "TestDatabase.h"
#include "TestUserFiles.h"
#include "connection/DatabaseConnection.h"
#include "recover/RecoveryPanel.h"
#include "recover/RecoveryStep.h"
#include "session/ConsoleSession.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

const QString kApplied = QStringLiteral("19c513d3bf90");
const QString kNext = QStringLiteral("0b7e3d9a2c45"); ///< CREATE TYPE batch_run_status AS ENUM (...)

void execOrFail(const QString& url, const QString& sql)
{
    Result<std::unique_ptr<DatabaseConnection>> db
        = DatabaseConnection::open(*ConnectionSettings::parse(url));
    if (!db)
        qFatal("%s", qPrintable(db.error().toString()));
    Result<QSqlQuery> done = db.value()->exec(sql);
    if (!done)
        qFatal("%s", qPrintable(done.error().toString()));
}

bool execFails(const QString& url, const QString& sql)
{
    Result<std::unique_ptr<DatabaseConnection>> db
        = DatabaseConnection::open(*ConnectionSettings::parse(url));
    if (!db)
        qFatal("%s", qPrintable(db.error().toString()));
    return !db.value()->exec(sql);
}

/// The rows of a tree as "col0 | col1 | col2" lines.
QStringList rowsOf(const QTreeWidget* tree)
{
    QStringList rows;
    for (int row = 0; row < tree->topLevelItemCount(); ++row) {
        const QTreeWidgetItem* item = tree->topLevelItem(row);
        QStringList cells;
        for (int column = 0; column < tree->columnCount(); ++column)
            cells.append(item->text(column));
        rows.append(cells.join(QStringLiteral(" | ")));
    }
    return rows;
}

struct EmittedWrite
{
    WriteAction action = WriteAction::Upgrade;
    QString target;
};

} // namespace

class TestRecoveryPanel : public QObject
{
    Q_OBJECT
private:
    QString m_adminUrl;
    QTemporaryDir m_home;

    /// Connects, waits for the status/audit/checks chain, then shows the
    /// Recovery tab, which inspects the database.
    void connectAndInspect(MainWindow& window, const QString& url)
    {
        QVERIFY(testing::connectToUrlAndWait(window, url));
        QSignalSpy inspected(window.session(), &ConsoleSession::recoveryChanged);
        window.tabs()->setCurrentWidget(window.recoveryPanel());
        QVERIFY(inspected.wait(30000));
        QVERIFY(window.session()->recoveryReport().has_value());
        QVERIFY(window.recoveryPanel()->report().has_value());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_adminUrl = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        testing::isolateUserFiles(m_home);
        if (m_adminUrl.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (run through tests/with-postgres.sh)");
    }

    void partialRevisionAndInvalidIndexNeedRecovery()
    {
        const QString url = testing::databaseAt(m_adminUrl, QStringLiteral("recovery_partial_ui"), kApplied);
        // What a run of kNext that stopped half way leaves: its type, not the version row.
        execOrFail(url, QStringLiteral("CREATE TYPE batch_run_status AS ENUM ('pending')"));
        execOrFail(url,
            QStringLiteral("CREATE TABLE recovery_dupes (label text);"
                           "INSERT INTO recovery_dupes VALUES ('same'), ('same')"));
        QVERIFY(execFails(url,
            QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY ux_recovery_dupes ON recovery_dupes (label)")));

        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("partial.conf"))));
        window.show();
        QList<EmittedWrite> emitted;
        connect(window.recoveryPanel(), &RecoveryPanel::writeRequested, this,
            [&emitted](WriteAction action, const QString& target) {
                emitted.append({ action, target });
            });
        connectAndInspect(window, url);
        RecoveryPanel* panel = window.recoveryPanel();

        QVERIFY2(panel->headlineText().startsWith(QStringLiteral("Recovery needed")),
            qPrintable(panel->headlineText()));
        QVERIFY2(panel->headlineText().contains(kNext), qPrintable(panel->headlineText()));
        const QStringList objects = rowsOf(panel->objectsView());
        QVERIFY2(objects.contains(QStringLiteral("EXISTS | type batch_run_status | 7")),
            qPrintable(objects.join(QLatin1Char('\n'))));
        const QStringList indexes = rowsOf(panel->invalidIndexesView());
        QCOMPARE(indexes.size(), 1);
        QVERIFY2(indexes.constFirst().startsWith(QStringLiteral("public.ux_recovery_dupes | recovery_dupes | "
                                                                "CREATE UNIQUE INDEX ux_recovery_dupes")),
            qPrintable(indexes.constFirst()));
        const QString sql = panel->stepSqlView()->toPlainText();
        QVERIFY2(sql.contains(QStringLiteral("DROP TYPE batch_run_status;")), qPrintable(sql));
        QVERIFY2(sql.contains(QStringLiteral("DROP INDEX CONCURRENTLY public.ux_recovery_dupes;")),
            qPrintable(sql));
        QVERIFY2(sql.contains(QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY ux_recovery_dupes")),
            qPrintable(sql));
        QVERIFY(panel->nextStepsView()->toPlainText().startsWith(QStringLiteral("1. roll back what ")));

        QVERIFY(panel->inspectButton()->isEnabled());
        QVERIFY(panel->resumeButton()->isEnabled());
        QVERIFY(panel->rollbackButton()->isEnabled());
        QVERIFY(panel->stampButton()->isEnabled());
        // The only invalid index is selected: Rebuild is on; without a selection it is off.
        QCOMPARE(panel->selectedInvalidIndex(), QStringLiteral("public.ux_recovery_dupes"));
        QVERIFY(panel->rebuildButton()->isEnabled());
        panel->invalidIndexesView()->clearSelection();
        QVERIFY(!panel->rebuildButton()->isEnabled());
        panel->invalidIndexesView()->topLevelItem(0)->setSelected(true);
        QVERIFY(panel->rebuildButton()->isEnabled());

        QSignalSpy reviewed(window.session(), &ConsoleSession::reviewReady);
        QSignalSpy errors(window.session(), &ConsoleSession::errorOccurred);
        // The other steps ask for their own reviews (the buttons wait while one runs).
        const QList<EmittedWrite> expected {
            { WriteAction::Recover,
                RecoveryStep::rebuildIndex(QStringLiteral("public.ux_recovery_dupes")).target() },
            { WriteAction::Stamp, kNext },
        };
        for (QPushButton* button : { panel->rebuildButton(), panel->stampButton() }) {
            reviewed.clear();
            QTRY_VERIFY(button->isEnabled());
            button->click();
            QVERIFY(!button->isEnabled()); // busy while the core reviews
            QVERIFY(reviewed.wait(60000));
            const EmittedWrite& wanted = expected.at(static_cast<int>(emitted.size()) - 1);
            QCOMPARE(emitted.constLast().action, wanted.action);
            QCOMPARE(emitted.constLast().target, wanted.target);
            QVERIFY(window.guardedDialog());
            QCOMPARE(window.guardedDialog()->review().request.target, wanted.target);
            window.guardedDialog()->reject();
        }
        // Roll back: the panel asks, the core reviews, the guarded dialog opens.
        reviewed.clear();
        QTRY_VERIFY(panel->rollbackButton()->isEnabled());
        panel->rollbackButton()->click();
        QCOMPARE(emitted.size(), 3);
        QCOMPARE(emitted.constLast().action, WriteAction::Recover);
        QCOMPARE(emitted.constLast().target, RecoveryStep::rollbackPartial().target());
        QVERIFY(reviewed.wait(30000));
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).value<Error>().toString()));
        GuardedActionDialog* dialog = window.guardedDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->review().request.action, WriteAction::Recover);
        QCOMPARE(dialog->review().request.target, RecoveryStep::rollbackPartial().target());
        QVERIFY2(dialog->review().script.text().contains(QStringLiteral("DROP TYPE batch_run_status")),
            qPrintable(dialog->review().script.text()));
        // Run it: the tab reads the database again after the write.
        QSignalSpy finished(window.session(), &ConsoleSession::writeFinished);
        QSignalSpy inspected(window.session(), &ConsoleSession::recoveryChanged);
        QVERIFY2(dialog->actionButton()->isEnabled(), qPrintable(dialog->whyLabel()->text()));
        dialog->actionButton()->click();
        QVERIFY(finished.wait(60000));
        const WriteOutcome outcome = finished.at(0).at(0).value<WriteOutcome>();
        QVERIFY2(outcome.ok(), qPrintable(outcome.run.error.toString()));
        QVERIFY(inspected.wait(60000));
        QVERIFY(!window.session()->recoveryReport()->hasPartialRevision());
        QVERIFY2(panel->headlineText().startsWith(QStringLiteral("Recovery needed: 1 INVALID index")),
            qPrintable(panel->headlineText()));
        QVERIFY(rowsOf(panel->objectsView())
                    .constFirst()
                    .startsWith(QStringLiteral("missing | type batch_run_status")));
        QVERIFY(!panel->rollbackButton()->isEnabled());
        QVERIFY(!panel->stampButton()->isEnabled());
        QCOMPARE(panel->invalidIndexesView()->topLevelItemCount(), 1);
    }

    void consistentDatabaseOnlyResumes()
    {
        const QString url = testing::databaseAt(m_adminUrl, QStringLiteral("recovery_clean_ui"), kApplied);
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("clean.conf"))));
        window.show();
        connectAndInspect(window, url);
        RecoveryPanel* panel = window.recoveryPanel();
        QVERIFY2(panel->headlineText().startsWith(QStringLiteral("Consistent")),
            qPrintable(panel->headlineText()));
        QVERIFY(!window.session()->recoveryReport()->hasPartialRevision());
        QVERIFY(rowsOf(panel->objectsView()).constFirst().startsWith(QStringLiteral("missing | ")));
        QCOMPARE(panel->invalidIndexesView()->topLevelItemCount(), 0);
        QVERIFY(panel->resumeButton()->isEnabled()); // 23 revisions pending
        QVERIFY(!panel->rollbackButton()->isEnabled());
        QVERIFY(!panel->rebuildButton()->isEnabled());
        QVERIFY(!panel->stampButton()->isEnabled());

        // Disconnected: no report, no buttons.
        window.session()->disconnectFromDatabase();
        QVERIFY(!panel->report().has_value());
        QVERIFY(panel->headlineText().isEmpty());
        QVERIFY(!panel->inspectButton()->isEnabled());
        QVERIFY(!panel->resumeButton()->isEnabled());
    }
};

QTEST_MAIN(TestRecoveryPanel)
#include "tst_recoverypanel.moc"
