#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;
class QToolBar;

namespace dbops::ui {

/// The main window's View menu: the profiles dock and the toolbar to show
/// again, the theme (System, Light, Dark; kept in the settings, applied at
/// once), and Reset layout.  Other docks add their toggle actions to menu().
class ViewMenu : public QObject
{
    Q_OBJECT
public:
    /// Adds the menu to `window`'s menu bar and applies the saved theme.
    ViewMenu(QMainWindow* window, QDockWidget* profilesDock, QToolBar* toolbar);

    QMenu* menu() const { return m_menu; }
    /// data: "system", "light", "dark".
    QList<QAction*> themeActions() const { return m_themeActions; }
    QAction* resetLayoutAction() const { return m_resetLayout; }
    /// What Reset layout restores: the window's state before the saved one.
    void setDefaultLayout(const QByteArray& state) { m_defaultLayout = state; }

private:
    /// Every dock and toolbar back where it is at first, shown.
    void resetLayout();

    QMainWindow* m_window = nullptr;
    QMenu* m_menu = nullptr;
    QList<QAction*> m_themeActions;
    QAction* m_resetLayout = nullptr;
    QByteArray m_defaultLayout;
};

} // namespace dbops::ui
