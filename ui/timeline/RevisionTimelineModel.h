#pragma once

#include "TimelineLaneRow.h"

#include <QAbstractTableModel>
#include <QFont>
#include <QHash>
#include <QStringList>
#include <QVector>

namespace dbops {
class RevisionGraph;
}

namespace dbops::ui {

/// The revision history as a table, newest first (RevisionGraph::historyOrder()),
/// with the lanes of a `git log --graph` style drawing and, once the database's
/// version table is known (setCurrentHeads), which revisions are applied and
/// which are pending.
class RevisionTimelineModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        GraphColumn,
        IdColumn,
        MessageColumn,
        DateColumn,
        LabelsColumn,
        ColumnCount
    };

    enum Role
    {
        RevisionIdRole = Qt::UserRole + 1, ///< QString, every column
        LaneRole, ///< TimelineLaneRow
        LaneCountRole, ///< int: lanes of the widest row, the same on every row
        AppliedRole, ///< bool: ancestor-or-equal of a current head (false while unknown)
        PendingRole, ///< bool: not applied (false while the database state is unknown)
        CurrentRole, ///< bool: in the version table
        HeadRole, ///< bool: no revision names it as down_revision
        MergeRole, ///< bool: several down_revisions
        BranchPointRole, ///< bool: several children
        BaseRole, ///< bool: no down_revision
        BranchLabelsRole, ///< QStringList
        DatabaseStateKnownRole, ///< bool: setCurrentHeads() was called
        FleetDatabasesRole, ///< QStringList: the fleet's databases at this revision (setFleetMarkers)
    };

    explicit RevisionTimelineModel(QObject* parent = nullptr);
    ~RevisionTimelineModel() override;

    /// Shows `graph`, which must outlive the model or be replaced first; nullptr empties it.
    void setGraph(const RevisionGraph* graph);
    const RevisionGraph* graph() const { return m_graph; }

    /// The database's version-table rows; marks applied, pending and current
    /// rows.  An empty list means the database is at base: all pending.
    void setCurrentHeads(const QStringList& heads);
    /// Back to "database state unknown": nothing applied, nothing pending.
    void clearCurrentHeads();
    QStringList currentHeads() const { return m_currentHeads; }
    /// A fleet's databases by the revision each is at (`fleet status`): each
    /// revision shows how many sit there.  Empty: no fleet markers.
    void setFleetMarkers(const QHash<QString, QStringList>& databasesAtRevision);
    QStringList fleetDatabasesAt(int row) const;
    bool hasDatabaseState() const { return m_stateKnown; }

    int rowOfRevision(const QString& id) const;
    QString revisionAt(int row) const;
    const TimelineLaneRow& laneRow(int row) const { return m_lanes.at(row); }
    int laneCount() const { return m_laneCount; }
    bool isApplied(int row) const;
    bool isPending(int row) const;
    bool isCurrent(int row) const;
    bool isHead(int row) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    QString toolTip(int row) const;
    QString accessibleText(int row) const;
    void recomputeDatabaseState();

    const RevisionGraph* m_graph = nullptr;
    QStringList m_order;
    QHash<QString, int> m_rowOf;
    QVector<TimelineLaneRow> m_lanes;
    int m_laneCount = 1;
    QVector<char> m_head;
    QVector<char> m_applied;
    QVector<char> m_current;
    QStringList m_currentHeads;
    bool m_stateKnown = false;
    QHash<QString, QStringList> m_fleetAt;
    QFont m_idFont; ///< ids line up in a fixed-width font
};

} // namespace dbops::ui
