#include "ThemedIcons.h"

#include "IconSet.h"

#include <QAbstractButton>
#include <QAction>
#include <QEvent>
#include <QWidget>

namespace dbops::ui {

ThemedIcons::ThemedIcons(QWidget* owner)
    : QObject(owner)
    , m_owner(owner)
{
    owner->installEventFilter(this);
}

void ThemedIcons::set(QAction* action, const QString& name)
{
    m_actions.append({ action, name });
    action->setIcon(IconSet::icon(name, m_owner->palette()));
}

void ThemedIcons::set(QAbstractButton* button, const QString& name)
{
    m_buttons.append({ button, name });
    button->setIcon(IconSet::icon(name, m_owner->palette()));
}

bool ThemedIcons::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_owner
        && (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange))
        refresh();
    return QObject::eventFilter(watched, event);
}

void ThemedIcons::refresh()
{
    const QPalette palette = m_owner->palette();
    for (const auto& [action, name] : std::as_const(m_actions)) {
        if (action)
            action->setIcon(IconSet::icon(name, palette));
    }
    for (const auto& [button, name] : std::as_const(m_buttons)) {
        if (button)
            button->setIcon(IconSet::icon(name, palette));
    }
}

} // namespace dbops::ui
