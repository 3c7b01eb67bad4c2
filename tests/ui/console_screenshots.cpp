// Screenshots of the whole console for docs/screenshots (run by hand under
// xvfb-run, not a test): connects to a database at 19c513d3bf90, grabs the
// audit and the schema diff of a table with a MISSING column, opens the guarded upgrade dialog, runs the
// upgrade while another session holds a lock (so the run is caught in progress), grabs the result, then the
// Query tab running the runbook's active style/macro factors check, then, through a production profile, the
// rollback dialog (what it drops, with live rows) and the fix dialog (its SQL and the backup that runs
// first).  The Recovery tab (recovery.png) is grabbed before the upgrade, on a state made by hand and
// removed again: the next revision's type exists, and an index a concurrent build left INVALID.
//   dbops-console-shots URL OUTDIR
#include "AuditFilterModel.h"
#include "AuditModel.h"
#include "AuditPanel.h"
#include "GuardedActionDialog.h"
#include "MainWindow.h"
#include "ProfilesPanel.h"
#include "QueryConsoleWidget.h"
#include "RevisionTimelineView.h"
#include "RunProgressDialog.h"
#include "SchemaDiffView.h"
#include "ScreenshotSupport.h"
#include "connection/DatabaseConnection.h"
#include "fleet/FleetPanel.h"
#include "recover/RecoveryPanel.h"
#include "session/ConsoleSession.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

using namespace dbops;
using namespace dbops::ui;

namespace {

// The SELECT of the runbook's check, as a DBA pastes it: the check file from
// its first SELECT on (without the check's name and description header).
QString activeFactorsQuery()
{
    QFile file(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR "/checks/active-style-macro-factors.sql"));
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("cannot read %s", qPrintable(file.fileName()));
        return QString();
    }
    const QString text = QString::fromUtf8(file.readAll());
    const int select = text.indexOf(QLatin1String("SELECT"));
    return select < 0 ? text : text.mid(select).trimmed();
}

// Runs the console's query and waits for its result to be shown.
void runQuery(QueryConsoleWidget* console)
{
    QSignalSpy shown(console, &QueryConsoleWidget::resultShown);
    console->run();
    if (!shown.wait(30000))
        qWarning("no query result");
    else if (!console->lastResult().ok() || console->lastResult().rowCount() == 0)
        qWarning("the query showed no rows: %s", qPrintable(console->statusText()));
    QTest::qWait(300);
}

/// The audit tab with the schema diff of the first table that EXISTS but
/// misses a column, that column selected (schema-diff.png).
bool grabSchemaDiff(MainWindow& window, const QDir& out)
{
    AuditPanel* panel = window.findChild<AuditPanel*>();
    if (!panel || !panel->hasReport())
        return false;
    for (int i = 0; i < window.tabs()->count(); ++i) {
        if (window.tabs()->widget(i) == panel || window.tabs()->widget(i)->isAncestorOf(panel))
            window.tabs()->setCurrentIndex(i);
    }
    const AuditModel* model = panel->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex group = model->index(row, 0);
        if (model->isWholeTableGroup(group) || model->statusAt(group) != AuditItem::Status::Missing)
            continue;
        for (int part = 0; part < model->partCount(row); ++part) {
            if (model->part(row, part).status != AuditItem::Status::Missing
                || model->part(row, part).objectKind != AuditItem::Kind::Column)
                continue;
            const QModelIndex shown = panel->filterModel()->mapFromSource(model->index(part, 0, group));
            panel->treeView()->expand(shown.parent());
            // Taller than the other shots, so the diff under the tree shows more than a few lines.
            window.resize(1280, 960);
            QTest::qWait(200);
            panel->treeView()->setCurrentIndex(shown);
            panel->treeView()->scrollTo(shown);
            QTest::qWait(300);
            const bool saved = panel->schemaDiffView()->hasObject()
                && window.grab().save(out.filePath(QStringLiteral("schema-diff.png")));
            window.resize(1280, 800);
            QTest::qWait(200);
            return saved;
        }
    }
    return false;
}

/// The Recovery tab on a run that stopped half way (recovery.png); the
/// database is put back as it was afterwards.
void grabRecovery(MainWindow& window, const QString& url, const QDir& out)
{
    Result<std::unique_ptr<DatabaseConnection>> db
        = DatabaseConnection::open(*ConnectionSettings::parse(url));
    if (!db)
        return;
    db.value()->exec(QStringLiteral("CREATE TYPE batch_run_status AS ENUM ('pending')"));
    db.value()->exec(QStringLiteral("CREATE TABLE import_staging (symbol text); "
                                    "INSERT INTO import_staging VALUES ('AAPL'), ('AAPL')"));
    db.value()->exec(
        QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY ux_import_staging ON import_staging (symbol)"));
    QSignalSpy inspected(window.session(), &ConsoleSession::recoveryChanged);
    window.tabs()->setCurrentWidget(window.recoveryPanel());
    if (inspected.wait(30000)) {
        QTest::qWait(300);
        window.grab().save(out.filePath(QStringLiteral("recovery.png")));
    } else {
        qWarning("no recovery report");
    }
    db.value()->exec(QStringLiteral("DROP TABLE import_staging; DROP TYPE batch_run_status"));
}

} // namespace

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
    if (!grabSchemaDiff(window, out))
        qWarning("no schema diff to grab");
    grabRecovery(window, url, out);
    window.tabs()->setCurrentIndex(0);

    // The guarded dialog, as a DBA sees it before ticking anything: the
    // core reviews the upgrade in the worker, then the dialog opens.
    const auto reviewed = [&window](const std::function<void()>& request) -> GuardedActionDialog* {
        QSignalSpy ready(window.session(), &ConsoleSession::reviewReady);
        request();
        if (!ready.wait(60000))
            qWarning("no review arrived");
        QTest::qWait(300);
        return window.guardedDialog();
    };
    if (GuardedActionDialog* dialog = reviewed([&window] { window.requestUpgrade(); })) {
        dialog->grab().save(out.filePath(QStringLiteral("guarded-dialog.png")));
        dialog->close();
    }

    // A run caught in progress: another session holds a lock the run needs.
    Result<std::unique_ptr<DatabaseConnection>> blocker
        = DatabaseConnection::open(*ConnectionSettings::parse(url));
    if (blocker) {
        blocker.value()->exec(QStringLiteral("BEGIN"));
        blocker.value()->exec(QStringLiteral("LOCK TABLE portfolio_snapshots IN ACCESS EXCLUSIVE MODE"));
    }
    QTimer::singleShot(2500, [&window, &out] {
        const QList<RunProgressDialog*> dialogs = window.findChildren<RunProgressDialog*>();
        if (!dialogs.isEmpty())
            dialogs.constFirst()->grab().save(out.filePath(QStringLiteral("run-progress.png")));
    });
    QTimer::singleShot(3500, [&blocker] {
        if (blocker)
            blocker.value()->exec(QStringLiteral("ROLLBACK"));
    });
    QSignalSpy finished(window.session(), &ConsoleSession::writeFinished);
    if (GuardedActionDialog* dialog = reviewed([&window] { window.requestUpgrade(); })) {
        // The blocker is the point of the picture: run although it holds its lock.
        if (QCheckBox* runAnyway = dialog->ignoreBlockersBox())
            runAnyway->setChecked(true);
        dialog->actionButton()->click(); // no profile: not production, nothing to tick
    }
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

    // The Query tab: the runbook's check of the active style/macro factors,
    // pasted and run (its history goes to the throwaway config folder).
    QueryConsoleWidget* query = window.findChild<QueryConsoleWidget*>();
    if (query) {
        query->setHistoryPath(config.filePath(QStringLiteral("query-history")));
        window.tabs()->setCurrentWidget(query);
        query->setSql(activeFactorsQuery());
        runQuery(query);
        window.grab().save(out.filePath(QStringLiteral("query-console.png")));
    } else {
        qWarning("no Query tab");
    }

    // The same database through a production profile: a rollback lists what
    // it drops with the rows there now, and a fix shows its SQL and backup.
    ConnectionProfile production;
    production.name = QStringLiteral("Production");
    production.applySettings(*ConnectionSettings::parse(url));
    production.production = true;
    production.sslmode = QStringLiteral("disable");
    ProfileStore(config.filePath(QStringLiteral("p.conf"))).save(production);
    checked.clear();
    window.connectToProfile(QStringLiteral("Production"));
    checked.wait(30000);
    if (GuardedActionDialog* dialog
        = reviewed([&window] { window.requestRollback(QStringLiteral("19c513d3bf90")); })) {
        dialog->resize(900, 860);
        QTest::qWait(200);
        dialog->grab().save(out.filePath(QStringLiteral("rollback-dialog.png")));
        dialog->close();
    }
    if (GuardedActionDialog* dialog
        = reviewed([&window] { window.requestFix(QStringLiteral("short-interest-inactive")); })) {
        dialog->setBackupDirectory(QStringLiteral("/var/backups/dbops"));
        dialog->resize(820, 860);
        QTest::qWait(200);
        dialog->grab().save(out.filePath(QStringLiteral("fix-dialog.png")));
        dialog->close();
    }

    // The Fleet tab: a group of profiles at several revisions (scripts/screenshots.sh
    // made the fleet_* databases), one unreachable, read at once.
    {
        ProfileStore fleetStore(config.filePath(QStringLiteral("p.conf")));
        const std::pair<const char*, const char*> members[] = { { "eu-paris", "fleet_a" },
            { "eu-frankfurt", "fleet_b" }, { "eu-dublin", "fleet_c" }, { "eu-milan", "fleet_d" } };
        for (const auto& [name, database] : members) {
            ConnectionProfile member;
            member.name = QString::fromLatin1(name);
            ConnectionSettings settings = *ConnectionSettings::parse(url);
            settings.setValue(QStringLiteral("dbname"), QString::fromLatin1(database));
            member.applySettings(settings);
            member.groups = QStringList { QStringLiteral("prod-eu") };
            fleetStore.save(member);
        }
        ConnectionProfile gone;
        gone.name = QStringLiteral("eu-madrid");
        gone.applySettings(
            *ConnectionSettings::parse(QStringLiteral("postgresql://deploy@127.0.0.1:1/portfolio")));
        gone.connectTimeout = 2;
        gone.groups = QStringList { QStringLiteral("prod-eu") };
        fleetStore.save(gone);
        FleetPanel* fleet = window.fleetPanel();
        fleet->reloadGroups();
        fleet->selectGroup(QStringLiteral("prod-eu"));
        window.tabs()->setCurrentWidget(fleet);
        QSignalSpy read(fleet, &FleetPanel::readFinished);
        fleet->refresh();
        if (read.wait(30000)) {
            QTest::qWait(300);
            window.grab().save(out.filePath(QStringLiteral("fleet.png")));
            window.tabs()->setCurrentWidget(window.timelineView());
            QTest::qWait(300);
            window.grab().save(out.filePath(QStringLiteral("fleet-timeline.png")));
        } else {
            qWarning("the fleet was not read");
        }
    }

    // The console on a dark palette: the project's icons follow it.
    window.themeActions().at(2)->trigger(); // View > Theme > Dark, as a user picks it
    window.tabs()->setCurrentIndex(0);
    QTest::qWait(400);
    window.grab().save(out.filePath(QStringLiteral("console-dark.png")));
    if (query) {
        // Run again: the Production profile's connection replaced the status line.
        window.tabs()->setCurrentWidget(query);
        runQuery(query);
        window.grab().save(out.filePath(QStringLiteral("query-console-dark.png")));
    }
    return 0;
}
