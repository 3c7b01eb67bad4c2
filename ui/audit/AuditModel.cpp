#include "AuditModel.h"

#include "StatusGlyph.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>

namespace dbops::ui {

namespace {

using Kind = AuditItem::Kind;
using Status = AuditItem::Status;

// Top-level rows carry internal id 0; a part carries its group's row + 1, so
// parent() needs no lookup.
constexpr quintptr kTopLevelId = 0;

StatusGlyph::Shape shapeOf(Status status)
{
    switch (status) {
    case Status::Exists:
        return StatusGlyph::Shape::Check;
    case Status::Missing:
        return StatusGlyph::Shape::Cross;
    case Status::Extra:
        return StatusGlyph::Shape::Plus;
    case Status::Differs:
        return StatusGlyph::Shape::Tilde;
    }
    return StatusGlyph::Shape::Exclamation;
}

bool darkPalette()
{
    return QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
}

QString oneLine(const QString& text)
{
    return text.contains(QLatin1Char('\n')) ? text.simplified() : text;
}

} // namespace

AuditModel::AuditModel(QObject* parent)
    : QAbstractItemModel(parent)
{
    const QList<Status>& statuses = AuditItem::allStatuses();
    m_statusIcons.resize(statuses.size());
    for (Status status : statuses)
        m_statusIcons[static_cast<int>(status)] = StatusGlyph::icon(shapeOf(status), statusColor(status));
}

AuditModel::~AuditModel() = default;

void AuditModel::setReport(const AuditReport& report)
{
    setReport(report, AuditOutline::build(report));
}

void AuditModel::setReport(const AuditReport& report, const AuditOutline& outline)
{
    Q_ASSERT(outline.itemCount == report.items.size());
    beginResetModel();
    m_report = report;
    m_outline = outline;
    m_hasReport = true;
    endResetModel();
}

void AuditModel::clear()
{
    beginResetModel();
    m_report = AuditReport();
    m_outline = AuditOutline();
    m_hasReport = false;
    endResetModel();
}

QString AuditModel::headerSummary() const
{
    return m_hasReport ? m_report.totalsText() : QString();
}

const AuditModel::Group* AuditModel::groupOf(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    const int row
        = index.internalId() == kTopLevelId ? index.row() : static_cast<int>(index.internalId()) - 1;
    return row >= 0 && row < m_outline.groups.size() ? &m_outline.groups.at(row) : nullptr;
}

int AuditModel::itemIndexOf(const QModelIndex& index) const
{
    const Group* group = groupOf(index);
    if (!group)
        return -1;
    if (index.internalId() == kTopLevelId)
        return group->owner;
    return index.row() < group->parts.size() ? group->parts.at(index.row()) : -1;
}

const AuditItem* AuditModel::itemAt(const QModelIndex& index) const
{
    const int i = itemIndexOf(index);
    return i >= 0 ? &m_report.items.at(i) : nullptr;
}

bool AuditModel::isGroup(const QModelIndex& index) const
{
    return index.isValid() && index.model() == this && index.internalId() == kTopLevelId;
}

AuditItem::Status AuditModel::statusAt(const QModelIndex& index) const
{
    if (isGroup(index)) {
        const Group* group = groupOf(index);
        return group ? group->status : Status::Exists;
    }
    const AuditItem* item = itemAt(index);
    return item ? item->status : Status::Exists;
}

bool AuditModel::isWholeTableGroup(const QModelIndex& index) const
{
    if (!isGroup(index))
        return false;
    const AuditItem* owner = itemAt(index);
    return owner && (owner->status == Status::Missing || owner->status == Status::Extra);
}

QIcon AuditModel::statusIcon(AuditItem::Status status) const
{
    return m_statusIcons.value(static_cast<int>(status));
}

QColor AuditModel::statusColor(AuditItem::Status status)
{
    switch (status) {
    case Status::Exists:
        return QColor(0x2e, 0x7d, 0x32); // green
    case Status::Missing:
        return QColor(0xc6, 0x28, 0x28); // red
    case Status::Extra:
        return QColor(0x15, 0x65, 0xc0); // blue
    case Status::Differs:
        return QColor(0xd8, 0x7a, 0x00); // amber
    }
    return QColor(Qt::gray);
}

int AuditModel::severityRank(AuditItem::Status status)
{
    return AuditOutline::severityRank(status);
}

QString AuditModel::statusDescription(AuditItem::Status status)
{
    switch (status) {
    case Status::Exists:
        return tr("EXISTS: as the migrations create it");
    case Status::Missing:
        return tr("MISSING: the migrations create it, the database does not have it");
    case Status::Extra:
        return tr("EXTRA: in the database, not created by the migrations (not a failure)");
    case Status::Differs:
        return tr("DIFFERS: in the database, but not as the migrations create it");
    }
    return {};
}

QString AuditModel::groupTitle(int groupRow) const
{
    return groupTitle(m_outline.groups.at(groupRow));
}

int AuditModel::partCount(int groupRow) const
{
    return static_cast<int>(m_outline.groups.at(groupRow).parts.size());
}

const AuditItem& AuditModel::part(int groupRow, int partRow) const
{
    return m_report.items.at(m_outline.groups.at(groupRow).parts.at(partRow));
}

QString AuditModel::groupTitle(const Group& group) const
{
    if (group.table.isEmpty())
        return tr("Schema objects (%1)").arg(group.schema);
    return group.schema + QLatin1Char('.') + group.table;
}

QString AuditModel::groupKindName(const Group& group) const
{
    if (group.table.isEmpty())
        return tr("schema");
    return group.owner >= 0 ? AuditItem::kindName(m_report.items.at(group.owner).objectKind)
                            : AuditItem::kindName(Kind::Table);
}

QString AuditModel::partsSummary(const Group& group) const
{
    // "11 columns MISSING, 1 index EXTRA": what is not as expected inside.
    QStringList summary;
    for (Status status : AuditItem::allStatuses()) {
        if (status == Status::Exists)
            continue;
        for (Kind kind : AuditItem::allKinds()) {
            int n = 0;
            for (int part : group.parts) {
                const AuditItem& item = m_report.items.at(part);
                n += item.status == status && item.objectKind == kind ? 1 : 0;
            }
            if (n > 0)
                summary.append(
                    AuditItem::kindPlural(kind, n) + QLatin1Char(' ') + AuditItem::statusName(status));
        }
    }
    return summary.join(QStringLiteral(", "));
}

QModelIndex AuditModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_outline.groups.size() ? createIndex(row, column, kTopLevelId) : QModelIndex();
    if (!isGroup(parent) || parent.row() >= m_outline.groups.size())
        return {};
    if (row >= m_outline.groups.at(parent.row()).parts.size())
        return {};
    return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex AuditModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == kTopLevelId)
        return {};
    return createIndex(static_cast<int>(child.internalId()) - 1, 0, kTopLevelId);
}

int AuditModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_outline.groups.size());
    // Only column 0 has children, as QAbstractItemModelTester and tree views expect.
    if (!isGroup(parent) || parent.column() != 0)
        return 0;
    const Group* group = groupOf(parent);
    return group ? static_cast<int>(group->parts.size()) : 0;
}

int AuditModel::columnCount(const QModelIndex& parent) const
{
    Q_UNUSED(parent)
    return ColumnCount;
}

Qt::ItemFlags AuditModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (!isGroup(index))
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ObjectColumn:
        return tr("Object");
    case KindColumn:
        return tr("Kind");
    case StatusColumn:
        return tr("Status");
    case ExpectedColumn:
        return tr("Expected");
    case ActualColumn:
        return tr("Actual");
    default:
        return {};
    }
}

QVariant AuditModel::displayData(const QModelIndex& index) const
{
    const Group* group = groupOf(index);
    const AuditItem* item = itemAt(index);
    const bool groupRow = isGroup(index);
    switch (index.column()) {
    case ObjectColumn:
        return groupRow ? groupTitle(*group) : item->name;
    case KindColumn:
        return groupRow ? groupKindName(*group) : AuditItem::kindName(item->objectKind);
    case StatusColumn:
        return AuditItem::statusName(statusAt(index));
    case ExpectedColumn:
        return item ? oneLine(item->expected) : QString();
    case ActualColumn:
        return item ? oneLine(item->actual) : QString();
    default:
        return {};
    }
}

QVariant AuditModel::sortData(const QModelIndex& index) const
{
    const Group* group = groupOf(index);
    switch (index.column()) {
    case ObjectColumn:
        // A schema's own objects sort before its tables, as in the report.
        if (isGroup(index))
            return QString(group->schema.toLower() + QLatin1Char('\x1f') + group->table.toLower());
        return itemAt(index)->name.toLower();
    case KindColumn:
        return isGroup(index) && group->table.isEmpty() ? -1 : data(index, KindRole).toInt();
    case StatusColumn:
        return severityRank(statusAt(index));
    default:
        return displayData(index).toString().toLower();
    }
}

QString AuditModel::toolTip(const QModelIndex& index) const
{
    const Group* group = groupOf(index);
    const AuditItem* item = itemAt(index);
    if (isGroup(index)) {
        QString tip = groupKindName(*group) + QLatin1Char(' ') + groupTitle(*group);
        if (item) {
            tip += QLatin1Char(' ') + AuditItem::statusName(item->status);
            if (item->status == Status::Exists && !partsSummary(*group).isEmpty())
                tip += tr("; inside it: %1").arg(partsSummary(*group));
            else if (item->status != Status::Exists)
                tip += tr(", with everything in it");
        } else {
            const QString parts = partsSummary(*group);
            tip += QStringLiteral(": ") + (parts.isEmpty() ? tr("all as expected") : parts);
        }
        if (item && !item->expected.isEmpty())
            tip += QLatin1Char('\n') + tr("expected: %1").arg(item->expected);
        if (item && !item->actual.isEmpty())
            tip += QLatin1Char('\n') + tr("actual: %1").arg(item->actual);
        return tip;
    }
    QString tip = AuditItem::kindName(item->objectKind) + QLatin1Char(' ') + item->name + QLatin1Char('\n')
        + statusDescription(item->status);
    if (!item->expected.isEmpty())
        tip += QLatin1Char('\n') + tr("expected: %1").arg(item->expected);
    if (!item->actual.isEmpty())
        tip += QLatin1Char('\n') + tr("actual: %1").arg(item->actual);
    return tip;
}

QVariant AuditModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Group* group = groupOf(index);
    if (!group)
        return {};
    const AuditItem* item = itemAt(index);
    const bool groupRow = isGroup(index);
    if (!groupRow && !item)
        return {};

    switch (role) {
    case Qt::DisplayRole:
        return displayData(index);
    case Qt::ToolTipRole:
        return toolTip(index);
    case Qt::DecorationRole:
        if (index.column() == StatusColumn)
            return statusIcon(statusAt(index));
        return {};
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn) {
            const QColor color = statusColor(statusAt(index));
            return darkPalette() ? color.lighter(150) : color.darker(130);
        }
        return {};
    case Qt::BackgroundRole:
        if (index.column() == StatusColumn && statusAt(index) != Status::Exists) {
            // A light wash of the status colour: the problem cells stand out
            // in a long list, and the text stays readable on either palette.
            QColor wash = statusColor(statusAt(index));
            wash.setAlpha(darkPalette() ? 70 : 38);
            return wash;
        }
        return {};
    case Qt::FontRole:
        if ((groupRow && index.column() == ObjectColumn)
            || (index.column() == StatusColumn && statusAt(index) != Status::Exists)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::AccessibleTextRole:
        if (index.column() == StatusColumn)
            return statusDescription(statusAt(index));
        return displayData(index);
    case StatusRole:
        return static_cast<int>(statusAt(index));
    case KindRole:
        if (item)
            return static_cast<int>(item->objectKind);
        return group->table.isEmpty() ? -1 : static_cast<int>(Kind::Table);
    case IsGroupRole:
        return groupRow;
    case SortRole:
        return sortData(index);
    case FilterTextRole:
        return groupRow ? groupTitle(*group) : item->name;
    default:
        return {};
    }
}

} // namespace dbops::ui
