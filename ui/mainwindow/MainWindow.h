#pragma once

#include "connection/ProfileStore.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QTabWidget;
class QTreeWidget;

namespace dbops {
struct RunEvent;
struct RunResult;
struct Error;
}

namespace dbops::ui {

class ConsoleSession;
class ProfilesPanel;
class RunProgressDialog;

/// The console's main window: profiles on the left; Audit, Timeline, SQL,
/// Checks and Log tabs in the centre; guarded actions in the toolbar, enabled
/// only when they make sense; where the database stands in the status bar.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const QString& migrationsDirectory, ProfileStore store = ProfileStore(), QWidget* parent = nullptr);
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
    QTreeWidget* historyView() const { return m_history; }
    QPlainTextEdit* sqlPreview() const { return m_preview; }
    QString statusText() const;

    /// Connects to a saved profile (what the Connect button does).
    void connectToProfile(const QString& name);
    /// Connects to a URL or libpq keyword string, without a profile.
    void connectToUrl(const QString& url);
    /// Opens the guarded dialog for an upgrade to `target` ("head" by default).
    void requestUpgrade(const QString& target = QStringLiteral("head"));
    void requestRollback(const QString& target);
    void requestStamp(const QString& target);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void updateActions();
    void updateStatus();
    void showRevision(const QString& id);
    void reloadHistory();
    void startGuardedRun(const QString& action, const QString& target);
    void onRunProgress(const RunEvent& event);
    void onRunFinished(const RunResult& result);
    void showError(const Error& error);
    void appendLog(const QString& line);

    ConsoleSession* m_session = nullptr;
    ProfilesPanel* m_profiles = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTreeWidget* m_history = nullptr;
    QPlainTextEdit* m_preview = nullptr;
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
    QString m_runningAction;
};

} // namespace dbops::ui
