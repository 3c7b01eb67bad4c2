#include "FinishedNotifier.h"

#include <QApplication>
#include <QSystemTrayIcon>
#include <QWidget>

namespace dbops::ui {

FinishedNotifier::FinishedNotifier(QWidget* window)
    : QObject(window)
    , m_window(window)
{ }

FinishedNotifier::Delivery FinishedNotifier::notify(const QString& title, const QString& message)
{
    if (!m_window || m_window->isActiveWindow())
        return Delivery::None;
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!m_tray) {
            // A tray icon must be visible for its message to show; it stays
            // while the window lives, so later messages come from the same one.
            m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
            m_tray->setToolTip(QApplication::applicationDisplayName());
            connect(m_tray, &QSystemTrayIcon::messageClicked, m_window.data(), [window = m_window] {
                if (window) {
                    window->showNormal();
                    window->raise();
                    window->activateWindow();
                }
            });
        }
        m_tray->show();
        m_tray->showMessage(title, message, QSystemTrayIcon::Information);
        return Delivery::TrayMessage;
    }
    QApplication::alert(m_window);
    return Delivery::WindowAlert;
}

} // namespace dbops::ui
