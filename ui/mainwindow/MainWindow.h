#pragma once

#include "DatabaseStatusBar.h"
#include "GuardedWriteFlow.h"
#include "RecentProfiles.h"
#include "ReopenOffer.h"
#include "ViewMenu.h"
#include "connection/ProfileStore.h"

#include <QMainWindow>

class QAction;
class QDockWidget;
class QListWidget;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace dbops {
struct Error;
struct WriteReview;
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
    QMenu* viewMenu() const { return m_viewMenu->menu(); }
    QAction* resetLayoutAction() const { return m_viewMenu->resetLayoutAction(); }
    /// View ▸ Theme: System, Light, Dark (data: "system", "light", "dark").
    QList<QAction*> themeActions() const { return m_viewMenu->themeActions(); }
    /// Shown in the status bar while a connect is in progress, with Cancel.
    QWidget* connectProgress() const { return m_statusBar->connectProgress(); }
    QPushButton* cancelConnectButton() const { return m_statusBar->cancelConnectButton(); }
    QString statusText() const { return m_statusBar->text(); }
    /// Database > Recent: the last profiles connected to, most recent first.
    QMenu* recentMenu() const { return m_recent->menu(); }
    /// The saved profiles of the Recent menu, most recent first (names only:
    /// never a password).
    QStringList recentProfiles() const { return m_recent->profiles(); }
    /// At start (without -d/-p): connects to the last profile again, or, for
    /// a production profile, offers to in the status bar without connecting.
    void reopenLastProfile();
    /// The status bar's "Reconnect to production profile …?" offer.
    QWidget* reopenOffer() const { return m_reopenOffer; }
    QPushButton* reopenButton() const { return m_reopenOffer->reconnectButton(); }
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
    GuardedActionDialog* createGuardedDialog(const WriteReview& review)
    {
        return m_writes->createGuardedDialog(review);
    }
    /// The dialog that is open, if any.
    GuardedActionDialog* guardedDialog() const { return m_writes->guardedDialog(); }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void updateActions();
    void updateStatus();
    /// The audit greyed out with a notice while the connection is lost.
    void updateStaleViews();
    void updateQueryConsole();
    void showRevision(const QString& id);
    /// The SQL tab's default: the pending upgrade of the database (or why there is none).
    void showPendingUpgrade();
    void reloadHistory();
    /// Confirms where an export or a saved script went.
    void confirmWritten(const QString& what, const QString& path);
    /// The Recovery tab's report again (after the running job, if any).
    void inspectRecovery();
    void chooseRollbackTarget();
    void exportReport();
    void showError(const Error& error);
    void appendLog(const QString& line);
    /// Drops the profiles that no longer exist from the recent list and the offer.
    void forgetRemovedProfiles();
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
    DatabaseStatusBar* m_statusBar = nullptr;
    QDockWidget* m_profilesDock = nullptr;
    ViewMenu* m_viewMenu = nullptr;
    RecentProfiles* m_recent = nullptr;
    ReopenOffer* m_reopenOffer = nullptr;
    FinishedNotifier* m_notifier = nullptr;
    QAction* m_searchEverywhere = nullptr;
    SearchEverywherePopup* m_searchPopup = nullptr;
    QAction* m_connect = nullptr;
    QAction* m_disconnect = nullptr;
    QAction* m_refresh = nullptr;
    QAction* m_upgrade = nullptr;
    QAction* m_rollback = nullptr;
    QAction* m_stamp = nullptr;
    QAction* m_cancel = nullptr;
    GuardedWriteFlow* m_writes = nullptr;
    bool m_previewOutdated = false; ///< the hidden SQL tab still shows an older pending upgrade
    QString m_previewRevision; ///< the SQL tab shows this revision alone; empty: the pending upgrade
};

} // namespace dbops::ui
