#include "ViewMenu.h"

#include "ThemePalette.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>

namespace dbops::ui {

ViewMenu::ViewMenu(QMainWindow* window, QDockWidget* profilesDock, QToolBar* toolbar)
    : QObject(window)
    , m_window(window)
{
    m_menu = window->menuBar()->addMenu(tr("&View"));
    QAction* profiles = profilesDock->toggleViewAction();
    profiles->setText(tr("&Profiles"));
    profiles->setStatusTip(tr("Show or hide the connection profiles"));
    m_menu->addAction(profiles);
    QAction* actions = toolbar->toggleViewAction();
    actions->setText(tr("&Toolbar"));
    m_menu->addAction(actions);
    m_menu->addSeparator();
    // Light, dark or the desktop's: kept in the settings, applied at once.
    QMenu* themes = m_menu->addMenu(tr("T&heme"));
    auto* themeGroup = new QActionGroup(this);
    const ThemePalette::Theme saved = ThemePalette::saved();
    for (const auto& [theme, text] : { std::pair { ThemePalette::Theme::System, tr("&System") },
             std::pair { ThemePalette::Theme::Light, tr("&Light") },
             std::pair { ThemePalette::Theme::Dark, tr("&Dark") } }) {
        QAction* action = themes->addAction(text);
        action->setCheckable(true);
        action->setChecked(theme == saved);
        action->setData(ThemePalette::key(theme));
        themeGroup->addAction(action);
        m_themeActions.append(action);
        connect(action, &QAction::triggered, this, [theme = theme] {
            ThemePalette::save(theme);
            ThemePalette::apply(theme);
        });
    }
    ThemePalette::rememberSystemPalette();
    if (saved != ThemePalette::Theme::System)
        ThemePalette::apply(saved);
    m_menu->addSeparator();
    m_resetLayout = m_menu->addAction(tr("&Reset layout"), this, &ViewMenu::resetLayout);
    m_resetLayout->setStatusTip(tr("Every panel and toolbar back where it was at first"));
}

void ViewMenu::resetLayout()
{
    m_window->restoreState(m_defaultLayout);
    // Docks added after the default was taken are not in it: dock them and show them too.
    for (QDockWidget* dock : m_window->findChildren<QDockWidget*>()) {
        dock->setFloating(false);
        dock->show();
    }
    for (QToolBar* bar : m_window->findChildren<QToolBar*>(QString(), Qt::FindDirectChildrenOnly))
        bar->show();
}

} // namespace dbops::ui
