#include "RevisionTimelineModel.h"

#include "MonospaceFont.h"
#include "TimelineLaneLayout.h"
#include "migrations/RevisionGraph.h"

#include <QHash>
#include <QSet>

namespace dbops::ui {

RevisionTimelineModel::RevisionTimelineModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_idFont(MonospaceFont::preferred())
{ }

RevisionTimelineModel::~RevisionTimelineModel() = default;

void RevisionTimelineModel::setGraph(const RevisionGraph* graph)
{
    beginResetModel();
    m_graph = graph;
    m_order = graph ? graph->historyOrder() : QStringList();
    m_rowOf.clear();
    m_rowOf.reserve(m_order.size());
    for (int row = 0; row < m_order.size(); ++row)
        m_rowOf.insert(m_order.at(row), row);
    m_lanes = graph ? TimelineLaneLayout::compute(*graph, m_order) : QVector<TimelineLaneRow>();
    m_laneCount = TimelineLaneLayout::laneCount(m_lanes);
    m_head.fill(0, m_order.size());
    for (int row = 0; row < m_order.size(); ++row)
        m_head[row] = graph->isHead(m_order.at(row)) ? 1 : 0;
    recomputeDatabaseState();
    endResetModel();
}

void RevisionTimelineModel::setFleetMarkers(const QHash<QString, QStringList>& databasesAtRevision)
{
    m_fleetAt = databasesAtRevision;
    if (!m_order.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

QStringList RevisionTimelineModel::fleetDatabasesAt(int row) const
{
    return row >= 0 && row < m_order.size() ? m_fleetAt.value(m_order.at(row)) : QStringList();
}

void RevisionTimelineModel::setCurrentHeads(const QStringList& heads)
{
    m_currentHeads = heads;
    m_stateKnown = true;
    recomputeDatabaseState();
    if (!m_order.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void RevisionTimelineModel::clearCurrentHeads()
{
    m_currentHeads.clear();
    m_stateKnown = false;
    recomputeDatabaseState();
    if (!m_order.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void RevisionTimelineModel::recomputeDatabaseState()
{
    m_applied.fill(0, m_order.size());
    m_current.fill(0, m_order.size());
    if (!m_graph || !m_stateKnown)
        return;
    // One closure over the whole graph, then a lookup per row: O(revisions).
    const QStringList applied = m_graph->ancestorsOf(m_currentHeads);
    const QSet<QString> appliedSet(applied.cbegin(), applied.cend());
    const QSet<QString> currentSet(m_currentHeads.cbegin(), m_currentHeads.cend());
    for (int row = 0; row < m_order.size(); ++row) {
        m_applied[row] = appliedSet.contains(m_order.at(row)) ? 1 : 0;
        m_current[row] = currentSet.contains(m_order.at(row)) ? 1 : 0;
    }
}

int RevisionTimelineModel::rowOfRevision(const QString& id) const
{
    return m_rowOf.value(id, -1);
}

QString RevisionTimelineModel::revisionAt(int row) const
{
    return m_order.value(row);
}

bool RevisionTimelineModel::isApplied(int row) const
{
    return row >= 0 && row < m_applied.size() && m_applied.at(row);
}

bool RevisionTimelineModel::isPending(int row) const
{
    return m_stateKnown && row >= 0 && row < m_applied.size() && !m_applied.at(row);
}

bool RevisionTimelineModel::isCurrent(int row) const
{
    return row >= 0 && row < m_current.size() && m_current.at(row);
}

bool RevisionTimelineModel::isHead(int row) const
{
    return row >= 0 && row < m_head.size() && m_head.at(row);
}

int RevisionTimelineModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_order.size());
}

int RevisionTimelineModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags RevisionTimelineModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QVariant RevisionTimelineModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_graph)
        return {};
    const int row = index.row();
    const QString& id = m_order.at(row);
    const Revision& revision = m_graph->revision(id);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return id;
        case MessageColumn:
            return revision.message;
        case DateColumn:
            return revision.createDate;
        case LabelsColumn:
            return revision.branchLabels.join(QStringLiteral(", "));
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return toolTip(row);
    case Qt::AccessibleTextRole:
        return index.column() == GraphColumn ? accessibleText(row) : data(index, Qt::DisplayRole);
    case Qt::FontRole:
        if (index.column() == IdColumn)
            return m_idFont;
        return {};
    case RevisionIdRole:
        return id;
    case LaneRole:
        return QVariant::fromValue(m_lanes.at(row));
    case LaneCountRole:
        return m_laneCount;
    case AppliedRole:
        return isApplied(row);
    case PendingRole:
        return isPending(row);
    case CurrentRole:
        return isCurrent(row);
    case FleetDatabasesRole:
        return fleetDatabasesAt(row);
    case HeadRole:
        return isHead(row);
    case MergeRole:
        return revision.isMerge();
    case BranchPointRole:
        return m_graph->isBranchPoint(id);
    case BaseRole:
        return revision.isBase();
    case BranchLabelsRole:
        return revision.branchLabels;
    case DatabaseStateKnownRole:
        return m_stateKnown;
    default:
        return {};
    }
}

QVariant RevisionTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case GraphColumn:
            return tr("Graph");
        case IdColumn:
            return tr("Revision");
        case MessageColumn:
            return tr("Message");
        case DateColumn:
            return tr("Date");
        case LabelsColumn:
            return tr("Labels");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case GraphColumn:
            return tr(
                "Branches and merges (diamonds); a filled mark is applied to the database, a hollow one "
                "is pending, a green ring is where the database is");
        case LabelsColumn:
            return tr("Branch labels");
        default:
            return {};
        }
    }
    return {};
}

QString RevisionTimelineModel::toolTip(int row) const
{
    const QString& id = m_order.at(row);
    const Revision& revision = m_graph->revision(id);
    QStringList lines;
    lines.append(revision.message.isEmpty() ? id : id + QStringLiteral(": ") + revision.message);
    if (!revision.createDate.isEmpty())
        lines.append(tr("Created %1").arg(revision.createDate));
    if (revision.isBase())
        lines.append(tr("Base revision"));
    else if (revision.isMerge())
        lines.append(tr("Merges %1").arg(revision.downRevisions.join(QStringLiteral(", "))));
    else
        lines.append(tr("Follows %1").arg(revision.downRevisions.constFirst()));
    if (!revision.dependsOn.isEmpty())
        lines.append(tr("Depends on %1").arg(revision.dependsOn.join(QStringLiteral(", "))));
    if (!revision.branchLabels.isEmpty())
        lines.append(tr("Branch labels: %1").arg(revision.branchLabels.join(QStringLiteral(", "))));
    if (!revision.transactional)
        lines.append(tr("Runs outside a transaction"));
    if (isHead(row))
        lines.append(tr("Head of its branch"));
    if (const QStringList fleet = fleetDatabasesAt(row); !fleet.isEmpty()) {
        const int shown = 10;
        lines.append(
            tr("Fleet: %1 here: %2")
                .arg(fleet.size() == 1 ? tr("1 database") : tr("%1 databases").arg(fleet.size()),
                    fleet.mid(0, shown).join(QStringLiteral(", "))
                        + (fleet.size() > shown ? tr(" and %1 more").arg(fleet.size() - shown) : QString())));
    }
    if (isCurrent(row))
        lines.append(tr("The database is at this revision"));
    else if (isApplied(row))
        lines.append(tr("Applied to the database"));
    else if (isPending(row))
        lines.append(tr("Pending: not yet applied to the database"));
    return lines.join(QLatin1Char('\n'));
}

QString RevisionTimelineModel::accessibleText(int row) const
{
    const QString& id = m_order.at(row);
    const Revision& revision = m_graph->revision(id);
    QStringList parts { tr("Revision %1").arg(id) };
    if (revision.isMerge())
        parts.append(tr("merge of %1").arg(revision.downRevisions.join(QStringLiteral(", "))));
    if (m_graph->isBranchPoint(id))
        parts.append(tr("branch point"));
    if (isHead(row))
        parts.append(tr("head"));
    if (isCurrent(row))
        parts.append(tr("database is here"));
    else if (isApplied(row))
        parts.append(tr("applied"));
    else if (isPending(row))
        parts.append(tr("pending"));
    return parts.join(QStringLiteral(", "));
}

} // namespace dbops::ui
