#include "migrations/RevisionGraph.h"

#include "migrations/MigrationPlanner.h"
#include "migrations/RevisionSpecifierResolver.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace dbops {

Result<RevisionGraph> RevisionGraph::build(RevisionList revisions, ErrorList* allErrors)
{
    RevisionGraph graph;
    ErrorList errors;
    graph.m_revisions = std::move(revisions);
    const int n = static_cast<int>(graph.m_revisions.size());
    graph.m_nodes.resize(static_cast<size_t>(n));
    graph.m_index.reserve(n);

    for (int i = 0; i < n; ++i) {
        const Revision& r = graph.m_revisions[i];
        auto existing = graph.m_index.constFind(r.id);
        if (existing != graph.m_index.constEnd()) {
            const Revision& first = graph.m_revisions[*existing];
            errors.append(Error::graph(QStringLiteral("duplicate revision id %1 (also defined in %2:%3)")
                                           .arg(r.id, first.filePath)
                                           .arg(first.revisionLine),
                r.filePath, r.revisionLine));
            continue;
        }
        graph.m_index.insert(r.id, i);
    }
    for (int i = 0; i < n; ++i) {
        const Revision& r = graph.m_revisions[i];
        for (const QString& label : r.branchLabels) {
            if (graph.m_index.contains(label)) {
                errors.append(
                    Error::graph(QStringLiteral("branch label '%1' clashes with a revision id").arg(label),
                        r.filePath, r.labelsLine));
                continue;
            }
            auto other = graph.m_labels.constFind(label);
            if (other != graph.m_labels.constEnd() && *other != i) {
                const Revision& first = graph.m_revisions[*other];
                errors.append(
                    Error::graph(QStringLiteral("branch label '%1' is also used by revision %2 (%3:%4)")
                                     .arg(label, first.id, first.filePath)
                                     .arg(first.labelsLine),
                        r.filePath, r.labelsLine));
                continue;
            }
            graph.m_labels.insert(label, i);
        }
    }
    // Every resolved depends_on of a revision, as Alembic's
    // _resolved_dependencies: it may name one of the revision's own
    // down_revisions, and still counts when the normalisation below asks what
    // an ancestor declares.
    std::vector<std::vector<int>> declared(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        const Revision& r = graph.m_revisions[i];
        if (graph.m_index.value(r.id) != i)
            continue; // a duplicate, already reported
        Node& node = graph.m_nodes[static_cast<size_t>(i)];
        for (const QString& parent : r.downRevisions) {
            const int p = graph.indexOf(parent);
            if (p < 0) {
                errors.append(Error::graph(
                    QStringLiteral("revision %1 names down_revision %2, which no migration file defines")
                        .arg(r.id, parent),
                    r.filePath, r.downRevisionLine));
                continue;
            }
            if (p == i) {
                errors.append(Error::graph(
                    QStringLiteral("revision %1 names itself as down_revision (a self-loop)").arg(r.id),
                    r.filePath, r.downRevisionLine));
                continue;
            }
            node.parents.push_back(p);
            graph.m_nodes[static_cast<size_t>(p)].children.push_back(i);
        }
        for (const QString& dependency : r.dependsOn) {
            int d = graph.indexOf(dependency);
            if (d < 0)
                d = graph.m_labels.value(dependency, -1);
            if (d < 0) {
                errors.append(
                    Error::graph(QStringLiteral("revision %1 depends_on %2, which is neither a revision "
                                                "nor a branch label")
                                     .arg(r.id, dependency),
                        r.filePath, r.dependsOnLine));
                continue;
            }
            if (d == i) {
                errors.append(Error::graph(dependency == r.id
                        ? QStringLiteral("revision %1 names itself in depends_on (a dependency self-loop)")
                              .arg(r.id)
                        : QStringLiteral("revision %1 depends_on '%2', its own branch label (a dependency "
                                         "self-loop)")
                              .arg(r.id, dependency),
                    r.filePath, r.dependsOnLine));
                continue;
            }
            std::vector<int>& mine = declared[static_cast<size_t>(i)];
            if (std::find(mine.begin(), mine.end(), d) != mine.end())
                continue;
            mine.push_back(d);
            if (std::find(node.parents.begin(), node.parents.end(), d) == node.parents.end())
                node.declaredDependencies.push_back(d);
        }
    }

    // Until normalised below, every declared dependency is an edge.
    for (Node& node : graph.m_nodes)
        node.dependencies = node.declaredDependencies;
    for (int i = 0; i < n; ++i) {
        for (int d : graph.m_nodes[static_cast<size_t>(i)].dependencies)
            graph.m_nodes[static_cast<size_t>(d)].dependents.push_back(i);
    }

    // Cycles: Kahn's algorithm over all edges; what remains lies on or after a
    // cycle.  The ready revision first in file order goes first, so the order
    // (Node::order) follows the files where they allow it.
    if (errors.isEmpty()) {
        std::vector<int> pending(static_cast<size_t>(n), 0);
        std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
        for (int i = 0; i < n; ++i) {
            const Node& node = graph.m_nodes[static_cast<size_t>(i)];
            pending[static_cast<size_t>(i)]
                = static_cast<int>(node.parents.size() + node.dependencies.size());
            if (pending[static_cast<size_t>(i)] == 0)
                ready.push(i);
        }
        int done = 0;
        while (!ready.empty()) {
            const int i = ready.top();
            ready.pop();
            Node& node = graph.m_nodes[static_cast<size_t>(i)];
            node.order = done++;
            for (int c : node.children) {
                if (--pending[static_cast<size_t>(c)] == 0)
                    ready.push(c);
            }
            for (int c : node.dependents) {
                if (--pending[static_cast<size_t>(c)] == 0)
                    ready.push(c);
            }
        }
        if (done < n) {
            // Walk parents from a blocked node until a node repeats: that is the cycle.
            int start = 0;
            while (pending[static_cast<size_t>(start)] == 0)
                ++start;
            std::vector<int> path;
            std::vector<int> seenAt(static_cast<size_t>(n), -1);
            int cur = start;
            while (seenAt[static_cast<size_t>(cur)] < 0) {
                seenAt[static_cast<size_t>(cur)] = static_cast<int>(path.size());
                path.push_back(cur);
                const Node& node = graph.m_nodes[static_cast<size_t>(cur)];
                int next = -1;
                for (int p : node.parents) {
                    if (pending[static_cast<size_t>(p)] > 0) {
                        next = p;
                        break;
                    }
                }
                if (next < 0) {
                    for (int p : node.dependencies) {
                        if (pending[static_cast<size_t>(p)] > 0) {
                            next = p;
                            break;
                        }
                    }
                }
                cur = next;
            }
            QStringList cycle;
            for (size_t k = static_cast<size_t>(seenAt[static_cast<size_t>(cur)]); k < path.size(); ++k)
                cycle.prepend(graph.m_revisions[path[k]].id);
            cycle.append(cycle.constFirst());
            const Revision& r = graph.m_revisions[cur];
            errors.append(
                Error::graph(QStringLiteral("revision cycle: %1").arg(cycle.join(QStringLiteral(" -> "))),
                    r.filePath, r.downRevisionLine));
        }
    }

    if (allErrors)
        *allErrors = errors;
    if (!errors.isEmpty())
        return errors.constFirst();

    graph.normaliseDependencies(declared);
    graph.spreadBranchLabels();
    return graph;
}

// Alembic's normalisation (RevisionMap._normalize_depends_on): a revision
// drops a dependency that one of its down_revision ancestors declares too; it
// decides which version rows a step moves.  Asked revision by revision, that
// is a walk over every ancestor of every revision with depends_on (quadratic).
// Asked target by target it is cheaper: of the revisions declaring one target,
// a declarer drops it exactly when another declarer lies below it through
// down_revision.  One forward marking pass per target, in topological order,
// from its declarers through children, stopping past its last declarer (a
// declarer already marked is dropped and need not mark again): the cost is
// the revisions between a target's first and last declarer, and nothing for
// the many targets only one revision names.
void RevisionGraph::normaliseDependencies(const std::vector<std::vector<int>>& declared)
{
    const size_t n = m_nodes.size();
    std::vector<int> order(n); // Node::order, compact: the marking pass reads it for every child
    std::vector<int> byOrder(n);
    for (size_t i = 0; i < n; ++i) {
        order[i] = m_nodes[i].order;
        byOrder[static_cast<size_t>(order[i])] = static_cast<int>(i);
    }
    // The declarers of each target, in topological order (a counting sort).
    std::vector<int> first(n + 1, 0);
    for (const std::vector<int>& targets : declared) {
        for (int d : targets)
            ++first[static_cast<size_t>(d) + 1];
    }
    for (size_t d = 0; d < n; ++d)
        first[d + 1] += first[d];
    std::vector<int> declarers(static_cast<size_t>(first[n]));
    std::vector<int> fill(first.begin(), first.end() - 1);
    for (int i : byOrder) {
        for (int d : declared[static_cast<size_t>(i)])
            declarers[static_cast<size_t>(fill[static_cast<size_t>(d)]++)] = i;
    }

    std::vector<int> markedFor(n, -1); // the target whose pass marked a revision
    std::vector<int> todo;
    bool dropped = false;
    for (size_t d = 0; d < n; ++d) {
        const int begin = first[d];
        const int end = first[d + 1];
        if (end - begin < 2)
            continue;
        const int last = order[static_cast<size_t>(declarers[static_cast<size_t>(end - 1)])];
        for (int k = begin; k < end; ++k) {
            const int r = declarers[static_cast<size_t>(k)];
            if (markedFor[static_cast<size_t>(r)] == static_cast<int>(d)) {
                std::vector<int>& kept = m_nodes[static_cast<size_t>(r)].dependencies;
                const auto gone = std::remove(kept.begin(), kept.end(), static_cast<int>(d));
                dropped = dropped || gone != kept.end();
                kept.erase(gone, kept.end());
                continue;
            }
            todo.assign(1, r);
            while (!todo.empty()) {
                const int x = todo.back();
                todo.pop_back();
                for (int c : m_nodes[static_cast<size_t>(x)].children) {
                    if (order[static_cast<size_t>(c)] <= last
                        && markedFor[static_cast<size_t>(c)] != static_cast<int>(d)) {
                        markedFor[static_cast<size_t>(c)] = static_cast<int>(d);
                        todo.push_back(c);
                    }
                }
            }
        }
    }
    if (!dropped)
        return;
    for (Node& node : m_nodes)
        node.dependents.clear();
    for (size_t i = 0; i < n; ++i) {
        for (int d : m_nodes[i].dependencies)
            m_nodes[static_cast<size_t>(d)].dependents.push_back(static_cast<int>(i));
    }
}

template<typename Predicate> QStringList RevisionGraph::idsWhere(Predicate predicate) const
{
    QStringList ids;
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        if (predicate(m_nodes[i]))
            ids.append(m_revisions[static_cast<int>(i)].id);
    }
    return ids;
}

QStringList RevisionGraph::heads() const
{
    return idsWhere([](const Node& node) { return node.children.empty(); });
}

QStringList RevisionGraph::bases() const
{
    return idsWhere([](const Node& node) { return node.parents.empty(); });
}

QStringList RevisionGraph::idsOf(const std::vector<int>& indices) const
{
    QStringList ids;
    ids.reserve(static_cast<int>(indices.size()));
    for (int i : indices)
        ids.append(m_revisions[i].id);
    return ids;
}

QStringList RevisionGraph::children(const QString& id) const
{
    const int i = indexOf(id);
    return i < 0 ? QStringList() : idsOf(m_nodes[static_cast<size_t>(i)].children);
}

QStringList RevisionGraph::dependents(const QString& id) const
{
    const int i = indexOf(id);
    return i < 0 ? QStringList() : idsOf(m_nodes[static_cast<size_t>(i)].dependents);
}

QStringList RevisionGraph::resolvedDependencies(const QString& id) const
{
    const int i = indexOf(id);
    return i < 0 ? QStringList() : idsOf(m_nodes[static_cast<size_t>(i)].declaredDependencies);
}

bool RevisionGraph::isHead(const QString& id) const
{
    const int i = indexOf(id);
    return i >= 0 && m_nodes[static_cast<size_t>(i)].children.empty();
}

std::vector<char> RevisionGraph::closure(
    const std::vector<int>& roots, bool towardsAncestors, bool followDependencies) const
{
    std::vector<char> in(m_nodes.size(), 0);
    std::vector<int> todo;
    for (int r : roots) {
        if (!in[static_cast<size_t>(r)]) {
            in[static_cast<size_t>(r)] = 1;
            todo.push_back(r);
        }
    }
    while (!todo.empty()) {
        const int i = todo.back();
        todo.pop_back();
        const Node& node = m_nodes[static_cast<size_t>(i)];
        const std::vector<int>& a = towardsAncestors ? node.parents : node.children;
        const std::vector<int>& b = towardsAncestors ? node.dependencies : node.dependents;
        for (const std::vector<int>* edges : { &a, &b }) {
            if (edges == &b && !followDependencies)
                continue;
            for (int j : *edges) {
                if (!in[static_cast<size_t>(j)]) {
                    in[static_cast<size_t>(j)] = 1;
                    todo.push_back(j);
                }
            }
        }
    }
    return in;
}

bool RevisionGraph::isAncestor(const QString& ancestor, const QString& descendant) const
{
    const int a = indexOf(ancestor);
    const int d = indexOf(descendant);
    if (a < 0 || d < 0 || a == d)
        return false;
    return closure({ d }, true)[static_cast<size_t>(a)] != 0;
}

QStringList RevisionGraph::ancestorsOf(const QStringList& ids) const
{
    std::vector<int> roots;
    for (const QString& id : ids) {
        const int i = indexOf(id);
        if (i >= 0)
            roots.push_back(i);
    }
    const std::vector<char> in = closure(roots, true);
    QStringList out;
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i])
            out.append(m_revisions[static_cast<int>(i)].id);
    }
    return out;
}

// Depth-first post-order from the targets through parents, then dependencies:
// every revision comes after all it builds on, and one branch is finished
// before the next starts.
std::vector<int> RevisionGraph::topologicalUpgradeOrder(
    const std::vector<int>& targets, const std::vector<char>& include) const
{
    std::vector<int> order;
    std::vector<char> state(m_nodes.size(), 0);
    struct Frame
    {
        int node;
        size_t next;
    };
    std::vector<Frame> stack;
    for (int t : targets) {
        if (!include[static_cast<size_t>(t)] || state[static_cast<size_t>(t)])
            continue;
        state[static_cast<size_t>(t)] = 1;
        stack.push_back({ t, 0 });
        while (!stack.empty()) {
            Frame& top = stack.back();
            const Node& node = m_nodes[static_cast<size_t>(top.node)];
            const size_t edgeCount = node.parents.size() + node.dependencies.size();
            if (top.next < edgeCount) {
                const size_t k = top.next++;
                const int p
                    = k < node.parents.size() ? node.parents[k] : node.dependencies[k - node.parents.size()];
                if (include[static_cast<size_t>(p)] && !state[static_cast<size_t>(p)]) {
                    state[static_cast<size_t>(p)] = 1;
                    stack.push_back({ p, 0 });
                }
            } else {
                order.push_back(top.node);
                stack.pop_back();
            }
        }
    }
    return order;
}

QStringList RevisionGraph::historyOrder() const
{
    std::vector<int> headIndices;
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        if (m_nodes[i].children.empty())
            headIndices.push_back(static_cast<int>(i));
    }
    // Newest heads first, so the latest branch is on top.
    std::reverse(headIndices.begin(), headIndices.end());
    std::vector<char> all(m_nodes.size(), 1);
    std::vector<int> order = topologicalUpgradeOrder(headIndices, all);
    // Depending-only revisions that are not below any head cannot exist (every
    // chain ends in a head), so `order` holds every revision.
    std::reverse(order.begin(), order.end());
    return idsOf(order);
}

Result<std::vector<int>> RevisionGraph::indicesOf(const QStringList& ids, const QString& what) const
{
    std::vector<int> out;
    for (const QString& id : ids) {
        const int i = indexOf(id);
        if (i < 0)
            return Error::input(
                QStringLiteral("%1 revision '%2' is not in the migration repository").arg(what, id));
        out.push_back(i);
    }
    return out;
}

Result<QStringList> RevisionGraph::resolve(const QString& specifier, const QStringList& current) const
{
    return RevisionSpecifierResolver(*this).resolve(specifier, current);
}

Result<MigrationPlan> RevisionGraph::upgradePlan(const QStringList& currentHeads, const QString& target) const
{
    return MigrationPlanner(*this).upgradePlan(currentHeads, target);
}

Result<MigrationPlan> RevisionGraph::downgradePlan(
    const QStringList& currentHeads, const QString& target) const
{
    return MigrationPlanner(*this).downgradePlan(currentHeads, target);
}

} // namespace dbops
