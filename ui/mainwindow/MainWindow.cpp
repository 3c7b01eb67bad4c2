#include "MainWindow.h"

#include "AuditPanel.h"
#include "ChecksPanel.h"
#include "FinishedNotifier.h"
#include "GuardedWriteFlow.h"
#include "ProfilesPanel.h"
#include "QueryConsoleWidget.h"
#include "RecentFolder.h"
#include "RevisionTimelineModel.h"
#include "RevisionTimelineView.h"
#include "SearchEverywherePopup.h"
#include "SqlEditor.h"
#include "SqlHighlighter.h"
#include "SqlPreviewPanel.h"
#include "ThemedIcons.h"
#include "fleet/FleetPanel.h"
#include "lint/LintConfig.h"
#include "recover/RecoveryPanel.h"
#include "session/ConsoleSession.h"
#include "worker/DatabaseController.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTime>
#include <QToolBar>

namespace dbops::ui {

MainWindow::MainWindow(const QString& migrationsDirectory, ProfileStore store, QWidget* parent)
    : QMainWindow(parent)
    , m_session(new ConsoleSession(this))
    , m_notifier(new FinishedNotifier(this))
{
    setWindowTitle(tr("DbOps Console"));
    setObjectName(QStringLiteral("MainWindow"));

    m_profiles = new ProfilesPanel(std::move(store));
    m_profilesDock = new QDockWidget(tr("Profiles"), this);
    m_profilesDock->setObjectName(QStringLiteral("ProfilesDock"));
    m_profilesDock->setWidget(m_profiles);
    addDockWidget(Qt::LeftDockWidgetArea, m_profilesDock);

    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_timelineModel = new RevisionTimelineModel(this);
    m_timeline = new RevisionTimelineView;
    m_timeline->setModel(m_timelineModel);
    m_timeline->setAccessibleName(tr("Revision timeline"));
    m_preview = new SqlPreviewPanel;
    m_preview->setAccessibleName(tr("SQL preview"));
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setAccessibleName(tr("Log"));
    m_audit = new AuditPanel;
    m_audit->setPlaceholderText(tr("Connect to a database to audit it against the migrations."));
    m_checks = new ChecksPanel;
    m_query = new QueryConsoleWidget;
    m_query->setAccessibleName(tr("Query console"));
    m_tabs->addTab(m_audit, tr("&Audit"));
    m_tabs->addTab(m_timeline, tr("&Timeline"));
    m_tabs->addTab(m_preview, tr("&SQL"));
    m_tabs->addTab(m_checks, tr("C&hecks"));
    m_tabs->addTab(m_query, tr("&Query"));
    m_fleet = new FleetPanel(m_profiles->store());
    m_fleet->setAccessibleName(tr("Fleet"));
    m_tabs->addTab(m_fleet, tr("&Fleet"));
    m_recovery = new RecoveryPanel;
    m_recovery->setAccessibleName(tr("Recovery"));
    m_tabs->addTab(m_recovery, tr("R&ecovery"));
    m_tabs->addTab(m_log, tr("&Log"));
    setCentralWidget(m_tabs);

    m_statusBar = new DatabaseStatusBar(this, m_session);
    connect(m_statusBar, &DatabaseStatusBar::verifyWarningShown, m_audit, &AuditPanel::setVerifyNotice);
    // Production is never reconnected on its own: the start offers it instead.
    m_reopenOffer = new ReopenOffer;
    connect(m_reopenOffer, &ReopenOffer::reconnectRequested, this, [this](const QString& name) {
        m_profiles->selectProfile(name);
        connectToProfile(name);
    });
    statusBar()->addWidget(m_reopenOffer);

    createActions();

    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_previewOutdated && m_tabs->currentWidget() == m_preview && m_previewRevision.isEmpty())
            showPendingUpgrade();
        if (m_tabs->currentWidget() == m_recovery)
            inspectRecovery();
    });
    m_writes = new GuardedWriteFlow(this, m_session, m_notifier);
    connect(m_writes, &GuardedWriteFlow::logLine, this, &MainWindow::appendLog);
    connect(m_writes, &GuardedWriteFlow::runStateChanged, this, &MainWindow::updateActions);
    // The Recovery tab: read when shown and after every write; its steps take the guarded path.
    connect(m_recovery, &RecoveryPanel::inspectRequested, this, &MainWindow::inspectRecovery);
    connect(m_recovery, &RecoveryPanel::writeRequested, m_writes, &GuardedWriteFlow::request);
    connect(m_session, &ConsoleSession::recoveryChanged, this, [this] {
        m_recovery->setBusy(false);
        if (m_session->recoveryReport())
            m_recovery->setReport(*m_session->recoveryReport());
        else
            m_recovery->clearReport(
                tr("Connect to a database to inspect it after a failed or interrupted run."));
    });
    connect(m_session, &ConsoleSession::recoveryFailed, this, [this](const Error& error) {
        m_recovery->setBusy(false);
        m_recovery->showError(error.toString());
    });
    // Queued: the session starts its refresh after these signals, and the inspection waits for it.
    auto inspectIfShown = [this] {
        if (m_session->isConnected() && m_tabs->currentWidget() == m_recovery)
            inspectRecovery();
    };
    connect(m_session, &ConsoleSession::writeFinished, this, inspectIfShown, Qt::QueuedConnection);
    connect(m_session, &ConsoleSession::connectionChanged, this, inspectIfShown, Qt::QueuedConnection);
    connect(m_profiles, &ProfilesPanel::connectRequested, this, &MainWindow::connectToProfile);
    connect(m_profiles, &ProfilesPanel::profilesChanged, this, &MainWindow::forgetRemovedProfiles);
    // The Fleet tab: its reads mark the timeline; a double-click opens that profile.
    connect(m_profiles, &ProfilesPanel::profilesChanged, m_fleet, &FleetPanel::reloadGroups);
    connect(m_fleet, &FleetPanel::fleetRead, m_timelineModel, &RevisionTimelineModel::setFleetMarkers);
    connect(m_fleet, &FleetPanel::openProfileRequested, this, &MainWindow::connectToProfile);
    connect(m_session, &ConsoleSession::repositoryChanged, this, [this] {
        // The SQL tab's findings with the repository's own severities (lint.conf).
        if (const MigrationRepository* repository = m_session->repository()) {
            if (Result<LintConfig> config = LintConfig::forRepository(repository->directory()))
                m_preview->setLintConfig(*config);
        }
        m_fleet->setRepository(m_session->sharedRepository());
        m_timelineModel->setFleetMarkers({});
        m_timelineModel->setGraph(m_session->graph());
        reloadHistory();
    });
    connect(m_session, &ConsoleSession::statusChanged, this, [this] {
        reloadHistory();
        updateStatus();
        updateActions();
    });
    connect(m_session, &ConsoleSession::connectionChanged, this, [this] {
        const std::optional<ConnectionTarget>& target = m_session->target();
        m_profiles->setConnectedProfile(
            m_session->isConnected() && target && target->profile ? target->profile->name : QString());
        updateQueryConsole();
        reloadHistory();
        updateStatus();
        updateActions();
        updateStaleViews();
    });
    connect(m_session, &ConsoleSession::connectionLost, this, [this](const Error& why) {
        appendLog(tr("Connection lost: %1. The console reconnects on its own; Refresh tries at once.")
                      .arg(why.message));
    });
    connect(m_session, &ConsoleSession::reconnected, this, [this] {
        appendLog(tr("Reconnected to %1; reading where the database stands now.")
                      .arg(m_session->connectionState().target));
    });
    connect(m_session, &ConsoleSession::busyChanged, this, &MainWindow::updateActions);
    connect(m_session, &ConsoleSession::errorOccurred, this, &MainWindow::showError);
    connect(m_audit, &AuditPanel::auditRequested, this, [this](const QString& target) {
        m_audit->setBusy(true);
        m_session->requestAudit(target);
    });
    connect(m_checks, &ChecksPanel::checksRequested, this, [this] {
        m_checks->setBusy(true);
        m_session->requestChecks();
    });
    connect(m_checks, &ChecksPanel::applyFixRequested, this, &MainWindow::requestFix);
    connect(m_audit, &AuditPanel::exported, this,
        [this](const QString& path) { confirmWritten(tr("Audit exported"), path); });
    connect(m_preview->editor(), &SqlEditor::scriptSaved, this,
        [this](const QString& path) { confirmWritten(tr("SQL script saved"), path); });
    connect(m_preview, &SqlPreviewPanel::backToPlanRequested, this, &MainWindow::showPendingUpgrade);
    connect(m_session, &ConsoleSession::auditChanged, this, [this] {
        m_audit->setBusy(false);
        m_audit->setPendingRevisionCount(m_session->pendingCount()); // first: one headline for the new report
        if (m_session->auditReport()) {
            m_audit->setSubject(m_session->auditSubject());
            m_audit->setReport(*m_session->auditReport(), m_session->auditOutline());
            const std::optional<ConnectionTarget>& target = m_session->target();
            m_notifier->notify(tr("Audit finished"),
                tr("The audit of %1 is ready.").arg(target ? target->describe() : tr("the database")));
        } else {
            m_audit->setSubject(AuditSubject());
            m_audit->clearReport();
        }
        updateStaleViews();
        updateActions();
    });
    connect(m_session, &ConsoleSession::checksChanged, this, [this] {
        m_checks->setBusy(false);
        if (m_session->checkReport()) {
            m_checks->setFixes(m_session->fixes());
            m_checks->setReport(*m_session->checkReport());
        } else {
            m_checks->clearReport();
        }
    });
    connect(m_timeline, &RevisionTimelineView::revisionSelected, this, &MainWindow::showRevision);
    connect(m_timeline, &RevisionTimelineView::upgradeRequested, this, &MainWindow::requestUpgrade);
    connect(m_timeline, &RevisionTimelineView::rollbackRequested, this, &MainWindow::requestRollback);
    connect(m_timeline, &RevisionTimelineView::stampRequested, this, &MainWindow::requestStamp);

    // Search Everywhere follows what the tabs show while it is open (after the
    // handlers above have updated them).
    m_searchPopup = new SearchEverywherePopup(this);
    connect(m_searchPopup, &SearchEverywherePopup::hitActivated, this, &MainWindow::openSearchHit);
    auto refreshSearch = [this] {
        if (m_searchPopup->isVisible()) {
            updateSearchIndex();
            m_searchPopup->refresh();
        }
    };
    connect(m_session, &ConsoleSession::repositoryChanged, this, refreshSearch);
    connect(m_session, &ConsoleSession::auditChanged, this, refreshSearch);
    connect(m_preview->editor(), &SqlEditor::scriptChanged, this, refreshSearch);

    m_viewMenu->setDefaultLayout(saveState());
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1280, 800);

    m_session->loadRepository(
        migrationsDirectory.isEmpty() ? MigrationRepository::defaultDirectory() : migrationsDirectory);
    updateStatus();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    auto* toolbar = addToolBar(tr("Actions"));
    toolbar->setObjectName(QStringLiteral("ActionsToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto* icons = new ThemedIcons(this);
    auto make = [this, icons](const QString& text, const QString& icon, const QKeySequence& shortcut,
                    const QString& tip) {
        auto* action = new QAction(text, this);
        icons->set(action, icon);
        action->setShortcut(shortcut);
        action->setToolTip(tip
            + (shortcut.isEmpty()
                    ? QString()
                    : QStringLiteral(" (%1)").arg(shortcut.toString(QKeySequence::NativeText))));
        return action;
    };
    m_connect = make(tr("&Connect"), QStringLiteral("connect"), QKeySequence(Qt::CTRL | Qt::Key_O),
        tr("Connect to the selected profile"));
    m_disconnect = make(tr("&Disconnect"), QStringLiteral("disconnect"), QKeySequence(), tr("Disconnect"));
    m_refresh = make(tr("&Refresh"), QStringLiteral("refresh"), QKeySequence::Refresh,
        tr("Re-read where the database stands"));
    m_upgrade = make(tr("&Upgrade"), QStringLiteral("upgrade"), QKeySequence(Qt::CTRL | Qt::Key_U),
        tr("Upgrade to head (guarded)"));
    m_rollback = make(tr("Roll&back"), QStringLiteral("rollback"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B), tr("Roll back to a revision (guarded)"));
    m_stamp = make(tr("&Stamp"), QStringLiteral("stamp"), QKeySequence(),
        tr("Set the version table without running migrations (guarded)"));
    m_cancel = make(tr("Cancel run"), QStringLiteral("cancel"), QKeySequence(Qt::Key_Escape),
        tr("Cancel the running statement on the server"));

    connect(
        m_connect, &QAction::triggered, this, [this] { connectToProfile(m_profiles->selectedProfile()); });
    connect(m_disconnect, &QAction::triggered, this, [this] {
        if (m_session->isConnecting()) {
            m_session->cancelConnect(); // Disconnect while connecting: stop waiting
            return;
        }
        m_session->disconnectFromDatabase();
    });
    connect(m_refresh, &QAction::triggered, m_session, &ConsoleSession::refresh);
    connect(m_upgrade, &QAction::triggered, this, [this] { requestUpgrade(QStringLiteral("head")); });
    connect(m_rollback, &QAction::triggered, this, &MainWindow::chooseRollbackTarget);
    connect(m_stamp, &QAction::triggered, this, [this] {
        bool ok = false;
        const QString target = QInputDialog::getText(this, tr("Stamp"), tr("Stamp the database as revision:"),
            QLineEdit::Normal, QStringLiteral("head"), &ok);
        if (ok && !target.trimmed().isEmpty())
            requestStamp(target.trimmed());
    });
    connect(m_cancel, &QAction::triggered, this, [this] { m_session->controller()->cancel(); });
    m_export = make(tr("&Export report…"), QStringLiteral("export"), QKeySequence(Qt::CTRL | Qt::Key_E),
        tr("Save the audit as HTML, JSON or CSV"));
    connect(m_export, &QAction::triggered, this, &MainWindow::exportReport);

    for (QAction* a : { m_connect, m_disconnect, m_refresh })
        toolbar->addAction(a);
    toolbar->addSeparator();
    for (QAction* a : { m_upgrade, m_rollback, m_stamp })
        toolbar->addAction(a);
    toolbar->addSeparator();
    toolbar->addAction(m_export);

    QMenu* database = menuBar()->addMenu(tr("&Database"));
    database->addAction(m_connect);
    QMenu* recentMenu = database->addMenu(tr("Re&cent"));
    for (QAction* a : { m_disconnect, m_refresh, m_export })
        database->addAction(a);
    m_recent = new RecentProfiles(m_profiles->store(), recentMenu, this);
    connect(m_recent, &RecentProfiles::profileChosen, this, [this](const QString& name) {
        m_profiles->selectProfile(name);
        connectToProfile(name);
    });
    database->addSeparator();
    auto* quit = database->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    QMenu* migrate = menuBar()->addMenu(tr("&Migrations"));
    for (QAction* a : { m_upgrade, m_rollback, m_stamp, m_cancel })
        migrate->addAction(a);
    m_searchEverywhere = make(tr("Search &Everywhere…"), QString(), QKeySequence(Qt::CTRL | Qt::Key_K),
        tr("Search revisions, audit objects and the SQL"));
    m_searchEverywhere->setIcon(QIcon::fromTheme(QStringLiteral("edit-find")));
    m_searchEverywhere->setIconText(tr("Search"));
    connect(m_searchEverywhere, &QAction::triggered, this, &MainWindow::openSearchEverywhere);
    toolbar->addSeparator();
    toolbar->addAction(m_searchEverywhere);
    QMenu* go = menuBar()->addMenu(tr("&Go"));
    go->addAction(m_searchEverywhere);
    m_viewMenu = new ViewMenu(this, m_profilesDock, toolbar);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About DbOps Console"), this, [this] {
        QMessageBox::about(this, tr("About DbOps Console"),
            tr("<b>DbOps Console %1</b><p>Safe PostgreSQL schema migrations, Alembic-compatible.</p>"
               "<p>Qt %2, highlighting: %3</p>")
                .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion()),
                    SqlHighlighting::engineName()));
    });
}

void MainWindow::updateActions()
{
    const bool busy = m_session->isBusy();
    const bool connected = m_session->isConnected();
    const bool lost = m_session->isConnectionLost();
    const bool connecting = m_session->isConnecting();
    m_connect->setEnabled(!busy && !connecting && !m_profiles->selectedProfile().isEmpty());
    m_disconnect->setEnabled(connecting || (!busy && (connected || lost)));
    m_disconnect->setText(connecting ? tr("Cancel &connect") : tr("&Disconnect"));
    // After a lost connection Refresh reconnects at once.
    m_refresh->setEnabled(!busy && (connected || lost));
    m_statusBar->connectProgress()->setVisible(connecting);
    m_upgrade->setEnabled(m_session->canUpgrade());
    m_rollback->setEnabled(m_session->canRollback());
    m_stamp->setEnabled(m_session->canStamp());
    m_cancel->setEnabled(busy && !m_writes->runningAction().isEmpty());
    m_export->setEnabled(m_session->auditReport().has_value());
    m_checks->setWriteAllowed(connected && !m_session->isReadOnly() && !busy);
    m_recovery->setWriteAllowed(m_session->canWrite());
    m_recovery->setInspectAvailable(connected, connected ? QString() : tr("Connect to inspect"));
    const QString reconnecting = tr("Disconnected: the console is reconnecting (Refresh tries at once)");
    m_checks->setRunAvailable(connected,
        connected  ? QString()
            : lost ? reconnecting
                   : tr("Connect to run the checks"));
    m_audit->setAuditAvailable(connected,
        connected  ? QString()
            : lost ? reconnecting
                   : tr("Connect to audit"));
    const QString why = m_session->isReadOnly() ? tr(" — disabled: the profile is read-only") : QString();
    m_upgrade->setStatusTip(why);
}

void MainWindow::updateStatus()
{
    m_statusBar->update();
}

void MainWindow::updateStaleViews()
{
    if (m_session->isConnectionLost() && m_session->auditReport())
        m_audit->setStaleNotice(tr("Disconnected: this audit is from before the connection was lost; "
                                   "it runs again once the console has reconnected."));
    else
        m_audit->setStaleNotice(QString());
}

void MainWindow::reloadHistory()
{
    const RevisionGraph* graph = m_session->graph();
    // Where the database is, only while that is known: not after a lost
    // connection or a failed connect, and never the previous target's.
    if (m_session->isConnected())
        m_timelineModel->setCurrentHeads(m_session->currentHeads());
    else
        m_timelineModel->clearCurrentHeads();
    if (!graph) {
        m_previewRevision.clear();
        m_preview->clearScript();
        m_preview->setHeading(QString());
    } else if (m_previewRevision.isEmpty()) {
        showPendingUpgrade();
    }
}

void MainWindow::showPendingUpgrade()
{
    m_previewRevision.clear();
    m_previewOutdated = false;
    const RevisionGraph* graph = m_session->graph();
    if (!graph)
        return;
    // What is not the database's pending upgrade goes at once: nothing of a
    // target left (or lost) may stay on the tab, even a hidden one.
    if (!m_session->isConnected() && !m_session->isConnectionLost()) {
        m_preview->clearScript();
        m_preview->setHeading(tr("Not connected: the pending upgrade shows here once connected. "
                                 "Select a revision in the Timeline to see its SQL."));
        return;
    }
    const QStringList heads = m_session->currentHeads();
    const QString from = heads.isEmpty() ? tr("base") : heads.join(QStringLiteral(", "));
    const QString stale = m_session->isConnectionLost() ? tr(" (disconnected: as last known)") : QString();
    Result<MigrationPlan> plan = m_session->planUpgrade(QStringLiteral("heads"));
    if (!plan) {
        m_preview->clearScript();
        m_preview->setHeading(tr("No upgrade from %1: %2").arg(from, plan.error().message) + stale);
        return;
    }
    if (plan->steps.isEmpty()) {
        m_preview->clearScript();
        m_preview->setHeading(tr("Up to date at %1: no upgrade pending").arg(from) + stale);
        return;
    }
    const int count = static_cast<int>(plan->steps.size());
    // Plurals spelled out: without a loaded translation tr()'s %n keeps "(s)".
    const QString revisions = count == 1 ? tr("1 revision") : tr("%1 revisions").arg(count);
    const QString to = graph->heads().size() > 1 ? QStringLiteral("heads") : QStringLiteral("head");
    m_preview->setHeading(tr("Upgrade %1 → %2, %3").arg(from, to, revisions) + stale);
    // Laying out and highlighting a long script takes milliseconds: only for
    // a visible SQL tab; a hidden one catches up when it is opened.
    m_previewOutdated = m_tabs->currentWidget() != m_preview;
    if (!m_previewOutdated)
        m_preview->setScript(m_session->render(*plan), graph);
}

void MainWindow::showRevision(const QString& id)
{
    const RevisionGraph* graph = m_session->graph();
    if (!graph || !graph->contains(id))
        return;
    const Revision& r = graph->revision(id);
    Result<MigrationPlan> plan = graph->upgradePlan(r.downRevisions, id);
    if (!plan) {
        showError(plan.error());
        return;
    }
    m_previewOutdated = false;
    m_previewRevision = id;
    m_preview->setScript(m_session->render(*plan), graph);
    m_preview->setHeading(
        r.message.isEmpty() ? tr("Revision %1 only").arg(id) : tr("Revision %1 only — %2").arg(id, r.message),
        true);
}

void MainWindow::connectToProfile(const QString& name)
{
    if (auto refused = ConnectionTarget::checkProfileName(tr("Connect"), name)) {
        showError(*refused);
        return;
    }
    // locate(), not resolve(): the keychain is read in the database worker, never here.
    Result<ConnectionTarget> target = ConnectionTarget::locate({}, name, m_profiles->store());
    if (!target) {
        showError(target.error());
        return;
    }
    m_reopenOffer->withdraw();
    m_recent->remember(name);
    for (const QString& warning : target->profile->warnings())
        appendLog(tr("Warning: %1").arg(warning));
    appendLog(tr("Connecting to %1").arg(target->describe()));
    m_session->connectTo(*target);
}

void MainWindow::connectToUrl(const QString& url)
{
    m_reopenOffer->withdraw();
    Result<ConnectionTarget> target = ConnectionTarget::locate(url, {}, m_profiles->store());
    if (!target) {
        showError(target.error());
        return;
    }
    appendLog(tr("Connecting to %1").arg(target->describe()));
    m_session->connectTo(*target);
}

void MainWindow::chooseRollbackTarget()
{
    const RevisionGraph* graph = m_session->graph();
    const QStringList current = m_session->currentHeads();
    if (!graph || current.isEmpty())
        return;
    // Every revision below where the database stands, nearest first: a
    // list to pick from, each with its message, instead of free text.
    QStringList choices;
    QStringList targets;
    QStringList frontier = current;
    QSet<QString> seen;
    while (!frontier.isEmpty()) {
        QStringList next;
        for (const QString& id : std::as_const(frontier)) {
            for (const QString& parent : graph->revision(id).downRevisions) {
                if (seen.contains(parent) || !graph->contains(parent))
                    continue;
                seen.insert(parent);
                targets.append(parent);
                choices.append(QStringLiteral("%1 — %2").arg(parent, graph->revision(parent).message));
                next.append(parent);
            }
        }
        frontier = next;
    }
    targets.append(QStringLiteral("base"));
    choices.append(tr("base — before the first revision (drops everything)"));
    bool ok = false;
    const QString choice
        = QInputDialog::getItem(this, tr("Roll back"), tr("Roll back to:"), choices, 0, false, &ok);
    if (ok)
        requestRollback(targets.value(static_cast<int>(choices.indexOf(choice))));
}

void MainWindow::inspectRecovery()
{
    if (!m_session->isConnected())
        return;
    m_recovery->setBusy(true);
    m_session->requestRecoveryInspection();
}

void MainWindow::requestUpgrade(const QString& target)
{
    m_writes->request(WriteAction::Upgrade, target);
}

void MainWindow::requestRollback(const QString& target)
{
    m_writes->request(WriteAction::Downgrade, target);
}

void MainWindow::requestStamp(const QString& target)
{
    m_writes->request(WriteAction::Stamp, target);
}

void MainWindow::requestFix(const QString& fixName)
{
    m_writes->request(WriteAction::Fix, fixName);
}

void MainWindow::exportReport()
{
    if (!m_session->auditReport())
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the audit"),
        RecentFolder::suggest(QStringLiteral("audit.html")), tr("HTML (*.html);;JSON (*.json);;CSV (*.csv)"));
    if (path.isEmpty())
        return;
    RecentFolder::remember(path);
    QString error;
    bool ok = false;
    if (path.endsWith(QLatin1String(".json")))
        ok = m_audit->exportJson(path, &error);
    else if (path.endsWith(QLatin1String(".csv")))
        ok = m_audit->exportCsv(path, &error);
    else
        ok = m_audit->exportHtml(path, &error);
    if (ok)
        confirmWritten(tr("Audit exported"), path);
    else
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1:\n%2").arg(path, error));
}

void MainWindow::confirmWritten(const QString& what, const QString& path)
{
    const QString line = tr("%1 to %2").arg(what, QDir::toNativeSeparators(path));
    appendLog(line);
    statusBar()->showMessage(line, 15000);
}

void MainWindow::showError(const Error& error)
{
    QString text = error.toString().trimmed();
    if (text.isEmpty()) // never an empty "Error:"
        text = tr("the database driver gave no reason");
    appendLog(tr("Error: %1").arg(text));
    statusBar()->showMessage(text.section(QLatin1Char('\n'), 0, 0), 15000);
}

void MainWindow::appendLog(const QString& line)
{
    m_log->appendPlainText(
        QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

void MainWindow::forgetRemovedProfiles()
{
    m_recent->forgetRemoved();
    if (!m_reopenOffer->offeredProfile().isEmpty()
        && !m_profiles->store().contains(m_reopenOffer->offeredProfile()))
        m_reopenOffer->withdraw();
}

void MainWindow::reopenLastProfile()
{
    const QStringList recent = recentProfiles();
    if (recent.isEmpty() || m_session->target() || m_session->isConnecting())
        return;
    const QString name = recent.constFirst();
    Result<ConnectionProfile> profile = m_profiles->store().profile(name);
    if (!profile)
        return;
    m_profiles->selectProfile(name);
    if (profile->production) {
        m_reopenOffer->offer(name);
        appendLog(tr("Last profile: %1 (production): not reconnected on its own; the status bar offers it.")
                      .arg(name));
        return;
    }
    appendLog(tr("Reconnecting to the last profile, %1").arg(name));
    connectToProfile(name);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_session->isBusy() && !m_writes->runningAction().isEmpty()) {
        QMessageBox::warning(this, windowTitle(),
            tr("A run is active. Cancel it first; the window closes when it has stopped."));
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

// The query console has its own thread and connection; it follows the
// session's target, and is told again only when the target changes (a lost
// and regained connection is the same target).
void MainWindow::updateQueryConsole()
{
    const std::optional<ConnectionTarget>& target = m_session->target();
    const QString key = target ? target->source + QLatin1Char('\n') + target->describe() : QString();
    if (key == m_queryTargetKey)
        return;
    m_queryTargetKey = key;
    if (target)
        m_query->setConnection(*target);
    else
        m_query->clearConnection();
}

void MainWindow::openSearchEverywhere()
{
    // A hidden SQL tab renders the pending upgrade only when opened: catch up
    // now, so its text is what the search finds and where Enter goes.
    const RevisionGraph* graph = m_session->graph();
    if (m_previewOutdated && m_previewRevision.isEmpty() && graph) {
        if (Result<MigrationPlan> plan = m_session->planUpgrade(QStringLiteral("heads"))) {
            m_previewOutdated = false;
            m_preview->setScript(m_session->render(*plan), graph);
        }
    }
    updateSearchIndex();
    m_searchPopup->popup();
}

void MainWindow::updateSearchIndex()
{
    SearchIndex& index = m_searchPopup->index();
    index.setRevisions(m_session->graph());
    // The Audit tab's report, not the session's: item indexes are the tab's rows.
    index.setAudit(m_audit->hasReport() ? m_audit->report() : AuditReport());
    index.setSql(m_preview->editor()->scriptText());
}

void MainWindow::openSearchHit(const SearchHit& hit)
{
    switch (hit.kind) {
    case SearchHit::Kind::Revision:
        m_tabs->setCurrentWidget(m_timeline);
        m_timeline->selectRevision(hit.revision);
        m_timeline->setFocus(Qt::OtherFocusReason);
        break;
    case SearchHit::Kind::AuditObject:
        m_tabs->setCurrentWidget(m_audit);
        m_audit->selectItem(hit.auditItem);
        break;
    case SearchHit::Kind::SqlLine:
        m_tabs->setCurrentWidget(m_preview);
        m_preview->editor()->selectInBlock(hit.line, hit.column, hit.length);
        m_preview->editor()->setFocus(Qt::OtherFocusReason);
        break;
    }
}

} // namespace dbops::ui
