#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace dbops {
class ProfileStore;
} // namespace dbops

namespace dbops::ui {

/// The profiles last connected to, most recent first: kept in the settings
/// (names only, never a password) and listed in Database > Recent.  Profiles
/// that no longer exist are left out, and forgotten when the store changes.
class RecentProfiles : public QObject
{
    Q_OBJECT
public:
    /// `store` must outlive this object; `menu` is filled at once.
    RecentProfiles(const ProfileStore& store, QMenu* menu, QObject* parent = nullptr);

    QMenu* menu() const { return m_menu; }
    /// The saved profiles of the menu, most recent first.
    QStringList profiles() const;
    /// Puts `name` first, in the settings and the menu.
    void remember(const QString& name);
    /// Drops the profiles that no longer exist from the settings and the menu.
    void forgetRemoved();

Q_SIGNALS:
    /// A profile was picked in the menu.
    void profileChosen(const QString& name);

private:
    void rebuildMenu();

    const ProfileStore& m_store;
    QMenu* m_menu = nullptr;
};

} // namespace dbops::ui
