// Screenshots of the whole console for docs/screenshots (run by hand under
// xvfb-run, not a test): connects to a database at 19c513d3bf90, grabs the
// audit, opens the guarded upgrade dialog, runs the upgrade while another
// session holds a lock (so the run is caught in progress), then grabs the
// result.   dbops-console-shots URL OUTDIR
#include "AuditPanel.h"
#include "GuardedActionDialog.h"
#include "MainWindow.h"
#include "RunProgressDialog.h"
#include "connection/DatabaseConnection.h"
#include "session/ConsoleSession.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace dbops;
using namespace dbops::ui;

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dbops-console"));
    QApplication::setApplicationVersion(QStringLiteral(DBOPS_VERSION));
    if (argc < 3) {
        qWarning("usage: dbops-console-shots URL OUTDIR");
        return 2;
    }
    const QString url = QString::fromLocal8Bit(argv[1]);
    const QDir out(QString::fromLocal8Bit(argv[2]));
    QTemporaryDir config;
    MainWindow window(
        QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR), ProfileStore(config.filePath(QStringLiteral("p.conf"))));
    window.resize(1280, 800);
    window.show();
    QSignalSpy checked(window.session(), &ConsoleSession::checksChanged);
    window.connectToUrl(url);
    if (!checked.wait(30000))
        qWarning("no checks result");
    QTest::qWait(300);
    window.grab().save(out.filePath(QStringLiteral("console.png")));

    // The guarded dialog, as a DBA sees it before ticking anything.
    if (GuardedActionDialog* dialog
        = window.createGuardedDialog(QStringLiteral("upgrade"), QStringLiteral("head"))) {
        dialog->show();
        QTest::qWait(300);
        dialog->grab().save(out.filePath(QStringLiteral("guarded-dialog.png")));
        delete dialog;
    }

    // A run caught in progress: another session holds a lock the run needs.
    Result<std::unique_ptr<DatabaseConnection>> blocker
        = DatabaseConnection::open(*ConnectionSettings::parse(url));
    if (blocker) {
        blocker.value()->exec(QStringLiteral("BEGIN"));
        blocker.value()->exec(QStringLiteral("LOCK TABLE portfolio_snapshots IN ACCESS EXCLUSIVE MODE"));
    }
    QTimer::singleShot(500, [] {
        if (auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget()))
            dialog->accept(); // no profile: not production, nothing to tick
    });
    QTimer::singleShot(2500, [&window, &out] {
        const QList<RunProgressDialog*> dialogs = window.findChildren<RunProgressDialog*>();
        if (!dialogs.isEmpty())
            dialogs.constFirst()->grab().save(out.filePath(QStringLiteral("run-progress.png")));
    });
    QTimer::singleShot(3500, [&blocker] {
        if (blocker)
            blocker.value()->exec(QStringLiteral("ROLLBACK"));
    });
    QSignalSpy finished(window.session(), &ConsoleSession::runFinished);
    window.requestUpgrade();
    if (!finished.wait(60000))
        qWarning("the run did not finish");
    checked.clear();
    checked.wait(30000);
    for (RunProgressDialog* d : window.findChildren<RunProgressDialog*>())
        d->close();
    QTest::qWait(300);
    window.grab().save(out.filePath(QStringLiteral("console-after-upgrade.png")));
    window.tabs()->setCurrentIndex(3);
    QTest::qWait(200);
    window.grab().save(out.filePath(QStringLiteral("console-checks.png")));
    return 0;
}
