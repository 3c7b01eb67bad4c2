#include "fleet/FleetStatusModel.h"

#include <QFont>
#include <map>

namespace dbops::ui {

namespace {

// Worst first: what needs attention sorts to the top.
int stateRank(FleetDatabaseStatus::State state)
{
    switch (state) {
    case FleetDatabaseStatus::State::Unreachable:
        return 0;
    case FleetDatabaseStatus::State::Failed:
        return 1;
    case FleetDatabaseStatus::State::Unknown:
        return 2;
    case FleetDatabaseStatus::State::Base:
        return 3;
    case FleetDatabaseStatus::State::Behind:
        return 4;
    case FleetDatabaseStatus::State::UpToDate:
        return 5;
    }
    return 6;
}

bool needsAttention(FleetDatabaseStatus::State state)
{
    return state != FleetDatabaseStatus::State::UpToDate && state != FleetDatabaseStatus::State::Behind;
}

} // namespace

FleetStatusModel::FleetStatusModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void FleetStatusModel::setStatuses(const QList<FleetDatabaseStatus>& statuses)
{
    beginResetModel();
    m_statuses = statuses;
    endResetModel();
}

QHash<QString, QStringList> FleetStatusModel::databasesAtRevision() const
{
    QHash<QString, QStringList> at;
    for (const FleetDatabaseStatus& s : m_statuses) {
        for (const QString& revision : s.revisions)
            at[revision].append(s.name);
    }
    return at;
}

QString FleetStatusModel::summary() const
{
    std::map<int, std::pair<FleetDatabaseStatus::State, int>> byRank;
    for (const FleetDatabaseStatus& s : m_statuses) {
        auto& entry = byRank[-stateRank(s.state)]; // best first in the sentence
        entry.first = s.state;
        ++entry.second;
    }
    QStringList parts;
    for (const auto& [rank, entry] : byRank)
        parts.append(QStringLiteral("%1 %2").arg(entry.second).arg(fleetStateName(entry.first)));
    return parts.join(QStringLiteral(", "));
}

int FleetStatusModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_statuses.size());
}

int FleetStatusModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FleetStatusModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_statuses.size())
        return QVariant();
    const FleetDatabaseStatus& s = m_statuses.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return s.production ? tr("%1 (production)").arg(s.name) : s.name;
        case WhereColumn:
            return s.where;
        case RevisionColumn:
            if (!s.reachable() || s.state == FleetDatabaseStatus::State::Failed)
                return QStringLiteral("—");
            return s.revisions.isEmpty() ? tr("base") : s.revisions.join(QStringLiteral(", "));
        case PendingColumn:
            return s.pending >= 0 ? QString::number(s.pending) : QStringLiteral("—");
        case StateColumn:
            return s.verifyFindings.isEmpty() ? fleetStateName(s.state)
                                              : tr("%1; applied files changed").arg(fleetStateName(s.state));
        }
        break;
    case SortRole:
        switch (index.column()) {
        case PendingColumn:
            return s.pending;
        case StateColumn:
            return stateRank(s.state);
        default:
            return data(index, Qt::DisplayRole);
        }
    case StateRole:
        return static_cast<int>(s.state);
    case ProfileRole:
        return s.name;
    case Qt::FontRole:
        if (index.column() == StateColumn && needsAttention(s.state)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        break;
    case Qt::ToolTipRole:
        if (!s.error.isEmpty())
            return s.error;
        if (!s.verifyFindings.isEmpty())
            return s.verifyFindings.join(QLatin1Char('\n'));
        return tr("%1: %2 (read in %3 ms)").arg(s.name, fleetStateName(s.state)).arg(s.milliseconds);
    case Qt::TextAlignmentRole:
        if (index.column() == PendingColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return QVariant();
}

QVariant FleetStatusModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Database");
    case WhereColumn:
        return tr("Where");
    case RevisionColumn:
        return tr("Revision");
    case PendingColumn:
        return tr("Pending");
    case StateColumn:
        return tr("State");
    }
    return QVariant();
}

} // namespace dbops::ui
