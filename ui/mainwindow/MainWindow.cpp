#include "MainWindow.h"

#include "GuardedActionDialog.h"
#include "ProfilesPanel.h"
#include "RunProgressDialog.h"
#include "SqlHighlighter.h"
#include "session/ConsoleSession.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
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
#include <QTreeWidget>

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
    m_history = new QTreeWidget;
    m_history->setHeaderLabels({ tr("Revision"), tr("Message"), tr("Date"), tr("State") });
    m_history->setRootIsDecorated(false);
    m_history->setUniformRowHeights(true);
    m_history->setAccessibleName(tr("Revision timeline"));
    m_history->setContextMenuPolicy(Qt::CustomContextMenu);
    m_preview = new QPlainTextEdit;
    m_preview->setReadOnly(true);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setAccessibleName(tr("SQL preview"));
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    SqlHighlighting::attach(m_preview->document());
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setAccessibleName(tr("Log"));
    m_tabs->addTab(m_history, tr("&Timeline"));
    m_tabs->addTab(m_preview, tr("&SQL"));
    m_tabs->addTab(m_log, tr("&Log"));
    setCentralWidget(m_tabs);

    m_serverLabel = new QLabel(tr("Not connected"));
    m_revisionLabel = new QLabel;
    m_pendingLabel = new QLabel;
    statusBar()->addWidget(m_serverLabel, 1);
    statusBar()->addPermanentWidget(m_revisionLabel);
    statusBar()->addPermanentWidget(m_pendingLabel);

    createActions();

    connect(m_profiles, &ProfilesPanel::connectRequested, this, &MainWindow::connectToProfile);
    connect(m_session, &ConsoleSession::repositoryChanged, this, &MainWindow::reloadHistory);
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
    connect(m_history, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item)
            showRevision(item->data(0, Qt::UserRole).toString());
    });
    connect(m_history, &QTreeWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QTreeWidgetItem* item = m_history->itemAt(pos);
        if (!item)
            return;
        const QString id = item->data(0, Qt::UserRole).toString();
        QMenu menu;
        menu.addAction(tr("Upgrade to here"), this, [this, id] { requestUpgrade(id); })->setEnabled(m_session->canWrite());
        menu.addAction(tr("Roll back to here"), this, [this, id] { requestRollback(id); })->setEnabled(m_session->canWrite());
        menu.addAction(tr("Stamp here"), this, [this, id] { requestStamp(id); })->setEnabled(m_session->canWrite());
        menu.addSeparator();
        menu.addAction(tr("Copy id"), this, [id] { QApplication::clipboard()->setText(id); });
        menu.exec(m_history->viewport()->mapToGlobal(pos));
    });

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1280, 800);

    m_session->loadRepository(migrationsDirectory.isEmpty() ? MigrationRepository::defaultDirectory() : migrationsDirectory);
    updateStatus();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    auto* toolbar = addToolBar(tr("Actions"));
    toolbar->setObjectName(QStringLiteral("ActionsToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto make = [this](const QString& text, QStyle::StandardPixmap icon, const QKeySequence& shortcut, const QString& tip) {
        auto* action = new QAction(style()->standardIcon(icon), text, this);
        action->setShortcut(shortcut);
        action->setToolTip(tip + (shortcut.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(shortcut.toString(QKeySequence::NativeText))));
        return action;
    };
    m_connect = make(tr("&Connect"), QStyle::SP_MediaPlay, QKeySequence(Qt::CTRL | Qt::Key_O), tr("Connect to the selected profile"));
    m_disconnect = make(tr("&Disconnect"), QStyle::SP_MediaStop, QKeySequence(), tr("Disconnect"));
    m_refresh = make(tr("&Refresh"), QStyle::SP_BrowserReload, QKeySequence::Refresh, tr("Re-read where the database stands"));
    m_upgrade = make(tr("&Upgrade"), QStyle::SP_ArrowUp, QKeySequence(Qt::CTRL | Qt::Key_U), tr("Upgrade to head (guarded)"));
    m_rollback = make(tr("Roll&back"), QStyle::SP_ArrowDown, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B), tr("Roll back to a revision (guarded)"));
    m_stamp = make(tr("&Stamp"), QStyle::SP_DialogApplyButton, QKeySequence(), tr("Set the version table without running migrations (guarded)"));
    m_cancel = make(tr("Cancel run"), QStyle::SP_BrowserStop, QKeySequence(Qt::Key_Escape), tr("Cancel the running statement on the server"));

    connect(m_connect, &QAction::triggered, this, [this] { connectToProfile(m_profiles->selectedProfile()); });
    connect(m_disconnect, &QAction::triggered, m_session, &ConsoleSession::disconnectFromDatabase);
    connect(m_refresh, &QAction::triggered, m_session, &ConsoleSession::refresh);
    connect(m_upgrade, &QAction::triggered, this, [this] { requestUpgrade(QStringLiteral("head")); });
    connect(m_rollback, &QAction::triggered, this, [this] {
        bool ok = false;
        const QString target = QInputDialog::getText(this, tr("Roll back"), tr("Roll back to (revision, -1, base):"),
            QLineEdit::Normal, QStringLiteral("-1"), &ok);
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

    for (QAction* a : { m_connect, m_disconnect, m_refresh })
        toolbar->addAction(a);
    toolbar->addSeparator();
    for (QAction* a : { m_upgrade, m_rollback, m_stamp })
        toolbar->addAction(a);

    QMenu* database = menuBar()->addMenu(tr("&Database"));
    for (QAction* a : { m_connect, m_disconnect, m_refresh })
        database->addAction(a);
    database->addSeparator();
    database->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu* migrate = menuBar()->addMenu(tr("&Migrations"));
    for (QAction* a : { m_upgrade, m_rollback, m_stamp, m_cancel })
        migrate->addAction(a);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About DbOps Console"), this, [this] {
        QMessageBox::about(this, tr("About DbOps Console"),
            tr("<b>DbOps Console %1</b><p>Safe PostgreSQL schema migrations, Alembic-compatible.</p>"
               "<p>Qt %2, highlighting: %3</p>")
                .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion()), SqlHighlighting::engineName()));
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
    const QString why = m_session->isReadOnly() ? tr(" — disabled: the profile is read-only") : QString();
    m_upgrade->setStatusTip(why);
}

QString MainWindow::statusText() const
{
    return m_serverLabel->text() + QLatin1Char(' ') + m_revisionLabel->text() + QLatin1Char(' ') + m_pendingLabel->text();
}

void MainWindow::updateStatus()
{
    const auto& status = m_session->status();
    const auto& target = m_session->target();
    if (!status) {
        m_serverLabel->setText(m_session->isConnecting() ? tr("Connecting to %1…").arg(target ? target->describe() : QString())
                                                         : tr("Not connected"));
        m_revisionLabel->clear();
        m_pendingLabel->clear();
        setWindowTitle(tr("DbOps Console"));
        return;
    }
    m_serverLabel->setText(tr("%1 — PostgreSQL %2, user %3, TLS %4")
                               .arg(target ? target->describe() : QString(), status->server.version, status->server.user,
                                   status->server.tls ? tr("on") : tr("off")));
    const QStringList heads = status->version.revisions;
    m_revisionLabel->setText(tr("Revision: %1").arg(heads.isEmpty() ? tr("base") : heads.join(QStringLiteral(", "))));
    const int pending = m_session->pendingCount();
    m_pendingLabel->setText(pending < 0 ? tr("unknown revision") : pending == 0 ? tr("up to date") : tr("%n pending", nullptr, pending));
    setWindowTitle(tr("%1 — DbOps Console").arg(target && target->profile ? target->profile->name : status->server.database));
}

void MainWindow::reloadHistory()
{
    m_history->clear();
    const RevisionGraph* graph = m_session->graph();
    if (!graph) {
        m_preview->setPlainText(m_session->repositoryError());
        return;
    }
    const QStringList current = m_session->currentHeads();
    const QStringList applied = m_session->isConnected() ? graph->ancestorsOf(current) : QStringList();
    QList<QTreeWidgetItem*> items;
    for (const QString& id : graph->historyOrder()) {
        const Revision& r = graph->revision(id);
        QString state;
        if (current.contains(id))
            state = tr("◀ database");
        else if (m_session->isConnected())
            state = applied.contains(id) ? tr("applied") : tr("pending");
        if (graph->isHead(id))
            state += state.isEmpty() ? tr("head") : tr(", head");
        auto* item = new QTreeWidgetItem({ id, r.message, r.createDate, state });
        item->setData(0, Qt::UserRole, id);
        if (current.contains(id)) {
            QFont f = item->font(0);
            f.setBold(true);
            for (int c = 0; c < 4; ++c)
                item->setFont(c, f);
        }
        items.append(item);
    }
    m_history->addTopLevelItems(items);
    m_history->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

void MainWindow::showRevision(const QString& id)
{
    const RevisionGraph* graph = m_session->graph();
    if (!graph || !graph->contains(id))
        return;
    const Revision& r = graph->revision(id);
    Result<MigrationPlan> plan = graph->upgradePlan(r.downRevisions, id);
    if (!plan) {
        m_preview->setPlainText(plan.error().toString());
        return;
    }
    m_preview->setPlainText(m_session->render(*plan).text());
}

void MainWindow::connectToProfile(const QString& name)
{
    Result<ConnectionTarget> target = ConnectionTarget::resolve({}, name, m_profiles->store());
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
    Result<ConnectionTarget> target = ConnectionTarget::resolve(url, {}, m_profiles->store());
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

void MainWindow::startGuardedRun(const QString& action, const QString& target)
{
    if (!m_session->canWrite() || !m_session->target())
        return;
    const RevisionGraph* graph = m_session->graph();
    const QStringList current = m_session->currentHeads();
    GuardedAction guarded;
    guarded.action = action == QLatin1String("downgrade") ? QStringLiteral("rollback") : action;
    guarded.target = *m_session->target();
    guarded.renderOptions = m_session->renderOptions();
    guarded.fromText = current.isEmpty() ? tr("base") : current.join(QStringLiteral(", "));

    if (action == QLatin1String("stamp")) {
        Result<QStringList> to = graph->resolve(target, current);
        if (!to) {
            showError(to.error());
            return;
        }
        guarded.plan.startHeads = current;
        guarded.plan.endHeads = *to;
        guarded.toText = to->isEmpty() ? tr("base") : to->join(QStringLiteral(", "));
        const bool tableExists = m_session->status() && m_session->status()->version.tableExists;
        guarded.render = [current, to = *to, tableExists](const SqlScriptRenderer::Options& options) {
            return SqlScriptRenderer::renderStamp(current, tableExists, to, options);
        };
    } else {
        Result<MigrationPlan> plan = action == QLatin1String("upgrade") ? m_session->planUpgrade(target) : m_session->planDowngrade(target);
        if (!plan) {
            showError(plan.error());
            return;
        }
        if (plan->steps.isEmpty()) {
            QMessageBox::information(this, windowTitle(), tr("Nothing to do: the database is at %1.").arg(guarded.fromText));
            return;
        }
        guarded.plan = *plan;
        guarded.toText = plan->endHeads.isEmpty() ? tr("base") : plan->endHeads.join(QStringLiteral(", "));
        for (const MigrationStep& step : plan->steps) {
            const Revision& r = graph->revision(step.revision);
            if (!r.transactional)
                guarded.nonTransactionalSteps.append(QStringLiteral("%1: %2").arg(r.id, r.message));
        }
        const ConsoleSession* session = m_session;
        const MigrationPlan planCopy = *plan;
        guarded.render = [session, planCopy](const SqlScriptRenderer::Options& options) {
            return SqlScriptRenderer::render(planCopy, *session->graph(), options);
        };
        if (action == QLatin1String("upgrade")) {
            guarded.rollbackTarget = guarded.fromText;
            guarded.rollbackScript = [session, planCopy, current] {
                Result<MigrationPlan> back = session->graph()->downgradePlan(planCopy.endHeads,
                    current.isEmpty() ? QStringLiteral("base") : current.constFirst());
                return back ? session->render(*back) : RenderedScript();
            };
        }
    }

    GuardedActionDialog dialog(guarded, this);
    if (dialog.exec() != QDialog::Accepted || !dialog.isActionAllowed())
        return;

    RunRequest request;
    request.plan = guarded.plan;
    request.script = dialog.script();
    request.options = m_session->runOptions();
    request.action = dialog.overrideReason().isEmpty() ? action : QStringLiteral("%1 (forced: %2)").arg(action, dialog.overrideReason());
    request.profileName = guarded.target.profile ? guarded.target.profile->name : QString();
    request.backupDirectory = dialog.backupDirectory();
    request.journalInDatabase = guarded.target.profile && guarded.target.profile->journalInDatabase;

    m_runningAction = action;
    m_progress = new RunProgressDialog(tr("%1: %2 → %3").arg(guarded.action, guarded.fromText, guarded.toText),
        static_cast<int>(request.plan.steps.size()), this);
    m_progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_progress, &RunProgressDialog::cancelRequested, this, [this] { m_session->controller()->cancel(); });
    m_progress->show();
    appendLog(tr("%1 started: %2 → %3").arg(guarded.action, guarded.fromText, guarded.toText));
    m_session->startRun(request);
    updateActions();
}

void MainWindow::onRunProgress(const RunEvent& event)
{
    QString message;
    if (const RevisionGraph* graph = m_session->graph(); graph && graph->contains(event.revision))
        message = graph->revision(event.revision).message;
    if (m_progress)
        m_progress->addEvent(event, message);
    if (event.kind == RunEvent::Kind::StepStarted)
        appendLog(tr("[%1/%2] %3 %4").arg(event.stepIndex + 1).arg(event.stepCount).arg(event.revision, message));
    else if (event.kind == RunEvent::Kind::Notice || event.kind == RunEvent::Kind::Retry || event.kind == RunEvent::Kind::Info)
        appendLog(event.text);
}

void MainWindow::onRunFinished(const RunResult& result)
{
    if (m_progress)
        m_progress->finish(result);
    appendLog(result.ok() ? tr("%1 finished: the database is at %2").arg(m_runningAction, result.finalHeads.join(QStringLiteral(", ")))
                          : tr("%1 %2: %3").arg(m_runningAction, RunResult::outcomeName(result.outcome), result.error.toString()));
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
    m_log->appendPlainText(QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_session->isBusy() && !m_runningAction.isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("A run is active. Cancel it first; the window closes when it has stopped."));
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

} // namespace dbops::ui
