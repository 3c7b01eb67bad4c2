#include "MainWindow.h"

#include "AuditPanel.h"
#include "ChecksPanel.h"
#include "GuardedActionDialog.h"
#include "ProfilesPanel.h"
#include "RevisionTimelineModel.h"
#include "RevisionTimelineView.h"
#include "RunProgressDialog.h"
#include "SqlHighlighter.h"
#include "SqlPreviewPanel.h"
#include "catalog/SchemaAudit.h"
#include "session/ConsoleSession.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
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
{
    setWindowTitle(tr("DbOps Console"));
    setObjectName(QStringLiteral("MainWindow"));

    m_profiles = new ProfilesPanel(std::move(store));
    auto* dock = new QDockWidget(tr("Profiles"), this);
    dock->setObjectName(QStringLiteral("ProfilesDock"));
    dock->setWidget(m_profiles);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

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
    m_tabs->addTab(m_audit, tr("&Audit"));
    m_tabs->addTab(m_timeline, tr("&Timeline"));
    m_tabs->addTab(m_preview, tr("&SQL"));
    m_tabs->addTab(m_checks, tr("C&hecks"));
    m_tabs->addTab(m_log, tr("&Log"));
    setCentralWidget(m_tabs);

    m_serverLabel = new QLabel(tr("Not connected"));
    m_revisionLabel = new QLabel;
    m_pendingLabel = new QLabel;
    statusBar()->addWidget(m_serverLabel, 1);
    statusBar()->addPermanentWidget(m_revisionLabel);
    statusBar()->addPermanentWidget(m_pendingLabel);

    createActions();

    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_previewOutdated && m_tabs->currentWidget() == m_preview && m_session->isConnected())
            showPendingUpgrade();
    });
    connect(m_profiles, &ProfilesPanel::connectRequested, this, &MainWindow::connectToProfile);
    connect(m_session, &ConsoleSession::repositoryChanged, this, [this] {
        m_timelineModel->setGraph(m_session->graph());
        reloadHistory();
    });
    connect(m_session, &ConsoleSession::statusChanged, this, [this] {
        reloadHistory();
        updateStatus();
        updateActions();
    });
    connect(m_session, &ConsoleSession::connectionChanged, this, [this] {
        updateStatus();
        updateActions();
    });
    connect(m_session, &ConsoleSession::busyChanged, this, &MainWindow::updateActions);
    connect(m_session, &ConsoleSession::errorOccurred, this, &MainWindow::showError);
    connect(m_session, &ConsoleSession::runProgress, this, &MainWindow::onRunProgress);
    connect(m_session, &ConsoleSession::runFinished, this, &MainWindow::onRunFinished);
    connect(m_audit, &AuditPanel::auditRequested, this, [this](const QString& target) {
        m_audit->setBusy(true);
        m_session->requestAudit(target);
    });
    connect(m_checks, &ChecksPanel::checksRequested, this, [this] {
        m_checks->setBusy(true);
        m_session->requestChecks();
    });
    connect(m_checks, &ChecksPanel::applyFixRequested, this, &MainWindow::requestFix);
    connect(m_session, &ConsoleSession::auditChanged, this, [this] {
        m_audit->setBusy(false);
        m_audit->setPendingRevisionCount(m_session->pendingCount()); // first: one headline for the new report
        if (m_session->auditReport()) {
            m_audit->setSubject(m_session->auditSubject());
            m_audit->setReport(*m_session->auditReport(), m_session->auditOutline());
        } else {
            m_audit->clearReport();
        }
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
    connect(m_session, &ConsoleSession::fixFinished, this, [this](const FixOutcome& outcome) {
        appendLog(outcome.committed
                ? tr("Fix %1 applied: postcondition holds").arg(outcome.name)
                : tr("Fix %1 rolled back: the postcondition did not hold").arg(outcome.name));
    });
    connect(m_timeline, &RevisionTimelineView::revisionSelected, this, &MainWindow::showRevision);
    connect(m_timeline, &RevisionTimelineView::upgradeRequested, this, &MainWindow::requestUpgrade);
    connect(m_timeline, &RevisionTimelineView::rollbackRequested, this, &MainWindow::requestRollback);
    connect(m_timeline, &RevisionTimelineView::stampRequested, this, &MainWindow::requestStamp);

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
    auto make = [this](const QString& text, QStyle::StandardPixmap icon, const QKeySequence& shortcut,
                    const QString& tip) {
        auto* action = new QAction(style()->standardIcon(icon), text, this);
        action->setShortcut(shortcut);
        action->setToolTip(tip
            + (shortcut.isEmpty()
                    ? QString()
                    : QStringLiteral(" (%1)").arg(shortcut.toString(QKeySequence::NativeText))));
        return action;
    };
    m_connect = make(tr("&Connect"), QStyle::SP_MediaPlay, QKeySequence(Qt::CTRL | Qt::Key_O),
        tr("Connect to the selected profile"));
    m_disconnect = make(tr("&Disconnect"), QStyle::SP_MediaStop, QKeySequence(), tr("Disconnect"));
    m_refresh = make(tr("&Refresh"), QStyle::SP_BrowserReload, QKeySequence::Refresh,
        tr("Re-read where the database stands"));
    m_upgrade = make(tr("&Upgrade"), QStyle::SP_ArrowUp, QKeySequence(Qt::CTRL | Qt::Key_U),
        tr("Upgrade to head (guarded)"));
    m_rollback = make(tr("Roll&back"), QStyle::SP_ArrowDown, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B),
        tr("Roll back to a revision (guarded)"));
    m_stamp = make(tr("&Stamp"), QStyle::SP_DialogApplyButton, QKeySequence(),
        tr("Set the version table without running migrations (guarded)"));
    m_cancel = make(tr("Cancel run"), QStyle::SP_BrowserStop, QKeySequence(Qt::Key_Escape),
        tr("Cancel the running statement on the server"));

    connect(
        m_connect, &QAction::triggered, this, [this] { connectToProfile(m_profiles->selectedProfile()); });
    connect(m_disconnect, &QAction::triggered, m_session, &ConsoleSession::disconnectFromDatabase);
    connect(m_refresh, &QAction::triggered, m_session, &ConsoleSession::refresh);
    connect(m_upgrade, &QAction::triggered, this, [this] { requestUpgrade(QStringLiteral("head")); });
    connect(m_rollback, &QAction::triggered, this, [this] {
        bool ok = false;
        const QString target = QInputDialog::getText(this, tr("Roll back"),
            tr("Roll back to (revision, -1, base):"), QLineEdit::Normal, QStringLiteral("-1"), &ok);
        if (ok && !target.trimmed().isEmpty())
            requestRollback(target.trimmed());
    });
    connect(m_stamp, &QAction::triggered, this, [this] {
        bool ok = false;
        const QString target = QInputDialog::getText(this, tr("Stamp"), tr("Stamp the database as revision:"),
            QLineEdit::Normal, QStringLiteral("head"), &ok);
        if (ok && !target.trimmed().isEmpty())
            requestStamp(target.trimmed());
    });
    connect(m_cancel, &QAction::triggered, this, [this] { m_session->controller()->cancel(); });
    m_export = make(tr("&Export report…"), QStyle::SP_DialogSaveButton, QKeySequence(Qt::CTRL | Qt::Key_E),
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
    for (QAction* a : { m_connect, m_disconnect, m_refresh, m_export })
        database->addAction(a);
    database->addSeparator();
    auto* quit = database->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    QMenu* migrate = menuBar()->addMenu(tr("&Migrations"));
    for (QAction* a : { m_upgrade, m_rollback, m_stamp, m_cancel })
        migrate->addAction(a);
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
    m_connect->setEnabled(!busy && !m_profiles->selectedProfile().isEmpty());
    m_disconnect->setEnabled(!busy && (connected || m_session->isConnecting()));
    m_refresh->setEnabled(!busy && connected);
    m_upgrade->setEnabled(m_session->canUpgrade());
    m_rollback->setEnabled(m_session->canRollback());
    m_stamp->setEnabled(m_session->canStamp());
    m_cancel->setEnabled(busy && !m_runningAction.isEmpty());
    m_export->setEnabled(m_session->auditReport().has_value());
    m_checks->setWriteAllowed(connected && !m_session->isReadOnly() && !busy);
    m_checks->setRunAvailable(connected, connected ? QString() : tr("Connect to run the checks"));
    m_audit->setAuditAvailable(connected, connected ? QString() : tr("Connect to audit"));
    const QString why = m_session->isReadOnly() ? tr(" — disabled: the profile is read-only") : QString();
    m_upgrade->setStatusTip(why);
}

QString MainWindow::statusText() const
{
    return m_serverLabel->text() + QLatin1Char(' ') + m_revisionLabel->text() + QLatin1Char(' ')
        + m_pendingLabel->text();
}

void MainWindow::updateStatus()
{
    const auto& status = m_session->status();
    const auto& target = m_session->target();
    if (!status) {
        m_serverLabel->setText(m_session->isConnecting()
                ? tr("Connecting to %1…").arg(target ? target->describe() : QString())
                : tr("Not connected"));
        m_revisionLabel->clear();
        if (m_session->isRepositoryLoading() && !m_session->graph())
            m_pendingLabel->setText(tr("loading migrations…"));
        else
            m_pendingLabel->clear();
        setWindowTitle(tr("DbOps Console"));
        return;
    }
    m_serverLabel->setText(tr("%1 — PostgreSQL %2, user %3, TLS %4")
                               .arg(target ? target->describe() : QString(), status->server.version,
                                   status->server.user, status->server.tls ? tr("on") : tr("off")));
    const QStringList heads = status->version.revisions;
    m_revisionLabel->setText(
        tr("Revision: %1").arg(heads.isEmpty() ? tr("base") : heads.join(QStringLiteral(", "))));
    const int pending = m_session->pendingCount();
    if (pending < 0 && !m_session->graph() && m_session->isRepositoryLoading())
        m_pendingLabel->setText(tr("loading migrations…"));
    else
        m_pendingLabel->setText(pending < 0 ? tr("unknown revision")
                : pending == 0              ? tr("up to date")
                                            : tr("%n pending", nullptr, pending));
    setWindowTitle(tr("%1 — DbOps Console")
                       .arg(target && target->profile ? target->profile->name : status->server.database));
}

void MainWindow::reloadHistory()
{
    const RevisionGraph* graph = m_session->graph();
    if (m_session->isConnected())
        m_timelineModel->setCurrentHeads(m_session->currentHeads());
    else
        m_timelineModel->clearCurrentHeads();
    if (!graph)
        m_preview->clearScript();
    else if (m_session->isConnected())
        showPendingUpgrade();
}

void MainWindow::showPendingUpgrade()
{
    // Laying out and highlighting a long script takes milliseconds: only for
    // a visible SQL tab; a hidden one catches up when it is opened.
    m_previewOutdated = m_tabs->currentWidget() != m_preview;
    if (m_previewOutdated)
        return;
    Result<MigrationPlan> plan = m_session->planUpgrade(QStringLiteral("heads"));
    if (plan && !plan->steps.isEmpty())
        m_preview->setScript(m_session->render(*plan), m_session->graph());
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
    m_preview->setScript(m_session->render(*plan), graph);
}

void MainWindow::connectToProfile(const QString& name)
{
    // locate(), not resolve(): the keychain is read in the database worker, never here.
    Result<ConnectionTarget> target = ConnectionTarget::locate({}, name, m_profiles->store());
    if (!target) {
        showError(target.error());
        return;
    }
    for (const QString& warning : target->profile->warnings())
        appendLog(tr("Warning: %1").arg(warning));
    appendLog(tr("Connecting to %1").arg(target->describe()));
    m_session->connectTo(*target);
}

void MainWindow::connectToUrl(const QString& url)
{
    Result<ConnectionTarget> target = ConnectionTarget::locate(url, {}, m_profiles->store());
    if (!target) {
        showError(target.error());
        return;
    }
    appendLog(tr("Connecting to %1").arg(target->describe()));
    m_session->connectTo(*target);
}

void MainWindow::requestUpgrade(const QString& target)
{
    startGuardedRun(QStringLiteral("upgrade"), target);
}

void MainWindow::requestRollback(const QString& target)
{
    startGuardedRun(QStringLiteral("downgrade"), target);
}

void MainWindow::requestStamp(const QString& target)
{
    startGuardedRun(QStringLiteral("stamp"), target);
}

bool MainWindow::prepareGuardedAction(const QString& action, const QString& target, GuardedAction* out)
{
    if (!m_session->canWrite() || !m_session->target())
        return false;
    const RevisionGraph* graph = m_session->graph();
    const QStringList current = m_session->currentHeads();
    GuardedAction& guarded = *out;
    guarded.action = action == QLatin1String("downgrade") ? QStringLiteral("rollback") : action;
    guarded.target = *m_session->target();
    guarded.renderOptions = m_session->renderOptions();
    guarded.fromText = current.isEmpty() ? tr("base") : current.join(QStringLiteral(", "));

    if (action == QLatin1String("stamp")) {
        Result<QStringList> to = graph->resolve(target, current);
        if (!to) {
            showError(to.error());
            return false;
        }
        guarded.plan.startHeads = current;
        guarded.plan.endHeads = *to;
        guarded.toText = to->isEmpty() ? tr("base") : to->join(QStringLiteral(", "));
        const bool tableExists = m_session->status() && m_session->status()->version.tableExists;
        guarded.render = [current, to = *to, tableExists](const SqlScriptRenderer::Options& options) {
            return SqlScriptRenderer::renderStamp(current, tableExists, to, options);
        };
    } else {
        Result<MigrationPlan> plan = action == QLatin1String("upgrade") ? m_session->planUpgrade(target)
                                                                        : m_session->planDowngrade(target);
        if (!plan) {
            showError(plan.error());
            return false;
        }
        if (plan->steps.isEmpty()) {
            QMessageBox::information(
                this, windowTitle(), tr("Nothing to do: the database is at %1.").arg(guarded.fromText));
            return false;
        }
        guarded.plan = *plan;
        guarded.toText = plan->endHeads.isEmpty() ? tr("base") : plan->endHeads.join(QStringLiteral(", "));
        for (const MigrationStep& step : plan->steps) {
            const Revision& r = graph->revision(step.revision);
            if (!r.transactional)
                guarded.nonTransactionalSteps.append(QStringLiteral("%1: %2").arg(r.id, r.message));
        }
        // The dialog renders with the repository it was opened for, even if
        // another one arrives while it is open.
        const std::shared_ptr<const MigrationRepository> repository = m_session->sharedRepository();
        const MigrationPlan planCopy = *plan;
        guarded.render = [repository, planCopy](const SqlScriptRenderer::Options& options) {
            return SqlScriptRenderer::render(planCopy, repository->graph(), options);
        };
        if (action == QLatin1String("upgrade")) {
            guarded.rollbackTarget = guarded.fromText;
            guarded.rollbackScript = [repository, planCopy, current, options = m_session->renderOptions()] {
                Result<MigrationPlan> back = repository->graph().downgradePlan(
                    planCopy.endHeads, current.isEmpty() ? QStringLiteral("base") : current.constFirst());
                return back ? SqlScriptRenderer::render(*back, repository->graph(), options)
                            : RenderedScript();
            };
        }
    }

    if (m_session->auditReport()) {
        const QStringList missing = SchemaAudit::missingObjects(*m_session->auditReport());
        if (action == QLatin1String("upgrade") && !missing.isEmpty()) {
            for (const QString& m : missing)
                guarded.objectChanges.append(tr("create %1").arg(m));
        } else if (action == QLatin1String("stamp") && !guarded.plan.endHeads.isEmpty()) {
            // The audit we have is against head; stamping elsewhere is checked by the CLI's replay.
            QStringList heads = graph->heads();
            QStringList to = guarded.plan.endHeads;
            heads.sort();
            to.sort();
            if (to == heads)
                guarded.missingObjects = missing;
        }
    }
    return true;
}

GuardedActionDialog* MainWindow::createGuardedDialog(const QString& action, const QString& target)
{
    GuardedAction guarded;
    if (!prepareGuardedAction(action, target, &guarded))
        return nullptr;
    return new GuardedActionDialog(guarded, this);
}

void MainWindow::startGuardedRun(const QString& action, const QString& target)
{
    GuardedAction guarded;
    if (!prepareGuardedAction(action, target, &guarded))
        return;
    GuardedActionDialog dialog(guarded, this);
    if (dialog.exec() != QDialog::Accepted || !dialog.isActionAllowed())
        return;

    RunRequest request;
    request.plan = guarded.plan;
    request.script = dialog.script();
    request.options = m_session->runOptions();
    request.action = dialog.overrideReason().isEmpty()
        ? action
        : QStringLiteral("%1 (forced: %2)").arg(action, dialog.overrideReason());
    request.profileName = guarded.target.profile ? guarded.target.profile->name : QString();
    request.backupDirectory = dialog.backupDirectory();
    request.journalInDatabase = guarded.target.profile && guarded.target.profile->journalInDatabase;

    m_runningAction = action;
    m_progress
        = new RunProgressDialog(tr("%1: %2 → %3").arg(guarded.action, guarded.fromText, guarded.toText),
            static_cast<int>(request.plan.steps.size()), this);
    m_progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(
        m_progress, &RunProgressDialog::cancelRequested, this, [this] { m_session->controller()->cancel(); });
    m_progress->show();
    appendLog(tr("%1 started: %2 → %3").arg(guarded.action, guarded.fromText, guarded.toText));
    m_session->startRun(request);
    updateActions();
}

void MainWindow::requestFix(const QString& fixName)
{
    if (!m_session->canWrite() || !m_session->target())
        return;
    GuardedAction guarded;
    guarded.action = tr("fix %1").arg(fixName);
    guarded.target = *m_session->target();
    guarded.fromText = tr("check failing");
    guarded.toText = tr("fix %1 applied, postcondition checked, in one transaction").arg(fixName);
    guarded.renderOptions = m_session->renderOptions();
    GuardedActionDialog dialog(guarded, this);
    if (dialog.exec() != QDialog::Accepted || !dialog.isActionAllowed())
        return;
    const QString database
        = guarded.target.settings.value(QStringLiteral("dbname")).isEmpty() && guarded.target.profile
        ? guarded.target.profile->database
        : guarded.target.settings.value(QStringLiteral("dbname"));
    appendLog(tr("Applying fix %1").arg(fixName));
    m_session->runFix(fixName, database);
}

void MainWindow::exportReport()
{
    if (!m_session->auditReport())
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the audit"),
        QStringLiteral("audit.html"), tr("HTML (*.html);;JSON (*.json);;CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    bool ok = false;
    if (path.endsWith(QLatin1String(".json")))
        ok = m_audit->exportJson(path, &error);
    else if (path.endsWith(QLatin1String(".csv")))
        ok = m_audit->exportCsv(path, &error);
    else
        ok = m_audit->exportHtml(path, &error);
    if (ok)
        appendLog(tr("Audit exported to %1").arg(path));
    else
        QMessageBox::warning(this, tr("Export failed"), error);
}

void MainWindow::onRunProgress(const RunEvent& event)
{
    QString message;
    if (const RevisionGraph* graph = m_session->graph(); graph && graph->contains(event.revision))
        message = graph->revision(event.revision).message;
    if (m_progress)
        m_progress->addEvent(event, message);
    if (event.kind == RunEvent::Kind::StepStarted)
        appendLog(
            tr("[%1/%2] %3 %4").arg(event.stepIndex + 1).arg(event.stepCount).arg(event.revision, message));
    else if (event.kind == RunEvent::Kind::Notice || event.kind == RunEvent::Kind::Retry
        || event.kind == RunEvent::Kind::Info)
        appendLog(event.text);
}

void MainWindow::onRunFinished(const RunResult& result)
{
    if (m_progress)
        m_progress->finish(result);
    appendLog(result.ok()
            ? tr("%1 finished: the database is at %2")
                  .arg(m_runningAction, result.finalHeads.join(QStringLiteral(", ")))
            : tr("%1 %2: %3")
                  .arg(m_runningAction, RunResult::outcomeName(result.outcome), result.error.toString()));
    m_runningAction.clear();
    updateActions();
}

void MainWindow::showError(const Error& error)
{
    appendLog(tr("Error: %1").arg(error.toString()));
    statusBar()->showMessage(error.toString(), 15000);
}

void MainWindow::appendLog(const QString& line)
{
    m_log->appendPlainText(
        QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_session->isBusy() && !m_runningAction.isEmpty()) {
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

} // namespace dbops::ui
