// The console when the server goes away and comes back, on the offscreen
// platform against a real server (tests/with-postgres.sh, which also stops and
// starts that server for the test: $DBOPS_TEST_PG_CONTROL --server stop|start):
// a lost connection is noticed (keepalive, failed query), said everywhere and
// writes are off; Refresh and the worker's own backoff reconnect; a connect to
// a server that never answers can be cancelled; a failed connect shows nothing
// of the previous target.
#include "AuditPanel.h"
#include "ChecksPanel.h"
#include "MainWindow.h"
#include "RevisionTimelineModel.h"
#include "RevisionTimelineView.h"
#include "SqlPreviewPanel.h"
#include "TestDatabase.h"
#include "TestUserFiles.h"
#include "session/ConsoleSession.h"

#include <QAction>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

int s_driverWarnings = 0;

void countDriverWarnings(QtMsgType, const QMessageLogContext&, const QString& message)
{
    if (message.contains(QStringLiteral("database not open")))
        ++s_driverWarnings;
}

} // namespace

class TestConnectionLoss : public QObject
{
    Q_OBJECT
private:
    QString m_adminUrl;
    QTemporaryDir m_home;

    // Stops or starts the test's server (same port, same data).
    static void server(const char* command)
    {
        const QString control = qEnvironmentVariable("DBOPS_TEST_PG_CONTROL");
        QVERIFY2(!control.isEmpty(), "run through tests/with-postgres.sh");
        QProcess process;
        process.setProcessChannelMode(QProcess::ForwardedChannels);
        process.start(control, QStringList { QStringLiteral("--server"), QString::fromLatin1(command) });
        QVERIFY(process.waitForFinished(90000));
        QCOMPARE(process.exitCode(), 0);
    }

    // A window connected to a database at 19c513d3bf90, its audit and checks done.
    std::unique_ptr<MainWindow> connectedWindow(const QString& name)
    {
        const QString url = testing::databaseAt(m_adminUrl, name, QStringLiteral("19c513d3bf90"));
        auto window = std::make_unique<MainWindow>(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(name + QStringLiteral(".conf"))));
        window->show();
        // Quick to notice and to retry, so the test does not wait for the defaults.
        window->session()->controller()->setConnectionTiming(200, 200, 1000);
        QSignalSpy checks(window->session(), &ConsoleSession::checksChanged);
        window->connectToUrl(url);
        if (!checks.wait(30000) || !window->session()->isConnected())
            return nullptr;
        return window;
    }

    static QString logText(const MainWindow& window) { return window.logView()->toPlainText(); }

    // The state every view must show while the connection is lost.
    static void verifyDisconnectedEverywhere(const MainWindow& window)
    {
        QVERIFY(window.session()->isConnectionLost());
        QVERIFY(!window.session()->isConnected());
        QVERIFY2(window.statusText().contains(QStringLiteral("disconnected"), Qt::CaseInsensitive),
            qPrintable(window.statusText()));
        QVERIFY2(!window.statusText().contains(QStringLiteral("pending")), qPrintable(window.statusText()));
        QVERIFY(!window.upgradeAction()->isEnabled());
        QVERIFY(!window.rollbackAction()->isEnabled());
        QVERIFY(!window.stampAction()->isEnabled());
        QVERIFY(!window.checksPanel()->isWriteAllowed());
        QVERIFY(window.refreshAction()->isEnabled()); // it reconnects
        QVERIFY(window.windowTitle().contains(QStringLiteral("disconnected")));
        // The audit is greyed out and says why; the timeline does not claim where the database is.
        QVERIFY(!window.auditPanel()->staleNotice().isEmpty());
        QVERIFY(!window.auditPanel()->treeView()->isEnabled());
        QVERIFY(window.timelineView()->timelineModel()->currentHeads().isEmpty());
        // The log says what happened, in the console's words.
        const QString log = logText(window);
        QVERIFY2(log.contains(QStringLiteral("Connection lost: lost the connection to")), qPrintable(log));
        QVERIFY2(!log.contains(QStringLiteral("dbops current")), qPrintable(log));
        static const QRegularExpression emptyError(
            QStringLiteral("Error:\\s*$"), QRegularExpression::MultilineOption);
        QVERIFY2(!emptyError.match(log).hasMatch(), qPrintable(log));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_adminUrl = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (m_adminUrl.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (tests/with-postgres.sh)");
        testing::isolateUserFiles(m_home);
    }

    void lostConnectionIsNoticedAndRefreshReconnects()
    {
        std::unique_ptr<MainWindow> window = connectedWindow(QStringLiteral("lost_ui"));
        QVERIFY(window);
        QVERIFY(window->upgradeAction()->isEnabled());
        QVERIFY(window->statusText().contains(QStringLiteral("23 pending")));

        server("stop");
        // Nobody pressed anything: the keepalive notices it.
        QTRY_VERIFY_WITH_TIMEOUT(window->session()->isConnectionLost(), 10000);
        verifyDisconnectedEverywhere(*window);

        // Refresh while the server is away: a clear reason, still disconnected, nothing enabled.
        QSignalSpy errors(window->session(), &ConsoleSession::errorOccurred);
        window->refreshAction()->trigger();
        QVERIFY(errors.wait(20000));
        const Error error = errors.at(0).at(0).value<Error>();
        QVERIFY2(error.message.contains(QStringLiteral("reconnecting failed")), qPrintable(error.message));
        QVERIFY2(error.message.contains(QStringLiteral("Connection refused. Is the server running")),
            qPrintable(error.message));
        QTRY_VERIFY(!window->session()->isBusy());
        verifyDisconnectedEverywhere(*window);

        // Back: Refresh works without Connect, and says the true state.
        // No reconnect of its own from now on: Refresh must do it.
        window->session()->controller()->setConnectionTiming(200, 600000, 600000);
        QTest::qWait(200);
        server("start");
        QSignalSpy checks(window->session(), &ConsoleSession::checksChanged);
        QTRY_VERIFY(window->refreshAction()->isEnabled());
        window->refreshAction()->trigger();
        QVERIFY(checks.wait(30000)); // status, then audit and checks again
        QVERIFY(window->session()->isConnected());
        QVERIFY(!window->session()->isConnectionLost());
        QVERIFY2(
            window->statusText().contains(QStringLiteral("19c513d3bf90")), qPrintable(window->statusText()));
        QVERIFY2(
            window->statusText().contains(QStringLiteral("23 pending")), qPrintable(window->statusText()));
        QVERIFY(window->upgradeAction()->isEnabled());
        QVERIFY(window->auditPanel()->staleNotice().isEmpty());
        QVERIFY(window->auditPanel()->treeView()->isEnabled());
        QCOMPARE(window->timelineView()->timelineModel()->currentHeads(),
            QStringList { QStringLiteral("19c513d3bf90") });
        QVERIFY2(logText(*window).contains(QStringLiteral("Reconnected to")), qPrintable(logText(*window)));
    }

    void reconnectsOnItsOwnWithBackoff()
    {
        std::unique_ptr<MainWindow> window = connectedWindow(QStringLiteral("backoff_ui"));
        QVERIFY(window);
        server("stop");
        QTRY_VERIFY_WITH_TIMEOUT(window->session()->isConnectionLost(), 10000);
        // Attempts fail while it is away, and the delay grows.
        QTRY_VERIFY_WITH_TIMEOUT(window->session()->connectionState().failedReconnects >= 2, 20000);
        QVERIFY(window->session()->connectionState().nextReconnectMs > 200);
        QVERIFY2(window->statusText().contains(QStringLiteral("failed")), qPrintable(window->statusText()));
        QSignalSpy checks(window->session(), &ConsoleSession::checksChanged);
        server("start");
        // Nobody presses Refresh: the next attempt reconnects, and the state is read again.
        QVERIFY(checks.wait(30000));
        QVERIFY(window->session()->isConnected());
        QVERIFY(window->statusText().contains(QStringLiteral("23 pending")));
        QVERIFY(window->upgradeAction()->isEnabled());
    }

    void failedQueryNoticesALostConnectionAtOnce()
    {
        std::unique_ptr<MainWindow> window = connectedWindow(QStringLiteral("killed_ui"));
        QVERIFY(window);
        window->session()->controller()->setConnectionTiming(
            600000, 200, 1000); // no keepalive: the query must notice
        QTest::qWait(100);
        // The server ends the console's session (as a restart or a DBA would).
        Result<std::unique_ptr<DatabaseConnection>> admin
            = DatabaseConnection::open(*ConnectionSettings::parse(m_adminUrl));
        QVERIFY(admin);
        const int pid = window->session()->status()->server.backendPid;
        QVERIFY(pid > 0);
        QVERIFY(admin.value()->exec(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(pid)));
        QSignalSpy lost(window->session(), &ConsoleSession::connectionLost);
        QSignalSpy reconnected(window->session(), &ConsoleSession::reconnected);
        QSignalSpy status(window->session(), &ConsoleSession::statusChanged);
        window->refreshAction()->trigger();
        // The refresh's query failed, the connection is known lost, and the
        // same refresh reconnected and read the state: no second click.
        QTRY_VERIFY_WITH_TIMEOUT(lost.count() == 1 && reconnected.count() >= 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(window->session()->isConnected() && !window->session()->isBusy(), 20000);
        QVERIFY(status.count() >= 1);
        QVERIFY(window->session()->status()->server.backendPid != pid);
        QVERIFY(window->upgradeAction()->isEnabled());
        const QString log = logText(*window);
        QVERIFY2(log.contains(QStringLiteral("Connection lost:")), qPrintable(log));
        QVERIFY2(!log.contains(QStringLiteral("Error:")), qPrintable(log));
    }

    void deadConnectionSaysWhyWithoutDriverWarnings()
    {
        Result<std::unique_ptr<DatabaseConnection>> admin
            = DatabaseConnection::open(*ConnectionSettings::parse(m_adminUrl));
        Result<std::unique_ptr<DatabaseConnection>> victim
            = DatabaseConnection::open(*ConnectionSettings::parse(m_adminUrl));
        QVERIFY(admin && victim);
        const int pid = victim.value()->serverInfo().backendPid;
        QVERIFY(admin.value()->exec(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(pid)));
        s_driverWarnings = 0;
        const QtMessageHandler previous = qInstallMessageHandler(countDriverWarnings);
        const Result<QSqlQuery> first = victim.value()->exec(QStringLiteral("SELECT 1"));
        const Result<QSqlQuery> second = victim.value()->exec(QStringLiteral("SELECT 1"));
        qInstallMessageHandler(previous);
        QVERIFY(!first);
        QVERIFY2(!first.error().message.trimmed().isEmpty(), "the server's reason, or libpq's");
        QVERIFY(!victim.value()->isAlive());
        QVERIFY(!second);
        QVERIFY2(
            second.error().message.contains(QStringLiteral("is closed")), qPrintable(second.error().message));
        QCOMPARE(s_driverWarnings, 0); // no "QSqlQuery::exec: database not open" on the terminal
    }

    void connectToASilentServerCanBeCancelled()
    {
        // A server that accepts and never answers: libpq waits for connect_timeout.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("silent.conf"))));
        window.show();
        window.connectToUrl(
            QStringLiteral("postgresql://dbops@127.0.0.1:%1/dbops?connect_timeout=10&sslmode=disable")
                .arg(silent.serverPort()));
        QTRY_VERIFY(silent.hasPendingConnections() || !silent.findChildren<QTcpSocket*>().isEmpty());
        QVERIFY(window.session()->isConnecting());
        QVERIFY(window.connectProgress()->isVisible());
        QVERIFY(window.cancelConnectButton()->isEnabled());
        QVERIFY(window.disconnectAction()->isEnabled()); // "Cancel connect"

        QElapsedTimer timer;
        timer.start();
        window.cancelConnectButton()->click();
        // At once, not after libpq's 10 s.
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(!window.session()->isConnecting());
        QVERIFY(!window.session()->isBusy());
        QVERIFY(!window.connectProgress()->isVisible());
        QVERIFY2(window.statusText().contains(QStringLiteral("cancelled")), qPrintable(window.statusText()));
        QVERIFY(!window.upgradeAction()->isEnabled());

        // The abandoned attempt ends (the silent server hangs up); a real
        // connect afterwards works and is not confused with the abandoned one.
        silent.close();
        while (QTcpSocket* socket = silent.nextPendingConnection())
            socket->abort();
        const QString url = testing::databaseAt(
            m_adminUrl, QStringLiteral("after_cancel_ui"), QStringLiteral("19c513d3bf90"));
        QSignalSpy checks(window.session(), &ConsoleSession::checksChanged);
        window.connectToUrl(url);
        QVERIFY(checks.wait(30000));
        QVERIFY(window.session()->isConnected());
        QVERIFY(window.statusText().contains(QStringLiteral("23 pending")));
    }

    void failedConnectShowsNothingOfThePreviousTarget()
    {
        std::unique_ptr<MainWindow> window = connectedWindow(QStringLiteral("previous_ui"));
        QVERIFY(window);
        QVERIFY(window->auditPanel()->hasReport());
        QVERIFY(window->auditPanel()->headlineText().contains(QStringLiteral("23 revisions pending")));
        QCOMPARE(window->timelineView()->timelineModel()->currentHeads(),
            QStringList { QStringLiteral("19c513d3bf90") });

        QTcpServer closed; // a port where nothing listens
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        QSignalSpy errors(window->session(), &ConsoleSession::errorOccurred);
        window->connectToUrl(
            QStringLiteral("postgresql://dbops@127.0.0.1:%1/dbops?sslmode=disable").arg(port));
        // While connecting, already nothing of the previous database.
        QVERIFY(!window->auditPanel()->hasReport());
        QVERIFY(window->timelineView()->timelineModel()->currentHeads().isEmpty());
        QVERIFY(errors.wait(20000));
        QVERIFY(!window->session()->isConnected());
        QVERIFY(!window->auditPanel()->hasReport());
        QVERIFY(window->auditPanel()->headlineText().isEmpty());
        QVERIFY(window->timelineView()->timelineModel()->currentHeads().isEmpty());
        QVERIFY(!window->session()->checkReport());
        QVERIFY(!window->upgradeAction()->isEnabled());
        QVERIFY(!window->refreshAction()->isEnabled());
        QVERIFY2(window->statusText().startsWith(QStringLiteral("Not connected")),
            qPrintable(window->statusText()));
        QVERIFY2(!window->statusText().contains(QStringLiteral("pending")), qPrintable(window->statusText()));
        QVERIFY(window->sqlPreview()->headingText().startsWith(QStringLiteral("Not connected")));
    }

    void sqlTabSaysWhatItShowsAndTheWayBack()
    {
        std::unique_ptr<MainWindow> window = connectedWindow(QStringLiteral("sqlhead_ui"));
        QVERIFY(window);
        window->tabs()->setCurrentWidget(window->sqlPreview());
        SqlPreviewPanel* preview = window->sqlPreview();
        QCOMPARE(preview->headingText(), QStringLiteral("Upgrade 19c513d3bf90 → head, 23 revisions"));
        QVERIFY(!preview->backToPlanButton()->isVisible());

        QVERIFY(window->timelineView()->selectRevision(QStringLiteral("e85c2a7d1f96")));
        QTRY_VERIFY(preview->headingText().startsWith(QStringLiteral("Revision e85c2a7d1f96 only")));
        QVERIFY(preview->backToPlanButton()->isVisible());
        // A refresh does not take the revision away behind the user's back.
        QSignalSpy status(window->session(), &ConsoleSession::statusChanged);
        window->refreshAction()->trigger();
        QVERIFY(status.wait(20000));
        QVERIFY(preview->headingText().startsWith(QStringLiteral("Revision e85c2a7d1f96 only")));

        preview->backToPlanButton()->click();
        QCOMPARE(preview->headingText(), QStringLiteral("Upgrade 19c513d3bf90 → head, 23 revisions"));
        QVERIFY(!preview->backToPlanButton()->isVisible());
    }

    void viewMenuRestoresClosedDocks()
    {
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("view.conf"))));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.viewMenu());
        QDockWidget* dock = window.profilesDock();
        QVERIFY(dock->isVisible());
        QAction* toggle = dock->toggleViewAction();
        QVERIFY(window.viewMenu()->actions().contains(toggle));

        dock->close();
        QVERIFY(!dock->isVisible());
        QVERIFY(!toggle->isChecked());
        toggle->trigger();
        QVERIFY(dock->isVisible());

        // Floated and closed: Reset layout docks it on the left and shows it.
        dock->setFloating(true);
        dock->close();
        window.resetLayoutAction()->trigger();
        QVERIFY(dock->isVisible());
        QVERIFY(!dock->isFloating());
        QCOMPARE(window.dockWidgetArea(dock), Qt::LeftDockWidgetArea);
    }
};

QTEST_MAIN(TestConnectionLoss)
#include "tst_connectionloss.moc"
