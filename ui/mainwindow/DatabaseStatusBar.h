#pragma once

#include <QObject>

class QLabel;
class QMainWindow;
class QPushButton;
class QWidget;

namespace dbops::ui {

class ConsoleSession;

/// Where the database stands, in the main window's status bar and title: the
/// server line (or why there is none, or that the connection was lost), the
/// revision, the pending count with what `dbops verify` finds; while a
/// connect is in progress, a busy bar with Cancel.
class DatabaseStatusBar : public QObject
{
    Q_OBJECT
public:
    DatabaseStatusBar(QMainWindow* window, ConsoleSession* session);

    /// Shows the session as it is now.
    void update();
    /// The status bar's lines, one after the other.
    QString text() const;
    QWidget* connectProgress() const { return m_connectProgress; }
    QPushButton* cancelConnectButton() const { return m_cancelConnect; }

Q_SIGNALS:
    /// What verify finds in the status just shown (empty: nothing).
    void verifyWarningShown(const QString& warning);

private:
    /// The connection line while the connection is lost.
    void updateLost();

    QMainWindow* m_window = nullptr;
    ConsoleSession* m_session = nullptr;
    QLabel* m_serverLabel = nullptr;
    QLabel* m_revisionLabel = nullptr;
    QLabel* m_pendingLabel = nullptr;
    QWidget* m_connectProgress = nullptr;
    QPushButton* m_cancelConnect = nullptr;
};

} // namespace dbops::ui
