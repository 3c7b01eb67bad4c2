#pragma once

#include <QObject>
#include <QPointer>

class QSystemTrayIcon;
class QWidget;

namespace dbops::ui {

/// Tells the user that a run or an audit finished while the console's window
/// was in the background: a desktop notification through the system tray
/// where there is one, otherwise the window asks for attention (the task bar
/// entry flashes).  Nothing happens while the window is the active one: the
/// user sees the result there.
class FinishedNotifier : public QObject
{
    Q_OBJECT
public:
    enum class Delivery
    {
        None,
        TrayMessage,
        WindowAlert
    };

    explicit FinishedNotifier(QWidget* window);

    /// What was done with the message (None while the window is active).
    Delivery notify(const QString& title, const QString& message);

private:
    QPointer<QWidget> m_window;
    QSystemTrayIcon* m_tray = nullptr; ///< created on the first message
};

} // namespace dbops::ui
