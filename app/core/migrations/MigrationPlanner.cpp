// Upgrade and downgrade plans over a RevisionGraph, with the version-table
// change of every step.
#include "migrations/MigrationPlanner.h"

#include "migrations/RevisionIdList.h"
#include "migrations/RevisionSpecifierResolver.h"

#include <QRegularExpression>
#include <algorithm>
#include <optional>
#include <utility>

namespace dbops {

namespace {

// The version-table rows while a plan is built, in the order they are listed:
// the current rows, then those added.  No revision is added again after its
// row went, so a count per revision says which entries are still rows.
class VersionRows
{
public:
    VersionRows(const std::vector<int>& current, size_t revisionCount)
        : m_entries(current)
        , m_count(revisionCount, 0)
    {
        for (int i : current)
            ++m_count[static_cast<size_t>(i)];
    }
    bool contains(int i) const { return m_count[static_cast<size_t>(i)] > 0; }
    void removeAll(int i) { m_count[static_cast<size_t>(i)] = 0; }
    void append(int i)
    {
        m_entries.push_back(i);
        ++m_count[static_cast<size_t>(i)];
    }
    std::vector<int> list() const
    {
        std::vector<int> out;
        for (int i : m_entries) {
            if (contains(i))
                out.push_back(i);
        }
        return out;
    }

private:
    std::vector<int> m_entries;
    std::vector<int> m_count;
};

// A relative target without an anchor ("+2", "-1", "LABEL@-1"): the sign and the count.
std::optional<std::pair<QChar, int>> relativeToCurrent(const QString& specifier)
{
    static const QRegularExpression relative(QStringLiteral("^(?:[^@]*@)?([+-])(\\d+)$"));
    const QRegularExpressionMatch match = relative.match(specifier.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    return std::make_pair(match.captured(1).at(0), match.captured(2).toInt());
}

} // namespace

Result<MigrationPlan> MigrationPlanner::upgradePlan(
    const QStringList& currentHeads, const QString& target) const
{
    Result<std::vector<int>> current = m_graph.indicesOf(currentHeads, QStringLiteral("current"));
    if (!current)
        return current.error();
    // Alembic refuses these ("Relative revision -2 didn't produce 2 migrations")
    // rather than upgrading to nothing.
    if (const auto relative = relativeToCurrent(target);
        relative && (relative->first == QLatin1Char('-') || relative->second == 0))
        return Error::input(
            QStringLiteral("'%1' is not an upgrade target: relative to the current revision an "
                           "upgrade goes up, +1, +2, ...%2")
                .arg(target.trimmed(),
                    relative->second == 0 ? QString() : QStringLiteral("; to go down, use downgrade")));
    Result<QStringList> targetIds = m_graph.resolve(target, currentHeads);
    if (!targetIds)
        return targetIds.error();
    std::vector<int> targets = *m_graph.indicesOf(*targetIds, QStringLiteral("target"));
    // LABEL@heads may name a head another one depends on; Alembic refuses
    // such overlapping targets ("Requested revision X overlaps with other
    // requested revisions"), and so does dbops for this form.
    if (targets.size() > 1 && target.trimmed().endsWith(QLatin1String("@heads"))) {
        std::vector<int> below;
        for (int t : targets) {
            const RevisionGraph::Node& node = m_graph.m_nodes[static_cast<size_t>(t)];
            below.insert(below.end(), node.parents.begin(), node.parents.end());
            below.insert(below.end(), node.dependencies.begin(), node.dependencies.end());
        }
        const std::vector<char> implied = m_graph.closure(below, true);
        for (int t : targets) {
            if (implied[static_cast<size_t>(t)])
                return Error::input(
                    QStringLiteral("cannot upgrade to '%1': head %2 is below another of its heads "
                                   "through depends_on (Alembic refuses such overlapping targets "
                                   "too); name the heads, or use heads")
                        .arg(target.trimmed(), m_graph.m_revisions[t].id));
        }
    }

    const std::vector<char> applied = m_graph.closure(*current, true);
    const std::vector<char> wanted = m_graph.closure(targets, true);
    std::vector<char> include(m_graph.m_nodes.size(), 0);
    for (size_t i = 0; i < include.size(); ++i)
        include[i] = wanted[i] && !applied[i];

    MigrationPlan plan;
    plan.upgrade = true;
    plan.startHeads = currentHeads;
    plan.targetDescription = target;
    VersionRows rows(*current, m_graph.m_nodes.size());
    for (int i : m_graph.topologicalUpgradeOrder(targets, include)) {
        const Revision& r = m_graph.m_revisions[i];
        const RevisionGraph::Node& node = m_graph.m_nodes[static_cast<size_t>(i)];
        MigrationStep step;
        step.revision = r.id;
        step.upgrade = true;
        step.fromRevisions = r.downRevisions;
        step.toRevisions = QStringList { r.id };
        std::vector<int> present;
        for (const std::vector<int>* edges : { &node.parents, &node.dependencies }) {
            for (int p : *edges) {
                if (rows.contains(p))
                    present.push_back(p);
            }
        }
        VersionTableChange& change = step.versionChange;
        if (present.empty()) {
            change.inserts.append(r.id);
        } else {
            change.deletes = m_graph.idsOf(std::vector<int>(present.begin(), present.end() - 1));
            change.updateFrom = m_graph.m_revisions[present.back()].id;
            change.updateTo = r.id;
        }
        for (int gone : present)
            rows.removeAll(gone);
        rows.append(i);
        plan.steps.append(step);
    }
    plan.endHeads = m_graph.idsOf(rows.list());
    return plan;
}

Result<MigrationPlan> MigrationPlanner::downgradePlan(
    const QStringList& currentHeads, const QString& target) const
{
    Result<std::vector<int>> current = m_graph.indicesOf(currentHeads, QStringLiteral("current"));
    if (!current)
        return current.error();
    Result<RevisionSpecifierResolver::DowngradeTarget> parsed
        = RevisionSpecifierResolver(m_graph).downgradeTarget(target, currentHeads);
    if (!parsed)
        return parsed.error();
    const std::vector<int>& targets = parsed->revisions;

    const std::vector<char> applied = m_graph.closure(*current, true);
    for (int t : targets) {
        if (!applied[static_cast<size_t>(t)])
            return Error::input(
                QStringLiteral("cannot downgrade to %1: it is not at or below the current revision(s) "
                               "%2; use upgrade instead")
                    .arg(m_graph.m_revisions[t].id,
                        currentHeads.isEmpty() ? QStringLiteral("(base)") : joinIds(currentHeads)));
    }
    // Like Alembic: what is built on the targets' children (on the bases for
    // base), through depends_on too, not what only depends on a target (the
    // target stays, so its dependents may too).  With a branch (X@Y, -N) and
    // several such roots, only those below the branch's revision.
    std::vector<int> roots;
    for (size_t i = 0; i < m_graph.m_nodes.size(); ++i) {
        if (targets.empty() && m_graph.m_nodes[i].parents.empty())
            roots.push_back(static_cast<int>(i));
    }
    for (int t : targets)
        roots.insert(roots.end(), m_graph.m_nodes[static_cast<size_t>(t)].children.begin(),
            m_graph.m_nodes[static_cast<size_t>(t)].children.end());
    if (parsed->branch >= 0 && roots.size() > 1) {
        const std::vector<char> below = m_graph.closure({ parsed->branch }, true, false);
        roots.erase(
            std::remove_if(roots.begin(), roots.end(), [&](int r) { return !below[static_cast<size_t>(r)]; }),
            roots.end());
        if (roots.empty())
            return Error::input(QStringLiteral("cannot downgrade to '%1': branch %2 is not above it")
                                    .arg(target.trimmed(), m_graph.m_revisions[parsed->branch].id));
    }
    const std::vector<char> above = m_graph.closure(roots, false);
    std::vector<char> remove(m_graph.m_nodes.size(), 0);
    bool any = false;
    for (size_t i = 0; i < remove.size(); ++i) {
        remove[i] = applied[i] && above[i];
        any = any || remove[i];
    }
    for (int t : targets)
        remove[static_cast<size_t>(t)] = 0;
    // A target below the current revisions only through depends_on has nothing
    // built on it to roll back: Alembic refuses it ("not a valid downgrade
    // target"), not a plan that does nothing.
    if (!any) {
        for (int t : targets) {
            if (std::find(current->begin(), current->end(), t) != current->end())
                continue;
            const std::vector<int>& children = m_graph.m_nodes[static_cast<size_t>(t)].children;
            if (parsed->branch >= 0 && std::any_of(children.begin(), children.end(), [&](int c) {
                    return applied[static_cast<size_t>(c)];
                }))
                return Error::input(
                    QStringLiteral("cannot downgrade to '%1': nothing on branch %2 above %3 is applied")
                        .arg(target.trimmed(), m_graph.m_revisions[parsed->branch].id,
                            m_graph.m_revisions[t].id));
            return Error::input(
                QStringLiteral("cannot downgrade to %1: the current revision(s) %2 only depend "
                               "on it (depends_on), nothing above it through down_revision is "
                               "applied")
                    .arg(m_graph.m_revisions[t].id, joinIds(currentHeads)));
        }
    }

    std::vector<int> order = m_graph.topologicalUpgradeOrder(*current, remove);
    std::reverse(order.begin(), order.end());

    // Alembic moves a rolled-back revision's row to those of its parents and
    // dependencies that no other row implies (HeadMaintainer's unmerge).  Not
    // by a closure per step (quadratic): `live` is what is still applied, and
    // `builders` counts the live revisions built directly on each one.
    std::vector<char> live = applied;
    std::vector<int> builders(m_graph.m_nodes.size(), 0);
    for (size_t i = 0; i < m_graph.m_nodes.size(); ++i) {
        if (!applied[i])
            continue;
        for (const std::vector<int>* edges :
            { &m_graph.m_nodes[i].parents, &m_graph.m_nodes[i].dependencies }) {
            for (int p : *edges)
                ++builders[static_cast<size_t>(p)];
        }
    }
    VersionRows rows(*current, m_graph.m_nodes.size());
    std::vector<int> seen(m_graph.m_nodes.size(), -1);
    int search = 0;
    std::vector<int> todo;
    // Is `p` (a parent or dependency of `gone`, just rolled back) below a row
    // still there?  What is still applied is below the rows, so a live revision
    // built on `p` that is not itself below `gone` (it comes after `gone` in
    // the topological order) answers yes; only revisions between `p` and
    // `gone` in that order are walked.
    auto belowOtherRows = [&](int p, int gone) {
        if (rows.contains(p))
            return true;
        if (builders[static_cast<size_t>(p)] == 0)
            return false;
        const int goneOrder = m_graph.m_nodes[static_cast<size_t>(gone)].order;
        seen[static_cast<size_t>(p)] = ++search;
        todo.assign(1, p);
        while (!todo.empty()) {
            const RevisionGraph::Node& node = m_graph.m_nodes[static_cast<size_t>(todo.back())];
            todo.pop_back();
            for (const std::vector<int>* edges : { &node.children, &node.dependents }) {
                for (int y : *edges) {
                    if (!live[static_cast<size_t>(y)] || seen[static_cast<size_t>(y)] == search)
                        continue;
                    if (rows.contains(y) || m_graph.m_nodes[static_cast<size_t>(y)].order > goneOrder)
                        return true;
                    seen[static_cast<size_t>(y)] = search;
                    todo.push_back(y);
                }
            }
        }
        return false;
    };

    MigrationPlan plan;
    plan.upgrade = false;
    plan.startHeads = currentHeads;
    plan.targetDescription = target;
    for (int i : order) {
        const Revision& r = m_graph.m_revisions[i];
        if (!r.downgrade.present)
            return Error::input(
                QStringLiteral("revision %1 has no '-- +downgrade' section, so it cannot be rolled back")
                    .arg(r.id),
                r.filePath, r.revisionLine);
        const RevisionGraph::Node& node = m_graph.m_nodes[static_cast<size_t>(i)];
        MigrationStep step;
        step.revision = r.id;
        step.upgrade = false;
        step.fromRevisions = QStringList { r.id };
        step.toRevisions = r.downRevisions;

        live[static_cast<size_t>(i)] = 0;
        rows.removeAll(i);
        for (const std::vector<int>* edges : { &node.parents, &node.dependencies }) {
            for (int p : *edges)
                --builders[static_cast<size_t>(p)];
        }
        std::vector<int> to;
        for (const std::vector<int>* edges : { &node.parents, &node.dependencies }) {
            for (int p : *edges) {
                if (!belowOtherRows(p, i))
                    to.push_back(p);
            }
        }
        VersionTableChange& change = step.versionChange;
        if (to.empty()) {
            change.deletes.append(r.id);
        } else {
            change.updateFrom = r.id;
            change.updateTo = m_graph.m_revisions[to.front()].id;
            change.inserts = m_graph.idsOf(std::vector<int>(to.begin() + 1, to.end()));
        }
        for (int p : to)
            rows.append(p);
        plan.steps.append(step);
    }
    plan.endHeads = m_graph.idsOf(rows.list());
    return plan;
}

} // namespace dbops
