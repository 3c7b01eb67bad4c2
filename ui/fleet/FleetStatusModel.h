#pragma once

#include "fleet/FleetStatus.h"

#include <QAbstractTableModel>
#include <QHash>

namespace dbops::ui {

/// The databases of a fleet, one row each, as `dbops fleet status` reads
/// them.  SortRole gives numbers and state ranks, so a proxy sorts
/// "pending" numerically and "state" from worst to best.
class FleetStatusModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        WhereColumn,
        RevisionColumn,
        PendingColumn,
        StateColumn,
        ColumnCount
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1,
        StateRole, ///< int: FleetDatabaseStatus::State
        ProfileRole, ///< QString: the profile's name (fleet members are profiles)
    };

    explicit FleetStatusModel(QObject* parent = nullptr);

    void setStatuses(const QList<FleetDatabaseStatus>& statuses);
    const QList<FleetDatabaseStatus>& statuses() const { return m_statuses; }
    /// The databases by the revision each is at: the timeline's fleet markers.
    QHash<QString, QStringList> databasesAtRevision() const;
    /// "12 up to date, 3 behind, 1 unreachable".
    QString summary() const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<FleetDatabaseStatus> m_statuses;
};

} // namespace dbops::ui
