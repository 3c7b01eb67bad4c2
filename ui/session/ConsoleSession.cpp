#include "ConsoleSession.h"

namespace dbops::ui {

ConsoleSession::ConsoleSession(QObject* parent)
    : QObject(parent)
{
    connect(&m_controller, &DatabaseController::connected, this, [this](const DatabaseStatus& status) {
        m_connecting = false;
        m_status = status;
        Q_EMIT connectionChanged();
        Q_EMIT statusChanged();
        m_followUp = true;
        requestAudit();
    });
    connect(&m_controller, &DatabaseController::statusRefreshed, this, [this](const DatabaseStatus& status) {
        m_status = status;
        Q_EMIT statusChanged();
        if (m_followUp)
            requestAudit();
    });
    connect(&m_controller, &DatabaseController::auditFinished, this,
        [this](const AuditReport& report, const AuditSubject& subject, const AuditOutline& outline) {
            m_audit = report;
            m_auditSubject = subject;
            m_auditOutline = outline;
            Q_EMIT auditChanged();
            if (m_followUp)
                requestChecks();
        });
    connect(&m_controller, &DatabaseController::checksFinished, this,
        [this](const CheckReport& report, const QList<FixDefinition>& fixes) {
            m_followUp = false;
            m_checks = report;
            m_fixes = fixes;
            Q_EMIT checksChanged();
        });
    connect(&m_controller, &DatabaseController::fixFinished, this, [this](const FixOutcome& outcome) {
        Q_EMIT fixFinished(outcome);
        m_followUp = true;
        refresh();
    });
    connect(&m_controller, &DatabaseController::failed, this, [this](const Error& error) {
        m_followUp = false;
        if (m_connecting) {
            m_connecting = false;
            m_status.reset();
            Q_EMIT connectionChanged();
        }
        Q_EMIT errorOccurred(error);
    });
    connect(&m_controller, &DatabaseController::runProgress, this, &ConsoleSession::runProgress);
    connect(&m_controller, &DatabaseController::runFinished, this, [this](const RunResult& result) {
        Q_EMIT runFinished(result);
        m_followUp = true;
        refresh(); // the true state, from the server; then audit and checks again
    });
    connect(&m_controller, &DatabaseController::busyChanged, this, [this](bool busy) {
        Q_EMIT busyChanged(busy);
        if (!busy)
            startDeferredAudit();
    });
    connect(&m_loader, &RepositoryLoader::loaded, this, &ConsoleSession::onRepositoryLoaded);
}

ConsoleSession::~ConsoleSession() = default;

void ConsoleSession::loadRepository(const QString& directory)
{
    m_loader.load(directory);
}

void ConsoleSession::onRepositoryLoaded(const LoadedRepository& loaded)
{
    // The previous repository lives on until the views have let go of it.
    const std::shared_ptr<const MigrationRepository> previous = std::move(m_repository);
    m_repository = loaded.repository;
    m_repositoryError = loaded.repository ? QString() : loaded.error.toString();
    Q_EMIT repositoryChanged();
    Q_EMIT statusChanged();
    startDeferredAudit();
}

void ConsoleSession::connectTo(const ConnectionTarget& target)
{
    m_target = target;
    m_status.reset();
    m_connecting = true;
    if (target.profile && !target.profile->migrationsDirectory.isEmpty())
        loadRepository(target.profile->migrationsDirectory);
    Q_EMIT connectionChanged();
    m_controller.connectTo(target);
}

void ConsoleSession::disconnectFromDatabase()
{
    m_controller.disconnectFromDatabase();
    m_status.reset();
    m_audit.reset();
    m_auditOutline = AuditOutline();
    m_checks.reset();
    m_followUp = false;
    m_deferredAudit.reset();
    Q_EMIT auditChanged();
    Q_EMIT checksChanged();
    m_connecting = false;
    Q_EMIT connectionChanged();
    Q_EMIT statusChanged();
}

void ConsoleSession::refresh()
{
    if (m_status)
        m_controller.refresh();
}

int ConsoleSession::pendingCount() const
{
    if (!m_status || !graph())
        return -1;
    for (const QString& id : m_status->version.revisions) {
        if (!graph()->contains(id))
            return -1;
    }
    Result<MigrationPlan> plan = graph()->upgradePlan(m_status->version.revisions, QStringLiteral("heads"));
    return plan ? static_cast<int>(plan->steps.size()) : -1;
}

Result<MigrationPlan> ConsoleSession::planUpgrade(const QString& target) const
{
    if (!graph())
        return Error::input(m_repositoryError.isEmpty() ? tr("no migration repository") : m_repositoryError);
    return graph()->upgradePlan(currentHeads(), target);
}

Result<MigrationPlan> ConsoleSession::planDowngrade(const QString& target) const
{
    if (!graph())
        return Error::input(m_repositoryError.isEmpty() ? tr("no migration repository") : m_repositoryError);
    return graph()->downgradePlan(currentHeads(), target);
}

SqlScriptRenderer::Options ConsoleSession::renderOptions(TransactionMode mode) const
{
    SqlScriptRenderer::Options options;
    options.transactionMode = mode;
    if (m_target) {
        options.versionTable = m_target->versionTable;
        options.lockTimeoutMs = (m_target->profile ? m_target->profile->lockTimeoutSeconds : 10) * 1000;
        options.statementTimeoutMs
            = (m_target->profile ? m_target->profile->statementTimeoutSeconds : 0) * 1000;
    }
    options.createVersionTable = !(m_status && m_status->version.tableExists);
    return options;
}

RenderedScript ConsoleSession::render(const MigrationPlan& plan, TransactionMode mode) const
{
    if (!graph())
        return {};
    return SqlScriptRenderer::render(plan, *graph(), renderOptions(mode));
}

RunOptions ConsoleSession::runOptions() const
{
    RunOptions options;
    if (m_target)
        options.versionTable = m_target->versionTable;
    return options;
}

void ConsoleSession::startRun(const RunRequest& request)
{
    m_controller.run(request);
}

void ConsoleSession::requestAudit(const QString& target)
{
    if (!m_status || !m_target)
        return;
    if (m_loader.isLoading() || m_controller.isBusy()) {
        // After the repository arrives (the audit compares with it) or the
        // running job ends (a new job would drop its result).
        m_deferredAudit = target;
        return;
    }
    m_deferredAudit.reset();
    if (!m_repository)
        return;
    m_controller.audit(m_repository, target, *m_target);
}

void ConsoleSession::startDeferredAudit()
{
    if (m_deferredAudit && !m_loader.isLoading() && !m_controller.isBusy())
        requestAudit(*m_deferredAudit);
}

void ConsoleSession::requestChecks()
{
    if (!m_status || !m_repository)
        return;
    m_controller.runChecks(m_repository->directory());
}

void ConsoleSession::runFix(const QString& fixName, const QString& confirmation)
{
    if (!m_repository || !m_target)
        return;
    m_controller.runFix(m_repository->directory(), fixName, *m_target, confirmation);
}

} // namespace dbops::ui
