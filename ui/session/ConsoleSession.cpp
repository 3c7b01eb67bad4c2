#include "ConsoleSession.h"

#include "guarded/GuardedWrite.h"

namespace dbops::ui {

ConsoleSession::ConsoleSession(QObject* parent)
    : QObject(parent)
{
    connect(&m_controller, &DatabaseController::connected, this, [this](const DatabaseStatus& status) {
        m_connecting = false;
        m_connection.phase = ConnectionState::Phase::Connected;
        m_connection.error = Error();
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
            startDeferredRecovery(); // the chain is done
        });
    connect(
        &m_controller, &DatabaseController::recoveryInspected, this, [this](const RecoveryReport& report) {
            m_inspectingRecovery = false;
            m_recovery = report;
            Q_EMIT recoveryChanged();
        });
    connect(&m_controller, &DatabaseController::reviewed, this, &ConsoleSession::reviewReady);
    connect(&m_controller, &DatabaseController::connectionStateChanged, this,
        &ConsoleSession::onConnectionStateChanged);
    connect(&m_controller, &DatabaseController::failed, this, [this](const Error& error) {
        m_followUp = false;
        if (m_inspectingRecovery) {
            m_inspectingRecovery = false;
            Q_EMIT recoveryFailed(error);
        }
        if (m_connecting) {
            m_connecting = false;
            m_connection = ConnectionState();
            m_connection.target = m_target ? m_target->describe() : QString();
            m_connection.error = error;
            clearTargetState();
            Q_EMIT connectionChanged();
        }
        Q_EMIT errorOccurred(error);
        startDeferredRecovery();
    });
    connect(&m_controller, &DatabaseController::runProgress, this, &ConsoleSession::runProgress);
    connect(&m_controller, &DatabaseController::writeFinished, this, [this](const WriteOutcome& outcome) {
        Q_EMIT writeFinished(outcome);
        startRefresh(true); // the true state, from the server; then audit and checks again
    });
    connect(&m_controller, &DatabaseController::busyChanged, this, [this](bool busy) {
        Q_EMIT busyChanged(busy);
        if (busy)
            return;
        if (m_refreshWhenIdle && isConnected()) {
            m_refreshWhenIdle = false;
            startRefresh(true);
            return;
        }
        startDeferredAudit();
        startDeferredRecovery();
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
    if (m_connectWaitsForRepository && !m_loader.isLoading()) {
        startConnect();
        return;
    }
    startDeferredAudit();
    startDeferredRecovery();
}

void ConsoleSession::onConnectionStateChanged(const ConnectionState& state)
{
    if (m_connecting)
        return; // the connect's own answer (connected or failed) says it
    const bool wasLost = m_connection.isLost();
    m_connection = state;
    if (state.isLost()) {
        m_followUp = false;
        m_deferredAudit.reset();
        Q_EMIT connectionChanged();
        if (!wasLost)
            Q_EMIT connectionLost(state.error);
        return;
    }
    Q_EMIT connectionChanged();
    if (wasLost && state.isConnected()) {
        Q_EMIT reconnected();
        // Say the true state of the database: the server may have been
        // restored, or migrated by someone else, while it was away.
        if (m_controller.isBusy() && m_controller.currentJob() == m_refreshJob) {
            m_followUp = true; // the refresh that reconnected reads it
        } else if (m_controller.isBusy()) {
            m_refreshWhenIdle = true;
        } else {
            startRefresh(true);
        }
    }
}

void ConsoleSession::clearTargetState(bool announceAll)
{
    // Signals for what was there (a fresh session's connect says nothing), or all of them.
    const bool hadStatus = announceAll || m_status.has_value();
    const bool hadAudit = announceAll || m_audit.has_value() || !m_auditSubject.database.isEmpty();
    const bool hadChecks = announceAll || m_checks.has_value() || !m_fixes.isEmpty();
    const bool hadRecovery = announceAll || m_recovery.has_value();
    m_status.reset();
    m_audit.reset();
    m_auditOutline = AuditOutline();
    m_auditSubject = AuditSubject();
    m_checks.reset();
    m_fixes.clear();
    m_recovery.reset();
    m_deferredRecovery = false;
    m_inspectingRecovery = false;
    m_followUp = false;
    m_refreshWhenIdle = false;
    m_deferredAudit.reset();
    if (hadAudit)
        Q_EMIT auditChanged();
    if (hadChecks)
        Q_EMIT checksChanged();
    if (hadRecovery)
        Q_EMIT recoveryChanged();
    if (hadStatus)
        Q_EMIT statusChanged();
}

void ConsoleSession::connectTo(const ConnectionTarget& target)
{
    m_target = target;
    m_connecting = true;
    m_connection = ConnectionState();
    m_connection.phase = ConnectionState::Phase::Connecting;
    m_connection.target = target.describe();
    clearTargetState();
    if (target.profile && !target.profile->migrationsDirectory.isEmpty())
        loadRepository(target.profile->migrationsDirectory);
    Q_EMIT connectionChanged();
    // The repository may name the version table (an Alembic project's
    // env.py): connect once it is here, so the console reads, plans and locks
    // the same table as the CLI.
    m_connectWaitsForRepository = m_loader.isLoading();
    if (!m_connectWaitsForRepository)
        startConnect();
}

void ConsoleSession::startConnect()
{
    m_connectWaitsForRepository = false;
    if (!m_target)
        return;
    if (m_repository)
        m_target->adoptVersionTable(m_repository->versionTable());
    m_controller.connectTo(*m_target, m_repository);
}

void ConsoleSession::cancelConnect()
{
    if (!m_connecting)
        return;
    m_connectWaitsForRepository = false;
    m_controller.cancelConnect(); // false while it still waits for the repository: nothing sent yet
    m_controller.disconnectFromDatabase();
    m_connecting = false;
    m_connection = ConnectionState();
    m_connection.target = m_target ? m_target->describe() : QString();
    m_connection.error = Error::database(tr("the connect was cancelled"));
    clearTargetState();
    Q_EMIT connectionChanged();
}

void ConsoleSession::disconnectFromDatabase()
{
    m_connectWaitsForRepository = false;
    m_controller.disconnectFromDatabase();
    m_connecting = false;
    m_connection = ConnectionState();
    clearTargetState(true); // a running audit or check's busy marks go too
    Q_EMIT connectionChanged();
}

void ConsoleSession::refresh()
{
    // Back from a lost connection (or without an audit yet): the audit and
    // checks follow the status, they are from before.
    startRefresh(isConnectionLost() || !m_audit);
}

void ConsoleSession::startRefresh(bool withAuditAndChecks)
{
    if (!isConnected() && !isConnectionLost())
        return;
    m_followUp = withAuditAndChecks;
    m_refreshJob = m_controller.refresh();
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
    WriteRequest request;
    request.transactionMode = mode;
    const ConnectionTarget target = m_target ? *m_target : ConnectionTarget();
    return GuardedWrite::renderOptions(target, request, m_status ? m_status->version : VersionState());
}

RenderedScript ConsoleSession::render(const MigrationPlan& plan, TransactionMode mode) const
{
    if (!graph())
        return {};
    return SqlScriptRenderer::render(plan, *graph(), renderOptions(mode));
}

void ConsoleSession::requestReview(const WriteRequest& request)
{
    if (!m_target || !m_status) {
        Q_EMIT errorOccurred(Error::database(tr("not connected")));
        return;
    }
    if (!m_repository) {
        Q_EMIT errorOccurred(
            Error::input(m_repositoryError.isEmpty() ? tr("no migration repository") : m_repositoryError));
        return;
    }
    m_controller.review(m_repository, *m_target, request);
}

void ConsoleSession::startWrite(const WriteReview& review, const WriteAnswers& answers)
{
    if (!m_repository)
        return;
    m_controller.write(m_repository, review, answers);
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

void ConsoleSession::requestRecoveryInspection()
{
    if (!isConnected() || !m_target || m_inspectingRecovery)
        return;
    if (m_loader.isLoading() || m_controller.isBusy() || m_followUp) {
        m_deferredRecovery = true; // a new job now would drop the running one's answer
        return;
    }
    m_deferredRecovery = false;
    if (!m_repository) {
        Q_EMIT recoveryFailed(
            Error::input(m_repositoryError.isEmpty() ? tr("no migration repository") : m_repositoryError));
        return;
    }
    m_inspectingRecovery = true;
    m_controller.inspectRecovery(m_repository, *m_target);
}

void ConsoleSession::startDeferredRecovery()
{
    if (!m_deferredRecovery)
        return;
    if (!isConnected()) { // lost meanwhile: say so rather than leave the tab waiting
        m_deferredRecovery = false;
        Q_EMIT recoveryFailed(Error::database(tr("not connected")));
        return;
    }
    requestRecoveryInspection();
}

void ConsoleSession::requestChecks()
{
    if (!m_status || !m_repository)
        return;
    m_controller.runChecks(m_repository->directory());
}

} // namespace dbops::ui
