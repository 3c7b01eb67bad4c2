#include "migrations/RevisionGraph.h"

#include <QRegularExpression>
#include <algorithm>
#include <functional>
#include <optional>
#include <queue>

namespace dbops {

namespace {

QString joinIds(const QStringList& ids, int limit = 10)
{
    if (ids.size() <= limit)
        return ids.join(QStringLiteral(", "));
    return QStringList(ids.mid(0, limit)).join(QStringLiteral(", "))
        + QStringLiteral(", ... (%1 in all)").arg(ids.size());
}

} // namespace

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

std::vector<char> RevisionGraph::lineage(int branch) const
{
    std::vector<char> in = closure({ branch }, false, false);
    const std::vector<char> below = closure({ branch }, true, false);
    for (size_t i = 0; i < in.size(); ++i)
        in[i] = in[i] || below[i];
    return in;
}

Result<int> RevisionGraph::relativeStep(
    int from, int steps, const QString& specifier, const std::vector<char>* onBranch) const
{
    int cur = from;
    for (int k = 0; k < std::abs(steps); ++k) {
        if (steps > 0) {
            // Up one step; with a branch, only along that branch (as Alembic's walk).
            std::vector<int> next;
            if (cur < 0) {
                for (size_t i = 0; i < m_nodes.size(); ++i) {
                    if (m_nodes[i].parents.empty() && (!onBranch || (*onBranch)[i]))
                        next.push_back(static_cast<int>(i));
                }
            } else {
                for (int c : m_nodes[static_cast<size_t>(cur)].children) {
                    if (!onBranch || (*onBranch)[static_cast<size_t>(c)])
                        next.push_back(c);
                }
            }
            if (next.empty())
                return cur < 0
                    ? Error::input(QStringLiteral("'%1': there is no base to go up from").arg(specifier))
                    : Error::input(QStringLiteral("'%1': revision %2 is a head; cannot go %3 step(s) up")
                                       .arg(specifier, m_revisions[cur].id)
                                       .arg(steps));
            if (next.size() > 1)
                return cur < 0
                    ? Error::input(QStringLiteral("'%1': several bases (%2); name the revision or the branch")
                                       .arg(specifier, joinIds(idsOf(next))))
                    : Error::input(QStringLiteral("'%1': revision %2 is a branch point (%3); name the branch")
                                       .arg(specifier, m_revisions[cur].id, joinIds(idsOf(next))));
            cur = next.front();
        } else {
            if (cur < 0)
                return Error::input(QStringLiteral("'%1' goes below base").arg(specifier));
            const std::vector<int>& prev = m_nodes[static_cast<size_t>(cur)].parents;
            if (prev.size() > 1)
                return Error::input(QStringLiteral("'%1': revision %2 is a merge point (%3); name the branch")
                                        .arg(specifier, m_revisions[cur].id, joinIds(idsOf(prev))));
            cur = prev.empty() ? -1 : prev.front();
        }
    }
    return cur;
}

Result<int> RevisionGraph::branchRevision(const QString& branch, const QString& specifier) const
{
    if (branch.isEmpty() || branch.contains(QLatin1Char('@')))
        return Error::input(malformedSpecifier(specifier));
    auto label = m_labels.constFind(branch);
    if (label != m_labels.constEnd())
        return *label;
    const int i = indexOf(branch);
    if (i >= 0)
        return i;
    QStringList candidates;
    for (const Revision& r : m_revisions) {
        if (r.id.startsWith(branch))
            candidates.append(r.id);
    }
    if (candidates.size() == 1)
        return indexOf(candidates.constFirst());
    return Error::input(candidates.isEmpty()
            ? QStringLiteral("unknown branch '%1' in '%2': no branch label, revision or prefix matches")
                  .arg(branch, specifier)
            : QStringLiteral("ambiguous branch '%1' in '%2': the prefix matches %3 revisions")
                  .arg(branch, specifier)
                  .arg(candidates.size()));
}

QString RevisionGraph::malformedSpecifier(const QString& specifier)
{
    return QStringLiteral(
        "malformed revision specifier '%1': with '@' use LABEL@head, LABEL@heads, LABEL@base, "
        "LABEL@REV, LABEL@+N, LABEL@-N or LABEL@base+N (a revision id may stand for the label)")
        .arg(specifier);
}

// Where LABEL@+N / LABEL@-N start: the current revision on that branch; else
// (Alembic's fallback) the tip of what is applied on it; else base.
Result<int> RevisionGraph::currentOnBranch(
    const QString& specifier, const std::vector<char>& onBranch, const QStringList& current, bool up) const
{
    std::vector<int> starts;
    for (const QString& id : current) {
        const int i = indexOf(id);
        if (i >= 0 && onBranch[static_cast<size_t>(i)]
            && std::find(starts.begin(), starts.end(), i) == starts.end())
            starts.push_back(i);
    }
    if (starts.empty()) {
        std::vector<int> roots;
        for (const QString& id : current) {
            if (indexOf(id) >= 0)
                roots.push_back(indexOf(id));
        }
        const std::vector<char> applied = closure(roots, true);
        for (size_t i = 0; i < m_nodes.size(); ++i) {
            if (!applied[i] || !onBranch[i])
                continue;
            // A tip: nothing applied (and, going up, on the branch) builds on it.
            bool tip = true;
            const Node& node = m_nodes[i];
            for (const std::vector<int>* edges : { &node.children, &node.dependents }) {
                if (!up && edges == &node.dependents)
                    continue;
                for (int c : *edges) {
                    if (applied[static_cast<size_t>(c)] && (!up || onBranch[static_cast<size_t>(c)]))
                        tip = false;
                }
            }
            if (tip)
                starts.push_back(static_cast<int>(i));
        }
    }
    if (starts.size() > 1)
        return Error::input(
            QStringLiteral("'%1': several current revisions are on that branch (%2); name one as REV@%3")
                .arg(specifier, joinIds(idsOf(starts)),
                    specifier.mid(specifier.lastIndexOf(QLatin1Char('@')) + 1)));
    if (starts.empty() && !up)
        return Error::input(QStringLiteral("'%1': nothing on that branch is applied").arg(specifier));
    return starts.empty() ? -1 : starts.front();
}

Result<QStringList> RevisionGraph::resolve(const QString& specifier, const QStringList& current) const
{
    return resolveOne(specifier.trimmed(), current);
}

Result<QStringList> RevisionGraph::resolveOne(const QString& spec, const QStringList& current) const
{
    if (spec.isEmpty())
        return Error::input(QStringLiteral("empty revision specifier"));
    if (spec == QLatin1String("base"))
        return QStringList();
    if (spec == QLatin1String("heads"))
        return heads();
    if (spec == QLatin1String("head")) {
        const QStringList h = heads();
        if (h.size() > 1)
            return Error::input(QStringLiteral("'head' is ambiguous: the repository has %1 heads (%2); "
                                               "use 'heads' or name one")
                                    .arg(h.size())
                                    .arg(joinIds(h)));
        return h;
    }

    // [LABEL@][ANCHOR](+|-)N
    static const QRegularExpression relative(QStringLiteral("^(.*?)([+-])(\\d+)$"));
    const QRegularExpressionMatch rel = relative.match(spec);
    if (rel.hasMatch() && !contains(spec)) {
        const QString anchor = rel.captured(1);
        const int steps = rel.captured(3).toInt() * (rel.captured(2) == QLatin1String("-") ? -1 : 1);
        const int at = static_cast<int>(anchor.indexOf(QLatin1Char('@')));
        const QString label = at < 0 ? QString() : anchor.left(at);
        const QString symbol = at < 0 ? anchor : anchor.mid(at + 1);
        std::vector<char> onBranch;
        if (at >= 0) {
            Result<int> branch = branchRevision(label, spec);
            if (!branch)
                return branch.error();
            if (symbol.contains(QLatin1Char('@')))
                return Error::input(malformedSpecifier(spec));
            onBranch = lineage(*branch);
        }
        int from = -1;
        if (symbol.isEmpty() && at >= 0) {
            Result<int> start = currentOnBranch(spec, onBranch, current, steps > 0);
            if (!start)
                return start.error();
            from = *start;
        } else if (symbol.isEmpty()) {
            if (current.size() > 1)
                return Error::input(
                    QStringLiteral("'%1' is relative to the current revision, but there are several "
                                   "(%2); name the branch as LABEL@%1 or REV@%1, REV one of them")
                        .arg(spec, joinIds(current)));
            if (!current.isEmpty()) {
                from = indexOf(current.constFirst());
                if (from < 0)
                    return Error::input(
                        QStringLiteral("current revision '%1' is not in the migration repository")
                            .arg(current.constFirst()));
            }
        } else {
            // Alembic checks the anchor against the branch only going down.
            Result<QStringList> base
                = resolveOne(at < 0 || steps > 0 ? symbol : label + QLatin1Char('@') + symbol, current);
            if (!base)
                return base.error();
            if (base->size() > 1)
                return Error::input(QStringLiteral("'%1': '%2' names several revisions (%3)")
                                        .arg(spec, anchor, joinIds(*base)));
            from = base->isEmpty() ? -1 : indexOf(base->constFirst());
        }
        Result<int> step = relativeStep(from, steps, spec, at >= 0 ? &onBranch : nullptr);
        if (!step)
            return step.error();
        return *step < 0 ? QStringList() : QStringList { m_revisions[*step].id };
    }

    // LABEL@head, LABEL@heads, LABEL@base, LABEL@REV (a revision id may stand
    // for the label, as in Alembic).
    const int at = static_cast<int>(spec.indexOf(QLatin1Char('@')));
    if (at >= 0) {
        const QString left = spec.left(at);
        const QString right = spec.mid(at + 1);
        if (right.isEmpty() || right.contains(QLatin1Char('@')))
            return Error::input(malformedSpecifier(spec));
        Result<int> branch = branchRevision(left, spec);
        if (!branch)
            return branch.error();
        if (right == QLatin1String("base"))
            return QStringList();
        const std::vector<char> onBranch = lineage(*branch);
        if (right == QLatin1String("head") || right == QLatin1String("heads")) {
            QStringList branchHeads;
            for (size_t i = 0; i < m_nodes.size(); ++i) {
                if (onBranch[i] && m_nodes[i].children.empty())
                    branchHeads.append(m_revisions[static_cast<int>(i)].id);
            }
            if (right == QLatin1String("head") && branchHeads.size() > 1)
                return Error::input(QStringLiteral("'%1' is ambiguous: %2 has several heads above it (%3); "
                                                   "use %2@heads or name one")
                                        .arg(spec, left, joinIds(branchHeads)));
            return branchHeads;
        }
        // LABEL@REV: REV (an id or a prefix, matched on the branch) must be on
        // the branch, above or below the label.
        int found = indexOf(right);
        if (found < 0) {
            QStringList candidates;
            for (size_t i = 0; i < m_nodes.size(); ++i) {
                if (onBranch[i] && m_revisions[static_cast<int>(i)].id.startsWith(right))
                    candidates.append(m_revisions[static_cast<int>(i)].id);
            }
            if (candidates.size() > 1)
                return Error::input(
                    QStringLiteral("ambiguous revision prefix '%1' in '%2' matches %3 revisions "
                                   "on that branch: %4")
                        .arg(right, spec)
                        .arg(candidates.size())
                        .arg(joinIds(candidates)));
            if (candidates.size() == 1)
                found = indexOf(candidates.constFirst());
        }
        if (found < 0) {
            Result<QStringList> any = resolveOne(right, current);
            if (!any)
                return Error::input(QStringLiteral("'%1': %2").arg(spec, any.error().message));
            found = any->size() == 1 ? indexOf(any->constFirst()) : -1;
        }
        if (found < 0 || !onBranch[static_cast<size_t>(found)])
            return Error::input(
                QStringLiteral("'%1': revision %2 is not on branch %3 (neither above nor below "
                               "it through down_revision)")
                    .arg(spec, found < 0 ? right : m_revisions[found].id, left));
        return QStringList { m_revisions[found].id };
    }

    if (contains(spec))
        return QStringList { spec };
    auto label = m_labels.constFind(spec);
    if (label != m_labels.constEnd())
        return QStringList { m_revisions[*label].id };

    QStringList candidates;
    for (const Revision& r : m_revisions) {
        if (r.id.startsWith(spec))
            candidates.append(r.id);
    }
    if (candidates.size() == 1)
        return candidates;
    if (candidates.size() > 1) {
        candidates.sort();
        return Error::input(QStringLiteral("ambiguous revision prefix '%1' matches %2 revisions: %3")
                                .arg(spec)
                                .arg(candidates.size())
                                .arg(joinIds(candidates)));
    }
    return Error::input(
        QStringLiteral("unknown revision '%1': no revision, prefix or branch label matches").arg(spec));
}

// A downgrade target read as Alembic's downgrade reads it
// (RevisionMap._parse_downgrade_target): X@Y goes down to Y, resolved on its
// own ('head' must be the one head), and X is the branch whose part above Y
// goes when Y has several children; -N goes down from the current revision on
// its branch.
Result<RevisionGraph::DowngradeTarget> RevisionGraph::downgradeTarget(
    const QString& specifier, const QStringList& current) const
{
    const QString spec = specifier.trimmed();
    DowngradeTarget out;
    static const QRegularExpression relative(QStringLiteral("^(?:([^@]*)@)?([^@]*)([+-])(\\d+)$"));
    const QRegularExpressionMatch rel = relative.match(spec);
    if (rel.hasMatch() && !contains(spec)) {
        const bool labelled = rel.capturedLength(1) > 0 || spec.contains(QLatin1Char('@'));
        const bool up = rel.captured(3) == QLatin1String("+");
        if (rel.captured(2).isEmpty()) {
            // Alembic: "Relative revision +1 didn't produce 1 migrations".
            if (up || rel.captured(4).toInt() == 0)
                return Error::input(
                    QStringLiteral("'%1' is not a downgrade target: a downgrade relative to the "
                                   "current revision goes down, -1, -2, ...")
                        .arg(spec));
            if (!labelled) {
                if (current.isEmpty())
                    return Error::input(
                        QStringLiteral("'%1': nothing is applied, so there is nothing to go down from")
                            .arg(spec));
                out.branch = indexOf(current.constFirst()); // several: resolveOne refuses
            }
        }
        if (labelled) {
            Result<int> branch = branchRevision(rel.captured(1), spec);
            if (!branch)
                return branch.error();
            out.branch = *branch;
        }
        Result<QStringList> ids = resolveOne(spec, current);
        if (!ids)
            return ids.error();
        out.revisions = *indicesOf(*ids, QStringLiteral("target"));
        return out;
    }
    const int at = static_cast<int>(spec.indexOf(QLatin1Char('@')));
    if (at >= 0 && !contains(spec)) {
        const QString right = spec.mid(at + 1);
        if (right.isEmpty() || right.contains(QLatin1Char('@')))
            return Error::input(malformedSpecifier(spec));
        Result<int> branch = branchRevision(spec.left(at), spec);
        if (!branch)
            return branch.error();
        out.branch = *branch;
        if (right == QLatin1String("head") || right == QLatin1String("heads")) {
            // Alembic resolves 'head' here for the whole repository.
            const QStringList all = heads();
            if (all.size() > 1)
                return Error::input(QStringLiteral(
                    "cannot downgrade to '%1': the repository has %2 heads (%3), and a downgrade "
                    "(as Alembic's) reads X@%4 as the one head; name the revision to go down to")
                                        .arg(spec)
                                        .arg(all.size())
                                        .arg(joinIds(all), right));
            out.revisions = *indicesOf(all, QStringLiteral("target"));
            return out;
        }
        if (right == QLatin1String("base"))
            return out;
        Result<QStringList> ids = resolveOne(right, current);
        if (!ids)
            return Error::input(QStringLiteral("'%1': %2").arg(spec, ids.error().message));
        out.revisions = *indicesOf(*ids, QStringLiteral("target"));
        return out;
    }
    Result<QStringList> ids = resolveOne(spec, current);
    if (!ids)
        return ids.error();
    out.revisions = *indicesOf(*ids, QStringLiteral("target"));
    return out;
}

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

Result<MigrationPlan> RevisionGraph::upgradePlan(const QStringList& currentHeads, const QString& target) const
{
    Result<std::vector<int>> current = indicesOf(currentHeads, QStringLiteral("current"));
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
    Result<QStringList> targetIds = resolve(target, currentHeads);
    if (!targetIds)
        return targetIds.error();
    std::vector<int> targets = *indicesOf(*targetIds, QStringLiteral("target"));
    // LABEL@heads may name a head another one depends on; Alembic refuses
    // such overlapping targets ("Requested revision X overlaps with other
    // requested revisions"), and so does dbops for this form.
    if (targets.size() > 1 && target.trimmed().endsWith(QLatin1String("@heads"))) {
        std::vector<int> below;
        for (int t : targets) {
            const Node& node = m_nodes[static_cast<size_t>(t)];
            below.insert(below.end(), node.parents.begin(), node.parents.end());
            below.insert(below.end(), node.dependencies.begin(), node.dependencies.end());
        }
        const std::vector<char> implied = closure(below, true);
        for (int t : targets) {
            if (implied[static_cast<size_t>(t)])
                return Error::input(
                    QStringLiteral("cannot upgrade to '%1': head %2 is below another of its heads "
                                   "through depends_on (Alembic refuses such overlapping targets "
                                   "too); name the heads, or use heads")
                        .arg(target.trimmed(), m_revisions[t].id));
        }
    }

    const std::vector<char> applied = closure(*current, true);
    const std::vector<char> wanted = closure(targets, true);
    std::vector<char> include(m_nodes.size(), 0);
    for (size_t i = 0; i < include.size(); ++i)
        include[i] = wanted[i] && !applied[i];

    MigrationPlan plan;
    plan.upgrade = true;
    plan.startHeads = currentHeads;
    plan.targetDescription = target;
    VersionRows rows(*current, m_nodes.size());
    for (int i : topologicalUpgradeOrder(targets, include)) {
        const Revision& r = m_revisions[i];
        const Node& node = m_nodes[static_cast<size_t>(i)];
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
            change.deletes = idsOf(std::vector<int>(present.begin(), present.end() - 1));
            change.updateFrom = m_revisions[present.back()].id;
            change.updateTo = r.id;
        }
        for (int gone : present)
            rows.removeAll(gone);
        rows.append(i);
        plan.steps.append(step);
    }
    plan.endHeads = idsOf(rows.list());
    return plan;
}

Result<MigrationPlan> RevisionGraph::downgradePlan(
    const QStringList& currentHeads, const QString& target) const
{
    Result<std::vector<int>> current = indicesOf(currentHeads, QStringLiteral("current"));
    if (!current)
        return current.error();
    Result<DowngradeTarget> parsed = downgradeTarget(target, currentHeads);
    if (!parsed)
        return parsed.error();
    const std::vector<int>& targets = parsed->revisions;

    const std::vector<char> applied = closure(*current, true);
    for (int t : targets) {
        if (!applied[static_cast<size_t>(t)])
            return Error::input(
                QStringLiteral("cannot downgrade to %1: it is not at or below the current revision(s) "
                               "%2; use upgrade instead")
                    .arg(m_revisions[t].id,
                        currentHeads.isEmpty() ? QStringLiteral("(base)") : joinIds(currentHeads)));
    }
    // Like Alembic: what is built on the targets' children (on the bases for
    // base), through depends_on too, not what only depends on a target (the
    // target stays, so its dependents may too).  With a branch (X@Y, -N) and
    // several such roots, only those below the branch's revision.
    std::vector<int> roots;
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        if (targets.empty() && m_nodes[i].parents.empty())
            roots.push_back(static_cast<int>(i));
    }
    for (int t : targets)
        roots.insert(roots.end(), m_nodes[static_cast<size_t>(t)].children.begin(),
            m_nodes[static_cast<size_t>(t)].children.end());
    if (parsed->branch >= 0 && roots.size() > 1) {
        const std::vector<char> below = closure({ parsed->branch }, true, false);
        roots.erase(
            std::remove_if(roots.begin(), roots.end(), [&](int r) { return !below[static_cast<size_t>(r)]; }),
            roots.end());
        if (roots.empty())
            return Error::input(QStringLiteral("cannot downgrade to '%1': branch %2 is not above it")
                                    .arg(target.trimmed(), m_revisions[parsed->branch].id));
    }
    const std::vector<char> above = closure(roots, false);
    std::vector<char> remove(m_nodes.size(), 0);
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
            const std::vector<int>& children = m_nodes[static_cast<size_t>(t)].children;
            if (parsed->branch >= 0 && std::any_of(children.begin(), children.end(), [&](int c) {
                    return applied[static_cast<size_t>(c)];
                }))
                return Error::input(
                    QStringLiteral("cannot downgrade to '%1': nothing on branch %2 above %3 is applied")
                        .arg(target.trimmed(), m_revisions[parsed->branch].id, m_revisions[t].id));
            return Error::input(
                QStringLiteral("cannot downgrade to %1: the current revision(s) %2 only depend "
                               "on it (depends_on), nothing above it through down_revision is "
                               "applied")
                    .arg(m_revisions[t].id, joinIds(currentHeads)));
        }
    }

    std::vector<int> order = topologicalUpgradeOrder(*current, remove);
    std::reverse(order.begin(), order.end());

    // Alembic moves a rolled-back revision's row to those of its parents and
    // dependencies that no other row implies (HeadMaintainer's unmerge).  Not
    // by a closure per step (quadratic): `live` is what is still applied, and
    // `builders` counts the live revisions built directly on each one.
    std::vector<char> live = applied;
    std::vector<int> builders(m_nodes.size(), 0);
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        if (!applied[i])
            continue;
        for (const std::vector<int>* edges : { &m_nodes[i].parents, &m_nodes[i].dependencies }) {
            for (int p : *edges)
                ++builders[static_cast<size_t>(p)];
        }
    }
    VersionRows rows(*current, m_nodes.size());
    std::vector<int> seen(m_nodes.size(), -1);
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
        const int goneOrder = m_nodes[static_cast<size_t>(gone)].order;
        seen[static_cast<size_t>(p)] = ++search;
        todo.assign(1, p);
        while (!todo.empty()) {
            const Node& node = m_nodes[static_cast<size_t>(todo.back())];
            todo.pop_back();
            for (const std::vector<int>* edges : { &node.children, &node.dependents }) {
                for (int y : *edges) {
                    if (!live[static_cast<size_t>(y)] || seen[static_cast<size_t>(y)] == search)
                        continue;
                    if (rows.contains(y) || m_nodes[static_cast<size_t>(y)].order > goneOrder)
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
        const Revision& r = m_revisions[i];
        if (!r.downgrade.present)
            return Error::input(
                QStringLiteral("revision %1 has no '-- +downgrade' section, so it cannot be rolled back")
                    .arg(r.id),
                r.filePath, r.revisionLine);
        const Node& node = m_nodes[static_cast<size_t>(i)];
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
            change.updateTo = m_revisions[to.front()].id;
            change.inserts = idsOf(std::vector<int>(to.begin() + 1, to.end()));
        }
        for (int p : to)
            rows.append(p);
        plan.steps.append(step);
    }
    plan.endHeads = idsOf(rows.list());
    return plan;
}

} // namespace dbops
