#include "RecentProfiles.h"

#include "connection/ProfileStore.h"

#include <QAction>
#include <QMenu>
#include <QSettings>
#include <algorithm>

namespace dbops::ui {

namespace {

QString recentProfilesKey()
{
    return QStringLiteral("profiles/recent");
}

constexpr int recentProfilesShown = 5;

} // namespace

RecentProfiles::RecentProfiles(const ProfileStore& store, QMenu* menu, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_menu(menu)
{
    m_menu->setToolTipsVisible(true);
    rebuildMenu();
}

QStringList RecentProfiles::profiles() const
{
    QStringList shown;
    const QStringList remembered = QSettings().value(recentProfilesKey()).toStringList();
    for (const QString& name : remembered) {
        if (shown.size() < recentProfilesShown && m_store.contains(name) && !shown.contains(name))
            shown.append(name);
    }
    return shown;
}

void RecentProfiles::remember(const QString& name)
{
    QSettings settings;
    QStringList recent = settings.value(recentProfilesKey()).toStringList();
    recent.removeAll(name);
    recent.prepend(name);
    // Names only; a few more than shown, so that deleting one does not shorten the menu.
    while (recent.size() > 2 * recentProfilesShown)
        recent.removeLast();
    settings.setValue(recentProfilesKey(), recent);
    rebuildMenu();
}

void RecentProfiles::forgetRemoved()
{
    QSettings settings;
    QStringList recent = settings.value(recentProfilesKey()).toStringList();
    const QStringList before = recent;
    recent.erase(std::remove_if(recent.begin(), recent.end(),
                     [this](const QString& name) { return !m_store.contains(name); }),
        recent.end());
    if (recent != before)
        settings.setValue(recentProfilesKey(), recent);
    rebuildMenu();
}

void RecentProfiles::rebuildMenu()
{
    m_menu->clear();
    const QStringList recent = profiles();
    for (const QString& name : recent) {
        QAction* action = m_menu->addAction(name);
        action->setData(name);
        if (Result<ConnectionProfile> profile = m_store.profile(name); profile && profile->production)
            action->setToolTip(tr("Production profile"));
        connect(action, &QAction::triggered, this, [this, name] {
            const QString chosen = name; // a copy: connecting rebuilds the menu, deleting this action
            Q_EMIT profileChosen(chosen);
        });
    }
    m_menu->setEnabled(!recent.isEmpty());
}

} // namespace dbops::ui
