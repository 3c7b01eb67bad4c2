#pragma once

#include "connection/ProfileStore.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QDockWidget;
class QLabel;
class QListWidget;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QToolBar;

namespace dbops {
struct RunEvent;
struct Error;
struct WriteOutcome;
struct WriteReview;
struct WriteRequest;
struct WriteAnswers;
enum class WriteAction;
} // namespace dbops

namespace dbops::ui {

class AuditPanel;
class ChecksPanel;
class FleetPanel;
class QueryConsoleWidget;
class RecoveryPanel;
class GuardedActionDialog;
class ConsoleSession;
class FinishedNotifier;
class ProfilesPanel;
class RevisionTimelineModel;
class RevisionTimelineView;
class RunProgressDialog;
class SearchEverywherePopup;
class SqlPreviewPanel;
struct SearchHit;

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
    FleetPanel* fleetPanel() const { return m_fleet; }
    RecoveryPanel* recoveryPanel() const { return m_recovery; }
    RevisionTimelineView* timelineView() const { return m_timeline; }
    SqlPreviewPanel* sqlPreview() const { return m_preview; }
    QPlainTextEdit* logView() const { return m_log; }
    QDockWidget* profilesDock() const { return m_profilesDock; }
    /// View: the docks and toolbar to show again, and Reset layout (other
    /// docks add their toggle actions here).
    QMenu* viewMenu() const { return m_viewMenu; }
    QAction* resetLayoutAction() const { return m_resetLayout; }
    /// View ▸ Theme: System, Light, Dark (data: "system", "light", "dark").
    QList<QAction*> themeActions() const { return m_themeActions; }
    /// Shown in the status bar while a connect is in progress, with Cancel.
    QWidget* connectProgress() const { return m_connectProgress; }
    QPushButton* cancelConnectButton() const { return m_cancelConnect; }
    QString statusText() const;
    /// Database > Recent: the last profiles connected to, most recent first.
    QMenu* recentMenu() const { return m_recentMenu; }
    /// The saved profiles of the Recent menu, most recent first (names only:
    /// never a password).
    QStringList recentProfiles() const;
    /// At start (without -d/-p): connects to the last profile again, or, for
    /// a production profile, offers to in the status bar without connecting.
    void reopenLastProfile();
    /// The status bar's "Reconnect to production profile …?" offer.
    QWidget* reopenOffer() const { return m_reopenOffer; }
    QPushButton* reopenButton() const { return m_reopenButton; }
    FinishedNotifier* finishedNotifier() const { return m_notifier; }
    /// Go > Search Everywhere (Ctrl+K): revisions, audit objects and SQL lines
    /// in one popup; Enter selects the hit in its tab.
    QAction* searchEverywhereAction() const { return m_searchEverywhere; }
    SearchEverywherePopup* searchPopup() const { return m_searchPopup; }
    void openSearchEverywhere();

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
    void createViewMenu(QToolBar* toolbar);
    /// Every dock and toolbar back where it is at first, shown.
    void resetLayout();
    void updateActions();
    void updateStatus();
    /// The status bar's connection line while the connection is lost.
    void updateLostStatus();
    /// The audit greyed out with a notice while the connection is lost.
    void updateStaleViews();
    void updateQueryConsole();
    void showRevision(const QString& id);
    /// The SQL tab's default: the pending upgrade of the database (or why there is none).
    void showPendingUpgrade();
    void reloadHistory();
    /// Confirms where an export or a saved script went.
    void confirmWritten(const QString& what, const QString& path);
    void requestWrite(WriteAction action, const QString& target);
    /// The Recovery tab's report again (after the running job, if any).
    void inspectRecovery();
    void openGuardedDialog(const WriteReview& review);
    void rehearse(const WriteRequest& request);
    void startWrite(const WriteReview& review, const WriteAnswers& answers);
    void chooseRollbackTarget();
    void exportReport();
    void onRunProgress(const RunEvent& event);
    void onWriteFinished(const WriteOutcome& outcome);
    void showError(const Error& error);
    void appendLog(const QString& line);
    void rememberProfile(const QString& name);
    /// Drops the profiles that no longer exist from the recent list.
    void forgetRemovedProfiles();
    void rebuildRecentMenu();
    void offerReopen(const QString& name);
    /// What Search Everywhere searches: the timeline's revisions, the Audit
    /// tab's report, the SQL tab's text.
    void updateSearchIndex();
    void openSearchHit(const SearchHit& hit);

    ConsoleSession* m_session = nullptr;
    ProfilesPanel* m_profiles = nullptr;
    QTabWidget* m_tabs = nullptr;
    AuditPanel* m_audit = nullptr;
    ChecksPanel* m_checks = nullptr;
    QueryConsoleWidget* m_query = nullptr;
    FleetPanel* m_fleet = nullptr;
    RecoveryPanel* m_recovery = nullptr;
    QString m_queryTargetKey; ///< what the query console is connected to
    QAction* m_export = nullptr;
    RevisionTimelineModel* m_timelineModel = nullptr;
    RevisionTimelineView* m_timeline = nullptr;
    SqlPreviewPanel* m_preview = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QLabel* m_serverLabel = nullptr;
    QLabel* m_revisionLabel = nullptr;
    QLabel* m_pendingLabel = nullptr;
    QWidget* m_connectProgress = nullptr;
    QPushButton* m_cancelConnect = nullptr;
    QDockWidget* m_profilesDock = nullptr;
    QMenu* m_viewMenu = nullptr;
    QList<QAction*> m_themeActions;
    QAction* m_resetLayout = nullptr;
    QMenu* m_recentMenu = nullptr;
    QWidget* m_reopenOffer = nullptr;
    QLabel* m_reopenLabel = nullptr;
    QPushButton* m_reopenButton = nullptr;
    QString m_offeredProfile; ///< the production profile the offer reconnects to
    FinishedNotifier* m_notifier = nullptr;
    QAction* m_searchEverywhere = nullptr;
    SearchEverywherePopup* m_searchPopup = nullptr;
    QByteArray m_defaultLayout; ///< saveState() before the saved layout was restored
    QAction* m_connect = nullptr;
    QAction* m_disconnect = nullptr;
    QAction* m_refresh = nullptr;
    QAction* m_upgrade = nullptr;
    QAction* m_rollback = nullptr;
    QAction* m_stamp = nullptr;
    QAction* m_cancel = nullptr;
    QPointer<RunProgressDialog> m_progress;
    QPointer<GuardedActionDialog> m_dialog;
    int m_rehearsalJob = 0; ///< the rehearsal the dialog asked for, while it runs
    QString m_runningAction;
    bool m_previewOutdated = false; ///< the hidden SQL tab still shows an older pending upgrade
    QString m_previewRevision; ///< the SQL tab shows this revision alone; empty: the pending upgrade
};

} // namespace dbops::ui
