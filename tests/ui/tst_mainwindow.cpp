// The console end to end on the offscreen platform against a real server
// (run through tests/with-postgres.sh): actions enabled per state, the guarded
// dialog's refusals, read-only profiles, and the whole upgrade story.
#include "AuditPanel.h"
#include "ChecksPanel.h"
#include "GuardedActionDialog.h"
#include "MainWindow.h"
#include "MainWindowTestSupport.h"
#include "ProfilesPanel.h"
#include "RevisionTimelineView.h"
#include "TestDatabase.h"
#include "TestUserFiles.h"
#include "connection/DatabaseConnection.h"
#include "guarded/WriteTypes.h"
#include "migrations/MigrationRepository.h"
#include "runner/MigrationRunner.h"
#include "session/ConsoleSession.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

ConnectionTarget productionTarget()
{
    ConnectionTarget target;
    ConnectionProfile profile;
    profile.name = QStringLiteral("Prod");
    profile.host = QStringLiteral("db.example.com");
    profile.database = QStringLiteral("portfolio");
    profile.production = true;
    target.profile = profile;
    target.settings = *profile.toSettings();
    return target;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private:
    QString m_adminUrl;
    QTemporaryDir m_home;

    QString databaseAt(const QString& name, const QString& revision)
    {
        return testing::databaseAt(m_adminUrl, name, revision);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_adminUrl = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        testing::isolateUserFiles(m_home);
    }

    void guardedDialogRefusesUntilChecklistAndName()
    {
        GuardedDialogInput input;
        input.review.actionName = QStringLiteral("upgrade");
        input.review.target = productionTarget();
        input.review.databaseName = QStringLiteral("portfolio");
        input.review.fromText = QStringLiteral("19c513d3bf90");
        input.review.toText = QStringLiteral("792ffb1ab1ad");
        GuardedActionDialog dialog(input);
        QVERIFY(!dialog.actionButton()->isEnabled());
        QVERIFY(dialog.findChild<QWidget*>(QStringLiteral("productionBanner")));
        const QList<QCheckBox*> boxes = dialog.checklist();
        QCOMPARE(boxes.size(), 5);
        for (int i = 0; i < boxes.size() - 1; ++i)
            boxes[i]->setChecked(true);
        dialog.confirmationEdit()->setText(QStringLiteral("portfolio"));
        QVERIFY2(!dialog.actionButton()->isEnabled(), "one box is still unticked");
        boxes.last()->setChecked(true);
        dialog.confirmationEdit()->setText(QStringLiteral("portfoli"));
        QVERIFY2(!dialog.actionButton()->isEnabled(), "the typed name is wrong");
        // The core's refusal text, as the CLI prints it.
        QVERIFY2(dialog.whyLabel()->text().contains(
                     QStringLiteral("does not match the database name 'portfolio'")),
            qPrintable(dialog.whyLabel()->text()));
        dialog.confirmationEdit()->setText(QStringLiteral("portfolio"));
        QVERIFY(dialog.actionButton()->isEnabled());
        QVERIFY(dialog.isActionAllowed());
    }

    void stampWithMissingObjectsNeedsAWrittenOverride()
    {
        GuardedDialogInput input;
        input.review.actionName = QStringLiteral("stamp");
        input.review.request.action = WriteAction::Stamp;
        input.review.target = productionTarget();
        input.review.target.profile->production = false;
        input.review.auditTarget = QStringLiteral("792ffb1ab1ad");
        input.review.missingObjects = QStringList { QStringLiteral("table equity_changes") };
        GuardedActionDialog dialog(input);
        QVERIFY(dialog.overrideBox());
        QVERIFY(!dialog.actionButton()->isEnabled());
        dialog.overrideBox()->setChecked(true);
        QVERIFY(!dialog.actionButton()->isEnabled());
        dialog.overrideReasonEdit()->setText(QStringLiteral("tables created by hand during the outage"));
        QVERIFY(dialog.actionButton()->isEnabled());
        QCOMPARE(dialog.answers().overrideReason, QStringLiteral("tables created by hand during the outage"));
    }

    void emptyProfileNameIsRefused()
    {
        // 10: no profile selected must not fall back to DATABASE_URL, where
        // no profile's guard applies (the CLI's side is in guarded.matrix).
        qputenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none");
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("empty.conf"))));
        window.connectToProfile(QString());
        qunsetenv("DATABASE_URL");
        QVERIFY(!window.session()->isConnecting());
        QVERIFY(!window.session()->target());
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("the profile name is empty")),
            qPrintable(window.statusBar()->currentMessage()));
    }

    // View > Theme: the palette changes at once, the choice is kept, and
    // System brings back the desktop's palette.
    void themeMenuSwitchesThePaletteAndKeepsTheChoice()
    {
        const QColor desktopWindow = QApplication::palette().color(QPalette::Window);
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("theme.conf"))));
        const QList<QAction*> themes = window.themeActions();
        QCOMPARE(themes.size(), 3);
        QVERIFY(themes.at(0)->isChecked()); // System by default
        themes.at(2)->trigger(); // Dark
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
        QTRY_VERIFY(window.palette().color(QPalette::Base).lightness() < 80);
        QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("dark"));
        themes.at(1)->trigger(); // Light
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 200);
        themes.at(0)->trigger(); // System
        QCOMPARE(QApplication::palette().color(QPalette::Window), desktopWindow);
        QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("system"));
        themes.at(2)->trigger();
        {
            // A new window starts with the kept choice.
            QApplication::setPalette(QPalette());
            MainWindow again(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
                ProfileStore(m_home.filePath(QStringLiteral("theme.conf"))));
            QVERIFY(again.themeActions().at(2)->isChecked());
            QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
            again.themeActions().at(0)->trigger();
        }
    }

    void windowAppearsBeforeTheRepository()
    {
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("early.conf"))));
        // The constructor only asked for the repository: it is parsed in
        // another thread and nothing of it is there yet.
        QSignalSpy repository(window.session(), &ConsoleSession::repositoryChanged);
        QVERIFY(window.session()->isRepositoryLoading());
        QVERIFY(!window.session()->graph());
        QCOMPARE(window.timelineView()->model()->rowCount(), 0);
        QVERIFY2(window.statusText().contains(QStringLiteral("loading migrations")),
            qPrintable(window.statusText()));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Then the timeline fills.
        QVERIFY(repository.count() > 0 || repository.wait(10000));
        QVERIFY(!window.session()->isRepositoryLoading());
        QVERIFY(window.session()->graph());
        QVERIFY(window.session()->repositoryError().isEmpty());
        QCOMPARE(window.timelineView()->model()->rowCount(), window.session()->graph()->size());
        QVERIFY(window.timelineView()->model()->rowCount() > 20);
        QVERIFY(!window.statusText().contains(QStringLiteral("loading migrations")));
    }

    void connectingBeforeTheRepositoryArrivesStillAudits()
    {
        if (m_adminUrl.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL");
        const QString url = databaseAt(QStringLiteral("early_ui"), QStringLiteral("19c513d3bf90"));
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("early2.conf"))));
        QVERIFY(window.session()->isRepositoryLoading());
        // The audit waits for the repository it compares with.
        QVERIFY(testing::connectToUrlAndWait(window, url));
        QVERIFY(window.session()->graph());
        QCOMPARE(window.session()->pendingCount(), 23);
        QVERIFY(window.session()->auditReport().has_value());
        QCOMPARE(
            window.session()->auditReport()->count(AuditItem::Status::Missing, AuditItem::Kind::Table), 7);
        QVERIFY(window.auditPanel()->headlineText().contains(QStringLiteral("7 tables MISSING")));
        QVERIFY(window.upgradeAction()->isEnabled());
    }

    void readOnlyProfileExposesNoWriteAction()
    {
        if (m_adminUrl.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL");
        const QString url = databaseAt(QStringLiteral("readonly_ui"), QStringLiteral("19c513d3bf90"));
        ProfileStore store(m_home.filePath(QStringLiteral("ro.conf")));
        ConnectionProfile profile;
        profile.name = QStringLiteral("Support");
        profile.applySettings(*ConnectionSettings::parse(url));
        profile.readOnly = true;
        QVERIFY(!store.save(profile));
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR), store);
        window.show();
        window.profilesPanel()->selectProfile(QStringLiteral("Support"));
        QVERIFY(testing::connectToProfileAndWait(window, QStringLiteral("Support")));
        // The keychain is read in the worker (here switched off: .pgpass);
        // the window's copy of the target never holds a password.
        QVERIFY(window.session()->target()->profile);
        QVERIFY(!window.session()->target()->settings.hasPassword());
        QCOMPARE(window.session()->pendingCount(), 23);
        QVERIFY(!window.upgradeAction()->isEnabled());
        QVERIFY(!window.rollbackAction()->isEnabled());
        QVERIFY(!window.stampAction()->isEnabled());
        QVERIFY(window.refreshAction()->isEnabled());
        QVERIFY(!window.checksPanel()->isWriteAllowed());
        QVERIFY(!window.checksPanel()->applyFixButton()->isEnabled());
    }

    void upgradeStoryEndToEnd()
    {
        if (m_adminUrl.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL");
        const QString url = databaseAt(QStringLiteral("story_ui"), QStringLiteral("19c513d3bf90"));
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("story.conf"))));
        window.show();
        QVERIFY(!window.upgradeAction()->isEnabled());
        QVERIFY(!window.refreshAction()->isEnabled());

        QVERIFY(testing::connectToUrlAndWait(window, url));
        QCOMPARE(window.session()->currentHeads(), QStringList { QStringLiteral("19c513d3bf90") });
        QVERIFY(window.session()->auditReport().has_value());
        const AuditReport before = *window.session()->auditReport();
        QCOMPARE(before.countOwn(AuditItem::Status::Missing) > 0, true);
        QCOMPARE(before.count(AuditItem::Status::Missing, AuditItem::Kind::Table), 7);
        QVERIFY(window.auditPanel()->headlineText().contains(QStringLiteral("7 tables MISSING")));
        QVERIFY(window.upgradeAction()->isEnabled());
        QVERIFY(window.statusText().contains(QStringLiteral("23 pending")));

        // Upgrade through the guarded dialog (no profile: not production):
        // the core reviews it in the worker, then the dialog opens.
        QSignalSpy finished(window.session(), &ConsoleSession::writeFinished);
        QSignalSpy reviewed(window.session(), &ConsoleSession::reviewReady);
        QSignalSpy checks(window.session(), &ConsoleSession::checksChanged);
        window.requestUpgrade();
        QVERIFY(reviewed.wait(30000));
        QVERIFY(window.guardedDialog());
        GuardedActionDialog* dialog = window.guardedDialog();
        QVERIFY2(dialog->actionButton()->isEnabled(), qPrintable(dialog->whyLabel()->text()));
        QCOMPARE(dialog->review().plan.steps.size(), 23);
        QVERIFY(dialog->sqlView()->toPlainText().contains(QStringLiteral("CREATE TABLE equity_changes")));
        dialog->actionButton()->click();
        const bool busyDuringRun = window.session()->isBusy() && !window.upgradeAction()->isEnabled()
            && !window.rollbackAction()->isEnabled() && !window.stampAction()->isEnabled();
        QVERIFY(finished.wait(60000));
        QVERIFY(busyDuringRun);
        const WriteOutcome outcome = finished.at(0).at(0).value<WriteOutcome>();
        QVERIFY2(outcome.ok(), qPrintable(outcome.run.error.toString()));
        QVERIFY(checks.wait(30000)); // status -> audit -> checks refreshed themselves
        QCOMPARE(window.session()->currentHeads(), QStringList { QStringLiteral("792ffb1ab1ad") });
        QVERIFY(!window.session()->auditReport()->hasProblems());
        QCOMPARE(window.session()->auditReport()->count(AuditItem::Status::Missing), 0);
        QVERIFY(!window.upgradeAction()->isEnabled()); // at head
        QVERIFY(window.rollbackAction()->isEnabled());
        QVERIFY(window.statusText().contains(QStringLiteral("792ffb1ab1ad")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
