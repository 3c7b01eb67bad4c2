#pragma once

#include "common/Result.h"
#include "migrations/MigrationPlan.h"
#include "migrations/RevisionGraph.h"

namespace dbops {

/// The upgrade and downgrade plans over one RevisionGraph: which revisions
/// run, in which order, and how each step changes the version table rows (as
/// Alembic's HeadMaintainer does).
class MigrationPlanner
{
public:
    explicit MigrationPlanner(const RevisionGraph& graph)
        : m_graph(graph)
    { }

    Result<MigrationPlan> upgradePlan(const QStringList& currentHeads, const QString& target) const;
    Result<MigrationPlan> downgradePlan(const QStringList& currentHeads, const QString& target) const;

private:
    const RevisionGraph& m_graph;
};

} // namespace dbops
