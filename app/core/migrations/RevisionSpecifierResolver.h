#pragma once

#include "common/Result.h"
#include "migrations/RevisionGraph.h"

#include <vector>

namespace dbops {

/// Reads Alembic's revision specifiers against one RevisionGraph (see
/// RevisionGraph::resolve() for the forms), and a downgrade target as
/// Alembic's downgrade reads it.
class RevisionSpecifierResolver
{
public:
    explicit RevisionSpecifierResolver(const RevisionGraph& graph)
        : m_graph(graph)
    { }

    Result<QStringList> resolve(const QString& specifier, const QStringList& current) const;

    struct DowngradeTarget
    {
        std::vector<int> revisions; ///< empty: base
        int branch = -1; ///< X of X@Y (or the current revision for -N): only its part goes
    };
    Result<DowngradeTarget> downgradeTarget(const QString& specifier, const QStringList& current) const;

private:
    std::vector<char> lineage(int branch) const; ///< above and below `branch`, through down_revision
    Result<int> relativeStep(
        int from, int steps, const QString& specifier, const std::vector<char>* onBranch = nullptr) const;
    Result<int> branchRevision(const QString& branch, const QString& specifier) const;
    Result<int> currentOnBranch(const QString& specifier, const std::vector<char>& onBranch,
        const QStringList& current, bool up) const;
    static QString malformedSpecifier(const QString& specifier);
    Result<QStringList> resolveOne(const QString& specifier, const QStringList& current) const;

    const RevisionGraph& m_graph;
};

} // namespace dbops
