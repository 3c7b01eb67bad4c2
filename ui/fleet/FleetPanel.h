#pragma once

#include "common/Error.h"
#include "connection/ProfileStore.h"
#include "fleet/FleetStatus.h"

#include <QHash>
#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace dbops {
class FleetStatusController;
class MigrationRepository;
} // namespace dbops

namespace dbops::ui {

class FleetRolloutDialog;
class FleetStatusModel;

/// The Fleet tab: every database of a profile group, read at once in the
/// background (FleetStatusController), in a sortable table that filters by
/// state.  Each read also goes to the revision timeline as markers (how many
/// databases sit at each revision) through fleetRead().  Double-clicking a
/// row asks the window to open that profile.
class FleetPanel : public QWidget
{
    Q_OBJECT
public:
    explicit FleetPanel(ProfileStore store = ProfileStore(), QWidget* parent = nullptr);
    ~FleetPanel() override;

    /// The repository whose graph places the databases; nullptr: none loaded.
    void setRepository(std::shared_ptr<const MigrationRepository> repository);
    /// Re-reads the group list from the profile store (after a profile changed).
    void reloadGroups();
    /// Reads the selected group now.
    void refresh();
    void selectGroup(const QString& group);

    QString currentGroup() const;
    FleetStatusModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QComboBox* stateFilter() const { return m_filter; }
    QString summaryText() const;
    bool isReading() const;
    QPushButton* upgradeButton() const { return m_upgrade; }
    /// Opens "Upgrade fleet" for the selected group (not modal: the window stays usable).
    FleetRolloutDialog* openRolloutDialog();

Q_SIGNALS:
    /// The databases by revision, for the timeline's markers; empty when cleared.
    void fleetRead(const QHash<QString, QStringList>& databasesAtRevision);
    void openProfileRequested(const QString& profileName);
    void readFinished();

private:
    void showStatuses(const QString& group, const QList<FleetDatabaseStatus>& statuses);
    void showError(const Error& error);
    void applyFilter();
    void updateState();

    ProfileStore m_store;
    std::unique_ptr<FleetStatusController> m_controller;
    std::shared_ptr<const MigrationRepository> m_repository;
    FleetStatusModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QComboBox* m_groups = nullptr;
    QComboBox* m_filter = nullptr;
    QPushButton* m_refresh = nullptr;
    QPushButton* m_upgrade = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_placeholder = nullptr;
    QStackedWidget* m_stack = nullptr;
    QTableView* m_table = nullptr;
};

} // namespace dbops::ui
