#pragma once

#include "connection/ProfileStore.h"

#include <QWidget>

class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace dbops::ui {

/// The profile list on the left: production profiles marked in their colour,
/// read-only ones with a lock; buttons to create, edit, duplicate, delete and
/// connect.
class ProfilesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ProfilesPanel(ProfileStore store, QWidget* parent = nullptr);

    void reload();
    QString selectedProfile() const;
    void selectProfile(const QString& name);
    const ProfileStore& store() const { return m_store; }
    QListWidget* list() const { return m_list; }

Q_SIGNALS:
    void connectRequested(const QString& profileName);
    void profilesChanged();

private:
    void editProfile(const ConnectionProfile& profile, bool isNew);
    void savePassword(const ConnectionProfile& profile, const QString& password);

    ProfileStore m_store;
    QListWidget* m_list = nullptr;
    QPushButton* m_connect = nullptr;
};

} // namespace dbops::ui
