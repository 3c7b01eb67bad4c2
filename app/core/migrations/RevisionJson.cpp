#include "migrations/RevisionJson.h"

#include <QJsonArray>

namespace dbops {

QJsonObject RevisionJson::revision(const RevisionGraph& graph, const QString& id)
{
    const Revision& r = graph.revision(id);
    return QJsonObject {
        { QStringLiteral("revision"), r.id },
        { QStringLiteral("down_revisions"), QJsonArray::fromStringList(r.downRevisions) },
        { QStringLiteral("depends_on"), QJsonArray::fromStringList(graph.resolvedDependencies(r.id)) },
        { QStringLiteral("branch_labels"), QJsonArray::fromStringList(r.branchLabels) },
        { QStringLiteral("message"), r.message },
        { QStringLiteral("create_date"), r.createDate },
        { QStringLiteral("transactional"), r.transactional },
        { QStringLiteral("is_head"), graph.isHead(r.id) },
        { QStringLiteral("is_base"), r.isBase() },
        { QStringLiteral("is_branch_point"), graph.isBranchPoint(r.id) },
        { QStringLiteral("is_merge_point"), graph.isMergePoint(r.id) },
        { QStringLiteral("has_downgrade"), r.downgrade.present },
        { QStringLiteral("file"), r.filePath },
    };
}

QJsonObject RevisionJson::plan(const MigrationPlan& plan)
{
    QJsonArray steps;
    for (const MigrationStep& step : plan.steps) {
        steps.append(QJsonObject {
            { QStringLiteral("revision"), step.revision },
            { QStringLiteral("from"), QJsonArray::fromStringList(step.fromRevisions) },
            { QStringLiteral("to"), QJsonArray::fromStringList(step.toRevisions) },
        });
    }
    return QJsonObject {
        { QStringLiteral("direction"),
            plan.upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade") },
        { QStringLiteral("start_heads"), QJsonArray::fromStringList(plan.startHeads) },
        { QStringLiteral("end_heads"), QJsonArray::fromStringList(plan.endHeads) },
        { QStringLiteral("steps"), steps },
    };
}

} // namespace dbops
