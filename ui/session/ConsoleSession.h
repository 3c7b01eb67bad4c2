#pragma once

#include "common/Result.h"
#include "connection/ConnectionTarget.h"
#include "migrations/MigrationRepository.h"
#include "render/SqlScriptRenderer.h"
#include "worker/DatabaseController.h"
#include "worker/RepositoryLoader.h"

#include <QObject>
#include <memory>
#include <optional>

namespace dbops::ui {

/// The console's state, shared by its panels: the migration repository, the
/// chosen profile, the connection and where the database stands, and whether
/// a run is active.  Every database call goes through the DatabaseController
/// (worker thread); this object only keeps the answers.
class ConsoleSession : public QObject
{
    Q_OBJECT
public:
    explicit ConsoleSession(QObject* parent = nullptr);
    ~ConsoleSession() override;

    // Repository: loaded in a thread of its own (RepositoryLoader), so the
    // window appears at once; repositoryChanged() when it is there.
    void loadRepository(const QString& directory);
    bool isRepositoryLoading() const { return m_loader.isLoading(); }
    const MigrationRepository* repository() const { return m_repository.get(); }
    /// The same repository, for whoever must keep it alive (a dialog's render callbacks).
    std::shared_ptr<const MigrationRepository> sharedRepository() const { return m_repository; }
    const RevisionGraph* graph() const { return m_repository ? &m_repository->graph() : nullptr; }
    QString repositoryError() const { return m_repositoryError; }

    // Connection
    /// Connects to a profile (or, without one, to settings from a URL).  A
    /// profile's password is read from the keychain by the database worker:
    /// `target` comes from ConnectionTarget::locate(), without it.
    /// What belonged to the previous target (its status, audit and checks)
    /// is cleared at once: a connect that fails shows nothing of it.
    void connectTo(const ConnectionTarget& target);
    /// Gives up the connect in progress (the window is free at once).
    void cancelConnect();
    void disconnectFromDatabase();
    /// Re-reads where the database stands, then the audit and checks; after
    /// a lost connection the worker reconnects first.
    void refresh();
    /// Connected, and where the database stands is known.
    bool isConnected() const { return m_connection.isConnected() && m_status.has_value(); }
    bool isConnecting() const { return m_connecting; }
    /// The connection was lost and the worker is reconnecting: status() is
    /// the last one known, the audit and checks are from before.
    bool isConnectionLost() const { return m_connection.isLost(); }
    const ConnectionState& connectionState() const { return m_connection; }
    const std::optional<ConnectionTarget>& target() const { return m_target; }
    const std::optional<DatabaseStatus>& status() const { return m_status; }
    QStringList currentHeads() const { return m_status ? m_status->version.revisions : QStringList(); }
    DatabaseController* controller() { return &m_controller; }

    // What makes sense now
    bool isBusy() const { return m_controller.isBusy(); }
    bool isReadOnly() const { return m_target && m_target->isReadOnly(); }
    bool canWrite() const { return isConnected() && !isBusy() && !isReadOnly() && graph(); }
    /// Revisions the database is behind the head(s); -1 when unknown.
    int pendingCount() const;
    bool canUpgrade() const { return canWrite() && pendingCount() > 0; }
    bool canRollback() const { return canWrite() && !currentHeads().isEmpty() && pendingCount() >= 0; }
    bool canStamp() const { return canWrite(); }

    // Plans and SQL: the one renderer, with this target's run settings
    Result<MigrationPlan> planUpgrade(const QString& target) const;
    Result<MigrationPlan> planDowngrade(const QString& target) const;
    SqlScriptRenderer::Options renderOptions(TransactionMode mode = TransactionMode::All) const;
    RenderedScript render(const MigrationPlan& plan, TransactionMode mode = TransactionMode::All) const;

    /// Every write goes through the core's one guarded path: first a review
    /// in the worker (reviewReady(), or errorOccurred()) ...
    void requestReview(const WriteRequest& request);
    /// ... then the write with the answers the dialog collected (runProgress(),
    /// then writeFinished()); the core refuses exactly as the CLI would.
    void startWrite(const WriteReview& review, const WriteAnswers& answers);

    // Audit and checks, in the worker; after connecting and after every run
    // the session refreshes status, then the audit against head, then the checks.
    void requestAudit(const QString& target = QStringLiteral("heads"));
    void requestChecks();
    const std::optional<AuditReport>& auditReport() const { return m_audit; }
    /// The report grouped for the audit tree (built by the worker).
    const AuditOutline& auditOutline() const { return m_auditOutline; }
    const AuditSubject& auditSubject() const { return m_auditSubject; }
    const std::optional<CheckReport>& checkReport() const { return m_checks; }
    const QList<FixDefinition>& fixes() const { return m_fixes; }

    /// What state the database is in after a failed or interrupted run
    /// (RecoveryInspector, read-only, in the worker): recoveryChanged() or
    /// recoveryFailed().  Asked for while another job runs (or the
    /// status/audit/checks chain after a write), it starts when they are done.
    void requestRecoveryInspection();
    const std::optional<RecoveryReport>& recoveryReport() const { return m_recovery; }

Q_SIGNALS:
    void repositoryChanged();
    void connectionChanged(); ///< connected, disconnected, lost, reconnected or target changed
    /// The server went away (a failed query or the keepalive noticed it).
    void connectionLost(const dbops::Error& why);
    /// Back after a lost connection; a refresh (status, audit, checks) follows.
    void reconnected();
    void statusChanged(); ///< where the database stands changed
    void busyChanged(bool busy);
    void errorOccurred(const dbops::Error& error);
    void runProgress(const dbops::RunEvent& event);
    void reviewReady(const dbops::WriteReview& review);
    void writeFinished(const dbops::WriteOutcome& outcome);
    void auditChanged();
    void checksChanged();
    void recoveryChanged(); ///< a new report, or none (disconnected, another target)
    void recoveryFailed(const dbops::Error& error);

private:
    void onRepositoryLoaded(const LoadedRepository& loaded);
    /// An audit asked for while the repository was loading or the worker busy.
    void startDeferredAudit();
    /// An inspection asked for while the worker was busy, once it is idle.
    void startDeferredRecovery();
    /// Connects to m_target with the repository's version table adopted.
    void startConnect();
    void onConnectionStateChanged(const ConnectionState& state);
    /// Re-reads the status; then the audit and checks when asked.
    void startRefresh(bool withAuditAndChecks);
    /// Forgets the status, audit and checks of the target left.
    void clearTargetState(bool announceAll = false);

    DatabaseController m_controller;
    RepositoryLoader m_loader;
    std::shared_ptr<const MigrationRepository> m_repository;
    std::optional<QString> m_deferredAudit; ///< its target
    QString m_repositoryError;
    std::optional<ConnectionTarget> m_target;
    std::optional<DatabaseStatus> m_status;
    bool m_connecting = false;
    ConnectionState m_connection;
    bool m_refreshWhenIdle = false; ///< reconnected while a job ran: refresh after it
    int m_refreshJob = 0;
    bool m_connectWaitsForRepository = false; ///< the version table may come from it
    bool m_followUp = false; ///< status -> audit -> checks chain in progress
    std::optional<AuditReport> m_audit;
    AuditOutline m_auditOutline;
    AuditSubject m_auditSubject;
    std::optional<CheckReport> m_checks;
    QList<FixDefinition> m_fixes;
    std::optional<RecoveryReport> m_recovery;
    bool m_deferredRecovery = false;
    bool m_inspectingRecovery = false; ///< the worker's current job is the inspection
};

} // namespace dbops::ui
