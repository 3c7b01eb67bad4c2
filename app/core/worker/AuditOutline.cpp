#include "worker/AuditOutline.h"

#include <QHash>

namespace dbops {

namespace {

bool isOwnerItem(const AuditItem& item)
{
    return (item.objectKind == AuditItem::Kind::Table || item.objectKind == AuditItem::Kind::View)
        && item.name == item.table;
}

} // namespace

int AuditOutline::severityRank(AuditItem::Status status)
{
    return static_cast<int>(AuditItem::allStatuses().indexOf(status));
}

AuditOutline AuditOutline::build(const AuditReport& report)
{
    AuditOutline outline;
    outline.itemCount = static_cast<int>(report.items.size());
    // SchemaDiff reports items grouped by owner already, so a group usually
    // continues the previous one and a plain comparison finds it; the hash
    // (one entry per group, not per item) keeps a report in any order right.
    QHash<QPair<QString, QString>, int> groupRow;
    int current = -1;
    AuditReport notAsExpected;
    AuditReport asExpected;
    for (int i = 0; i < report.items.size(); ++i) {
        const AuditItem& item = report.items.at(i);
        (item.status == AuditItem::Status::Exists ? asExpected : notAsExpected).items.append(item);
        outline.hasMissing = outline.hasMissing || item.status == AuditItem::Status::Missing;
        outline.hasDiffers = outline.hasDiffers || item.status == AuditItem::Status::Differs;
        if (current < 0 || outline.groups.at(current).table != item.table
            || outline.groups.at(current).schema != item.schema) {
            const QPair<QString, QString> key(item.schema, item.table);
            auto found = groupRow.constFind(key);
            if (found == groupRow.constEnd()) {
                current = static_cast<int>(outline.groups.size());
                groupRow.insert(key, current);
                Group group;
                group.schema = item.schema;
                group.table = item.table;
                outline.groups.append(group);
            } else {
                current = found.value();
            }
        }
        Group& group = outline.groups[current];
        if (!item.table.isEmpty() && group.owner < 0 && isOwnerItem(item))
            group.owner = i;
        else
            group.parts.append(i);
    }
    for (Group& group : outline.groups) {
        const AuditItem::Status own
            = group.owner >= 0 ? report.items.at(group.owner).status : AuditItem::Status::Exists;
        AuditItem::Status worst = own;
        if (own == AuditItem::Status::Exists) {
            for (int part : std::as_const(group.parts)) {
                const AuditItem::Status status = report.items.at(part).status;
                if (severityRank(status) < severityRank(worst))
                    worst = status;
            }
        }
        group.status = worst;
    }
    if (!notAsExpected.items.isEmpty())
        outline.notAsExpectedTotals = notAsExpected.totalsText();
    if (!asExpected.items.isEmpty())
        outline.asExpectedTotals = asExpected.totalsText();
    return outline;
}

} // namespace dbops
