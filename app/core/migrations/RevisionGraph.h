#pragma once

#include "common/Result.h"
#include "migrations/MigrationPlan.h"
#include "migrations/Revision.h"

#include <QHash>
#include <vector>

namespace dbops {

/// The revision DAG of a migration repository: down_revision edges (with
/// merges), depends_on edges, branch labels; Alembic's specifiers and plans.
class RevisionGraph
{
public:
    /// Builds and validates: duplicate ids, missing parents or dependencies,
    /// self-references (down_revision or depends_on naming the revision itself,
    /// or its own label), cycles, label clashes.  All problems are reported,
    /// each with file:line.  Near-linear in revisions + edges on the usual
    /// shapes (see normaliseDependencies()).
    static Result<RevisionGraph> build(RevisionList revisions, ErrorList* allErrors = nullptr);

    RevisionGraph() = default;

    int size() const { return static_cast<int>(m_revisions.size()); }
    bool contains(const QString& id) const { return m_index.contains(id); }
    const Revision& revision(const QString& id) const { return m_revisions[indexOf(id)]; }
    const RevisionList& revisions() const { return m_revisions; }

    QStringList heads() const; ///< revisions nothing names as down_revision, in file order
    QStringList bases() const;
    QStringList children(const QString& id) const; ///< through down_revision
    QStringList dependents(const QString& id) const; ///< through depends_on
    QStringList resolvedDependencies(const QString& id) const; ///< depends_on with labels resolved
    bool isHead(const QString& id) const;
    bool isBranchPoint(const QString& id) const { return children(id).size() > 1; }
    bool isMergePoint(const QString& id) const { return revision(id).isMerge(); }
    /// The branch labels `alembic history` shows on a revision, sorted: its
    /// own, those of every down_revision ancestor (through merges too), and
    /// those Alembic's _add_branches walks up from a labelled revision whose
    /// descendants form one plain line (up to the first branch or merge point).
    QStringList effectiveBranchLabels(const QString& id) const;
    bool isAncestor(
        const QString& ancestor, const QString& descendant) const; ///< through all edges, exclusive

    /// Every revision, newest first: each revision before its parents; a
    /// branch is listed whole before the next one (as `alembic history`).
    QStringList historyOrder() const;

    /// Resolves a specifier to a set of revisions (empty for `base`): a full
    /// id, a unique prefix, `head`, `heads`, `base`, a branch label, `+N` /
    /// `-N` relative to `current`, `rev+N`, `rev-N`, and Alembic's
    /// branch-qualified forms (a revision id may stand for LABEL):
    /// `LABEL@head`, `LABEL@heads`, `LABEL@base`, `LABEL@REV`, `LABEL@+N` /
    /// `LABEL@-N` (from the current revision on that branch), `LABEL@base+N`,
    /// `LABEL@REV+N`.  A downgrade reads X@Y as Alembic's downgrade does.
    Result<QStringList> resolve(const QString& specifier, const QStringList& current = {}) const;

    /// Steps from `currentHeads` up to `target` (a specifier).
    Result<MigrationPlan> upgradePlan(const QStringList& currentHeads, const QString& target) const;
    /// Steps from `currentHeads` down to `target` (a specifier).
    Result<MigrationPlan> downgradePlan(const QStringList& currentHeads, const QString& target) const;

    /// The inclusive ancestor closure (down_revision and depends_on) of `ids`.
    QStringList ancestorsOf(const QStringList& ids) const;

private:
    // Specifiers and plans live in their own files and read the graph's
    // internals (nodes, labels, closures) rather than a copy of them.
    friend class RevisionSpecifierResolver;
    friend class MigrationPlanner;

    struct Node
    {
        std::vector<int> parents; ///< down_revisions
        std::vector<int> dependencies; ///< resolved depends_on, without those a down_revision
                                       ///< ancestor declares too (Alembic's normalisation)
        std::vector<int> declaredDependencies; ///< resolved depends_on, as declared, less the parents
        std::vector<int> children;
        std::vector<int> dependents; ///< through the normalised dependencies
        int order = 0; ///< position in a topological order of all edges (parents first)
    };

    int indexOf(const QString& id) const { return m_index.value(id, -1); }
    void spreadBranchLabels(); ///< fills m_labelSets (RevisionGraphLabels.cpp)
    void normaliseDependencies(const std::vector<std::vector<int>>& declared);
    std::vector<char> closure(
        const std::vector<int>& roots, bool towardsAncestors, bool followDependencies = true) const;
    std::vector<int> topologicalUpgradeOrder(
        const std::vector<int>& targets, const std::vector<char>& include) const;
    Result<std::vector<int>> indicesOf(const QStringList& ids, const QString& what) const;
    QStringList idsOf(const std::vector<int>& indices) const;
    template<typename Predicate> QStringList idsWhere(Predicate predicate) const; ///< in file order

    RevisionList m_revisions;
    std::vector<Node> m_nodes;
    QHash<QString, int> m_index;
    QHash<QString, int> m_labels;
    /// Effective branch labels: each revision names up to two shared sets of
    /// label ids (-1: none), from above (ancestors) and from below (Alembic's
    /// upward walk); on 100,000 revisions only merges and labelled revisions
    /// make new sets.
    std::vector<std::vector<int>> m_labelSets;
    std::vector<int> m_labelsFromAbove;
    std::vector<int> m_labelsFromBelow;
    QStringList m_labelNames;
};

} // namespace dbops
