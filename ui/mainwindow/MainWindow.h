#pragma once

#include "connection/ProfileStore.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QTabWidget;

namespace dbops {
struct RunEvent;
struct Error;
struct WriteOutcome;
struct WriteReview;
struct WriteAnswers;
enum class WriteAction;
} // namespace dbops

namespace dbops::ui {

class AuditPanel;
class ChecksPanel;
class GuardedActionDialog;
class ConsoleSession;
class ProfilesPanel;
class RevisionTimelineModel;
class RevisionTimelineView;
class RunProgressDialog;
class SqlPreviewPanel;

/// The console's main window: profiles on the left; Audit, Timeline, SQL,
/// Checks and Log tabs in the centre; guarded actions in the toolbar, enabled
/// only when they make sense; where the database stands in the status bar.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(
        const QString& migrationsDirectory, ProfileStore store = ProfileStore(), QWidget* parent = nullptr);
    ~MainWindow() override;

    ConsoleSession* session() const { return m_session; }
    ProfilesPanel* profilesPanel() const { return m_profiles; }
    QTabWidget* tabs() const { return m_tabs; }
    QAction* upgradeAction() const { return m_upgrade; }
    QAction* rollbackAction() const { return m_rollback; }
    QAction* stampAction() const { return m_stamp; }
    QAction* refreshAction() const { return m_refresh; }
    QAction* connectAction() const { return m_connect; }
    QAction* disconnectAction() const { return m_disconnect; }
    AuditPanel* auditPanel() const { return m_audit; }
    ChecksPanel* checksPanel() const { return m_checks; }
    RevisionTimelineView* timelineView() const { return m_timeline; }
    SqlPreviewPanel* sqlPreview() const { return m_preview; }
    QString statusText() const;

    /// Connects to a saved profile (what the Connect button does).
    void connectToProfile(const QString& name);
    /// Connects to a URL or libpq keyword string, without a profile.
    void connectToUrl(const QString& url);
    /// Asks the core for a review of an upgrade to `target` ("head" by
    /// default); the guarded dialog opens (window-modal) when it arrives.
    void requestUpgrade(const QString& target = QStringLiteral("head"));
    void requestRollback(const QString& target);
    void requestStamp(const QString& target);
    void requestFix(const QString& fixName);
    /// The dialog for a review, not shown (tests, screenshots).
    GuardedActionDialog* createGuardedDialog(const WriteReview& review);
    /// The dialog that is open, if any.
    GuardedActionDialog* guardedDialog() const;

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void updateActions();
    void updateStatus();
    void showRevision(const QString& id);
    void showPendingUpgrade();
    void reloadHistory();
    void requestWrite(WriteAction action, const QString& target);
    void openGuardedDialog(const WriteReview& review);
    void startWrite(const WriteReview& review, const WriteAnswers& answers);
    void chooseRollbackTarget();
    void exportReport();
    void onRunProgress(const RunEvent& event);
    void onWriteFinished(const WriteOutcome& outcome);
    void showError(const Error& error);
    void appendLog(const QString& line);

    ConsoleSession* m_session = nullptr;
    ProfilesPanel* m_profiles = nullptr;
    QTabWidget* m_tabs = nullptr;
    AuditPanel* m_audit = nullptr;
    ChecksPanel* m_checks = nullptr;
    QAction* m_export = nullptr;
    RevisionTimelineModel* m_timelineModel = nullptr;
    RevisionTimelineView* m_timeline = nullptr;
    SqlPreviewPanel* m_preview = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QLabel* m_serverLabel = nullptr;
    QLabel* m_revisionLabel = nullptr;
    QLabel* m_pendingLabel = nullptr;
    QAction* m_connect = nullptr;
    QAction* m_disconnect = nullptr;
    QAction* m_refresh = nullptr;
    QAction* m_upgrade = nullptr;
    QAction* m_rollback = nullptr;
    QAction* m_stamp = nullptr;
    QAction* m_cancel = nullptr;
    QPointer<RunProgressDialog> m_progress;
    QPointer<GuardedActionDialog> m_dialog;
    QString m_runningAction;
    bool m_previewOutdated = false; ///< the hidden SQL tab still shows an older pending upgrade
};

} // namespace dbops::ui
