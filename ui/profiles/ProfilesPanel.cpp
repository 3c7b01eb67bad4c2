#include "ProfilesPanel.h"

#include "IconSet.h"
#include "ProfileDialog.h"
#include "ThemedIcons.h"
#include "connection/PasswordStore.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace dbops::ui {

namespace {

// The project's own database glyph, in the palette's text colour: a red
// warning triangle for production, an eye for read-only (look, do not
// touch): shape, not only colour, so the mark reads without colour too.
QIcon profileIcon(const ConnectionProfile& p, const QWidget* widget)
{
    const QString name = p.production ? QStringLiteral("database-production")
        : p.readOnly                  ? QStringLiteral("database-readonly")
                                      : QStringLiteral("database");
    return IconSet::icon(name, widget->palette());
}

} // namespace

ProfilesPanel::ProfilesPanel(ProfileStore store, QWidget* parent)
    : QWidget(parent)
    , m_store(std::move(store))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_list = new QListWidget;
    m_list->setAccessibleName(tr("Connection profiles"));
    m_list->setIconSize(QSize(16, 16));
    layout->addWidget(m_list, 1);

    auto* row = new QHBoxLayout;
    auto* icons = new ThemedIcons(this);
    auto addButton = [&](const QString& text, const QString& tip, const QString& icon) {
        auto* b = new QToolButton;
        b->setText(text);
        b->setToolTip(tip);
        icons->set(b, icon);
        b->setToolButtonStyle(Qt::ToolButtonIconOnly);
        b->setAccessibleName(text);
        row->addWidget(b);
        return b;
    };
    auto* add = addButton(tr("New"), tr("New profile"), QStringLiteral("new"));
    auto* edit = addButton(tr("Edit"), tr("Edit the selected profile"), QStringLiteral("edit"));
    auto* duplicate
        = addButton(tr("Duplicate"), tr("Duplicate the selected profile"), QStringLiteral("duplicate"));
    auto* remove = addButton(
        tr("Delete"), tr("Delete the selected profile and its keychain entry"), QStringLiteral("delete"));
    row->addStretch();
    layout->addLayout(row);
    m_connect = new QPushButton(tr("&Connect"));
    icons->set(m_connect, QStringLiteral("connect"));
    m_connect->setToolTip(tr("Connect to the selected profile"));
    layout->addWidget(m_connect);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAccessibleName(tr("Profile status"));
    layout->addWidget(m_status);

    connect(add, &QToolButton::clicked, this, [this] { editProfile(ConnectionProfile(), true); });
    connect(edit, &QToolButton::clicked, this, [this] {
        if (Result<ConnectionProfile> p = m_store.profile(selectedProfile()))
            editProfile(*p, false);
    });
    connect(duplicate, &QToolButton::clicked, this, [this] {
        if (Result<ConnectionProfile> p = m_store.profile(selectedProfile())) {
            ConnectionProfile copy = *p;
            copy.name = tr("%1 (copy)").arg(copy.name);
            editProfile(copy, true);
        }
    });
    connect(remove, &QToolButton::clicked, this, [this] {
        const QString name = selectedProfile();
        if (name.isEmpty())
            return;
        // open(), not exec(): no local event loop on the GUI thread.
        auto* question = new QMessageBox(QMessageBox::Question, tr("Delete profile"),
            tr("Delete profile “%1”?").arg(name), QMessageBox::Yes | QMessageBox::No, this);
        question->setAttribute(Qt::WA_DeleteOnClose);
        connect(question, &QMessageBox::finished, this, [this, name](int answer) {
            if (answer == QMessageBox::Yes)
                deleteProfile(name);
        });
        question->open();
    });
    connect(m_connect, &QPushButton::clicked, this, [this] {
        if (!selectedProfile().isEmpty())
            Q_EMIT connectRequested(selectedProfile());
    });
    connect(m_list, &QListWidget::itemDoubleClicked, this,
        [this](QListWidgetItem* item) { Q_EMIT connectRequested(item->data(Qt::UserRole).toString()); });
    reload();
}

void ProfilesPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    // The profile glyphs are drawn in the palette's text colour.
    if (event->type() == QEvent::PaletteChange)
        reload();
}

void ProfilesPanel::reload()
{
    const QString selected = selectedProfile();
    m_list->clear();
    const QList<ConnectionProfile> profiles = m_store.profiles();
    for (const ConnectionProfile& p : profiles) {
        auto* item = new QListWidgetItem(profileIcon(p, this), p.name, m_list);
        item->setData(Qt::UserRole, p.name);
        QStringList flags;
        if (p.production)
            flags.append(tr("production"));
        if (p.readOnly)
            flags.append(tr("read-only"));
        const Result<ConnectionSettings> s = p.toSettings();
        item->setToolTip(QStringLiteral("%1%2").arg(s ? s->describe() : p.host,
            flags.isEmpty() ? QString()
                            : QStringLiteral(" (") + flags.join(QStringLiteral(", ")) + QLatin1Char(')')));
        if (p.name == m_connected) {
            // Bold and said in words: the mark reads without colour and to a screen reader.
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
            item->setText(tr("%1 (connected)").arg(p.name));
            item->setToolTip(tr("Connected: %1").arg(item->toolTip()));
        }
        item->setData(Qt::AccessibleDescriptionRole, item->toolTip());
    }
    if (!selected.isEmpty())
        selectProfile(selected);
    else if (m_list->count() > 0)
        m_list->setCurrentRow(0);
}

QString ProfilesPanel::selectedProfile() const
{
    const QListWidgetItem* item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void ProfilesPanel::selectProfile(const QString& name)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(Qt::UserRole).toString() == name)
            m_list->setCurrentRow(i);
    }
}

void ProfilesPanel::setConnectedProfile(const QString& name)
{
    if (name == m_connected)
        return;
    m_connected = name;
    reload();
}

void ProfilesPanel::showStatus(const QString& text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #b26a00;") : QString());
}

void ProfilesPanel::warn(const QString& title, const QString& text)
{
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void ProfilesPanel::deleteProfile(const QString& name)
{
    ConnectionProfile p;
    p.name = name;
    m_store.remove(name);
    reload();
    Q_EMIT profilesChanged();
    const int request = ++m_keychainRequest;
    showStatus(tr("Profile “%1” deleted; removing its password from the keychain…").arg(name));
    PasswordStore::removeAsync(
        p.keychainKey(), this, [this, name, request](const std::optional<Error>& error) {
            if (request == m_keychainRequest) {
                // Often just an unavailable keychain, which holds nothing to remove:
                // worth a status line, not a box.
                if (error)
                    showStatus(tr("Profile “%1” deleted; its keychain entry was not removed: %2")
                                   .arg(name, error->message),
                        true);
                else
                    showStatus(tr("Profile “%1” deleted.").arg(name));
            }
            Q_EMIT keychainAnswered(name, !error);
        });
}

void ProfilesPanel::savePassword(const ConnectionProfile& profile, const QString& password)
{
    if (password.isEmpty()) {
        ++m_keychainRequest; // an older answer must not overwrite this status
        showStatus(tr("Profile “%1” saved.").arg(profile.name));
        return;
    }
    const int request = ++m_keychainRequest;
    const QString name = profile.name;
    showStatus(tr("Profile “%1” saved; storing its password in the keychain…").arg(name));
    PasswordStore::writeAsync(
        profile.keychainKey(), password, this, [this, name, request](const std::optional<Error>& error) {
            if (request == m_keychainRequest) {
                if (error)
                    showStatus(tr("Profile “%1” saved without its password, which was not stored: %2")
                                   .arg(name, error->message),
                        true);
                else
                    showStatus(tr("Profile “%1” saved; its password is in the keychain.").arg(name));
            }
            Q_EMIT keychainAnswered(name, !error);
        });
}

void ProfilesPanel::editProfile(const ConnectionProfile& profile, bool isNew)
{
    // Window-modal through open(), not exec(): the GUI thread keeps its one
    // event loop, and the dialog (with a connection test it may be running)
    // goes away as soon as it closes.
    auto* dialog = new ProfileDialog(profile, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog, profile, isNew](int result) {
        if (result == QDialog::Accepted)
            saveEdited(profile, isNew, dialog->profile(), dialog->password());
    });
    dialog->open();
}

void ProfilesPanel::saveEdited(
    const ConnectionProfile& original, bool isNew, const ConnectionProfile& edited, const QString& password)
{
    if (isNew && m_store.contains(edited.name)) {
        warn(tr("Profile exists"), tr("A profile named “%1” exists already.").arg(edited.name));
        return;
    }
    if (auto error = m_store.save(edited)) {
        warn(tr("Cannot save the profile"), error->toString());
        return;
    }
    if (!isNew && edited.name != original.name)
        m_store.remove(original.name);
    // The profile file is written; the password follows when the keychain answers.
    savePassword(edited, password);
    reload();
    selectProfile(edited.name);
    Q_EMIT profilesChanged();
}

} // namespace dbops::ui
