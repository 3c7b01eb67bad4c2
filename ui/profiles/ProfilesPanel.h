#pragma once

#include "connection/ProfileStore.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace dbops::ui {

/// The profile list on the left: production profiles marked in their colour,
/// read-only ones with a lock; buttons to create, edit, duplicate, delete and
/// connect.  Nothing here waits: the profile dialog and questions are
/// window-modal without a local event loop, and passwords go to the keychain
/// asynchronously while the status line says so.
class ProfilesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ProfilesPanel(ProfileStore store, QWidget* parent = nullptr);

    void reload();
    QString selectedProfile() const;
    void selectProfile(const QString& name);
    /// Marks the profile the console is connected to (bold, "(connected)");
    /// an empty name: none.
    void setConnectedProfile(const QString& name);
    QString connectedProfile() const { return m_connected; }
    const ProfileStore& store() const { return m_store; }
    QListWidget* list() const { return m_list; }
    /// What the last save or delete did, including the keychain's answer.
    QLabel* statusLabel() const { return m_status; }

Q_SIGNALS:
    void connectRequested(const QString& profileName);
    void profilesChanged();
    /// The keychain answered a password write or removal for a profile
    /// (ok: stored or removed; otherwise the status line says why not).
    void keychainAnswered(const QString& profileName, bool ok);

protected:
    void changeEvent(QEvent* event) override;

private:
    void editProfile(const ConnectionProfile& profile, bool isNew);
    void saveEdited(const ConnectionProfile& original, bool isNew, const ConnectionProfile& edited,
        const QString& password);
    void deleteProfile(const QString& name);
    void savePassword(const ConnectionProfile& profile, const QString& password);
    void showStatus(const QString& text, bool problem = false);
    void warn(const QString& title, const QString& text);

    ProfileStore m_store;
    QListWidget* m_list = nullptr;
    QPushButton* m_connect = nullptr;
    QLabel* m_status = nullptr;
    QString m_connected; ///< the profile the console is connected to
    int m_keychainRequest = 0; ///< the latest keychain request; older answers leave the status alone
};

} // namespace dbops::ui
