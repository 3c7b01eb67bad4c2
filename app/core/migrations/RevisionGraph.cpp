#include "migrations/RevisionGraph.h"

#include <QRegularExpression>
#include <QSet>
#include <algorithm>

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
                errors.append(
                    Error::graph(QStringLiteral("revision %1 names itself as down_revision").arg(r.id),
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
            if (d == i || std::find(node.parents.begin(), node.parents.end(), d) != node.parents.end()
                || std::find(node.declaredDependencies.begin(), node.declaredDependencies.end(), d)
                    != node.declaredDependencies.end())
                continue;
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

    // Cycles: Kahn's algorithm over all edges; what remains lies on or after a cycle.
    if (errors.isEmpty()) {
        std::vector<int> pending(static_cast<size_t>(n), 0);
        std::vector<int> ready;
        for (int i = 0; i < n; ++i) {
            const Node& node = graph.m_nodes[static_cast<size_t>(i)];
            pending[static_cast<size_t>(i)]
                = static_cast<int>(node.parents.size() + node.dependencies.size());
            if (pending[static_cast<size_t>(i)] == 0)
                ready.push_back(i);
        }
        int done = 0;
        while (!ready.empty()) {
            const int i = ready.back();
            ready.pop_back();
            ++done;
            const Node& node = graph.m_nodes[static_cast<size_t>(i)];
            for (int c : node.children) {
                if (--pending[static_cast<size_t>(c)] == 0)
                    ready.push_back(c);
            }
            for (int c : node.dependents) {
                if (--pending[static_cast<size_t>(c)] == 0)
                    ready.push_back(c);
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

    // Alembic's normalisation: a dependency that a down_revision ancestor
    // already declares is dropped; it decides which version rows a step moves.
    for (int i = 0; i < n; ++i) {
        Node& node = graph.m_nodes[static_cast<size_t>(i)];
        if (node.dependencies.empty())
            continue;
        const std::vector<char> lineage = graph.closure(node.parents, true, false);
        std::vector<char> declaredBelow(static_cast<size_t>(n), 0);
        for (int a = 0; a < n; ++a) {
            if (lineage[static_cast<size_t>(a)]) {
                for (int d : graph.m_nodes[static_cast<size_t>(a)].declaredDependencies)
                    declaredBelow[static_cast<size_t>(d)] = 1;
            }
        }
        std::vector<int> kept;
        for (int d : node.dependencies) {
            if (declaredBelow[static_cast<size_t>(d)]) {
                auto& dependents = graph.m_nodes[static_cast<size_t>(d)].dependents;
                dependents.erase(std::remove(dependents.begin(), dependents.end(), i), dependents.end());
            } else {
                kept.push_back(d);
            }
        }
        node.dependencies = kept;
    }
    return graph;
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

Result<int> RevisionGraph::relativeStep(int from, int steps, const QString& specifier) const
{
    int cur = from;
    for (int k = 0; k < std::abs(steps); ++k) {
        if (steps > 0) {
            const std::vector<int>& next
                = cur < 0 ? std::vector<int>() : m_nodes[static_cast<size_t>(cur)].children;
            if (cur < 0) {
                const QStringList baseIds = bases();
                if (baseIds.size() != 1)
                    return Error::input(QStringLiteral("'%1': several bases (%2); name the revision")
                                            .arg(specifier, joinIds(baseIds)));
                cur = indexOf(baseIds.constFirst());
                continue;
            }
            if (next.empty())
                return Error::input(QStringLiteral("'%1': revision %2 is a head; cannot go %3 step(s) up")
                                        .arg(specifier, m_revisions[cur].id)
                                        .arg(steps));
            if (next.size() > 1)
                return Error::input(
                    QStringLiteral("'%1': revision %2 is a branch point (%3); name the branch")
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

    static const QRegularExpression relative(QStringLiteral("^(.*?)([+-])(\\d+)$"));
    const QRegularExpressionMatch rel = relative.match(spec);
    if (rel.hasMatch() && !contains(spec)) {
        const QString anchor = rel.captured(1);
        const int steps = rel.captured(3).toInt() * (rel.captured(2) == QLatin1String("-") ? -1 : 1);
        int from = -1;
        if (anchor.isEmpty()) {
            if (current.size() > 1)
                return Error::input(
                    QStringLiteral("'%1' is relative to the current revision, but there are several "
                                   "(%2); name one as REV%3")
                        .arg(spec, joinIds(current), spec));
            if (!current.isEmpty()) {
                from = indexOf(current.constFirst());
                if (from < 0)
                    return Error::input(
                        QStringLiteral("current revision '%1' is not in the migration repository")
                            .arg(current.constFirst()));
            }
        } else {
            Result<QStringList> base = resolveOne(anchor, current);
            if (!base)
                return base.error();
            if (base->size() > 1)
                return Error::input(QStringLiteral("'%1': '%2' names several revisions (%3)")
                                        .arg(spec, anchor, joinIds(*base)));
            from = base->isEmpty() ? -1 : indexOf(base->constFirst());
        }
        Result<int> step = relativeStep(from, steps, spec);
        if (!step)
            return step.error();
        return *step < 0 ? QStringList() : QStringList { m_revisions[*step].id };
    }

    const int at = static_cast<int>(spec.indexOf(QLatin1Char('@')));
    if (at >= 0) {
        const QString left = spec.left(at);
        const QString right = spec.mid(at + 1);
        if (right != QLatin1String("head"))
            return Error::input(
                QStringLiteral("unsupported specifier '%1': use LABEL@head or REV@head").arg(spec));
        Result<QStringList> anchor = resolveOne(left, current);
        if (!anchor)
            return anchor.error();
        if (anchor->size() != 1)
            return Error::input(QStringLiteral("'%1' does not name one revision").arg(left));
        const int a = indexOf(anchor->constFirst());
        // The branch above: down_revision edges only, as Alembic's LABEL@head.
        const std::vector<char> below = closure({ a }, false, false);
        QStringList branchHeads;
        for (size_t i = 0; i < m_nodes.size(); ++i) {
            if (below[i] && m_nodes[i].children.empty())
                branchHeads.append(m_revisions[static_cast<int>(i)].id);
        }
        if (branchHeads.size() > 1)
            return Error::input(QStringLiteral("'%1' is ambiguous: %2 has several heads above it (%3)")
                                    .arg(spec, left, joinIds(branchHeads)));
        return branchHeads;
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

Result<MigrationPlan> RevisionGraph::upgradePlan(const QStringList& currentHeads, const QString& target) const
{
    Result<std::vector<int>> current = indicesOf(currentHeads, QStringLiteral("current"));
    if (!current)
        return current.error();
    Result<QStringList> targetIds = resolve(target, currentHeads);
    if (!targetIds)
        return targetIds.error();
    std::vector<int> targets = *indicesOf(*targetIds, QStringLiteral("target"));

    const std::vector<char> applied = closure(*current, true);
    const std::vector<char> wanted = closure(targets, true);
    std::vector<char> include(m_nodes.size(), 0);
    for (size_t i = 0; i < include.size(); ++i)
        include[i] = wanted[i] && !applied[i];

    MigrationPlan plan;
    plan.upgrade = true;
    plan.startHeads = currentHeads;
    plan.targetDescription = target;
    QStringList heads = currentHeads;
    for (int i : topologicalUpgradeOrder(targets, include)) {
        const Revision& r = m_revisions[i];
        const Node& node = m_nodes[static_cast<size_t>(i)];
        MigrationStep step;
        step.revision = r.id;
        step.upgrade = true;
        step.fromRevisions = r.downRevisions;
        step.toRevisions = QStringList { r.id };
        QStringList present;
        for (const std::vector<int>* edges : { &node.parents, &node.dependencies }) {
            for (int p : *edges) {
                if (heads.contains(m_revisions[p].id))
                    present.append(m_revisions[p].id);
            }
        }
        VersionTableChange& change = step.versionChange;
        if (present.isEmpty()) {
            change.inserts.append(r.id);
        } else {
            change.deletes = present.mid(0, present.size() - 1);
            change.updateFrom = present.constLast();
            change.updateTo = r.id;
        }
        for (const QString& gone : std::as_const(present))
            heads.removeAll(gone);
        heads.append(r.id);
        plan.steps.append(step);
    }
    plan.endHeads = heads;
    return plan;
}

Result<MigrationPlan> RevisionGraph::downgradePlan(
    const QStringList& currentHeads, const QString& target) const
{
    Result<std::vector<int>> current = indicesOf(currentHeads, QStringLiteral("current"));
    if (!current)
        return current.error();
    Result<QStringList> targetIds = resolve(target, currentHeads);
    if (!targetIds)
        return targetIds.error();
    const std::vector<int> targets = *indicesOf(*targetIds, QStringLiteral("target"));

    const std::vector<char> applied = closure(*current, true);
    std::vector<char> remove = applied;
    if (!targets.empty()) {
        for (int t : targets) {
            if (!applied[static_cast<size_t>(t)])
                return Error::input(
                    QStringLiteral("cannot downgrade to %1: it is not at or below the current revision(s) "
                                   "%2; use upgrade instead")
                        .arg(m_revisions[t].id,
                            currentHeads.isEmpty() ? QStringLiteral("(base)") : joinIds(currentHeads)));
        }
        // Like Alembic: what is built on the targets' children, not what only
        // depends on a target (the target stays, so its dependents may too).
        std::vector<int> children;
        for (int t : targets) {
            for (int c : m_nodes[static_cast<size_t>(t)].children) {
                if (applied[static_cast<size_t>(c)])
                    children.push_back(c);
            }
        }
        const std::vector<char> above = closure(children, false);
        for (size_t i = 0; i < remove.size(); ++i)
            remove[i] = applied[i] && above[i];
        for (int t : targets)
            remove[static_cast<size_t>(t)] = 0;
    }

    std::vector<int> order = topologicalUpgradeOrder(*current, remove);
    std::reverse(order.begin(), order.end());

    MigrationPlan plan;
    plan.upgrade = false;
    plan.startHeads = currentHeads;
    plan.targetDescription = target;
    QStringList heads = currentHeads;
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

        QStringList others = heads;
        others.removeAll(r.id);
        const QStringList keep = ancestorsOf(others);
        const QSet<QString> kept(keep.begin(), keep.end());
        QStringList to;
        for (const std::vector<int>* edges : { &node.parents, &node.dependencies }) {
            for (int p : *edges) {
                if (!kept.contains(m_revisions[p].id))
                    to.append(m_revisions[p].id);
            }
        }
        VersionTableChange& change = step.versionChange;
        if (to.isEmpty()) {
            change.deletes.append(r.id);
        } else {
            change.updateFrom = r.id;
            change.updateTo = to.constFirst();
            change.inserts = to.mid(1);
        }
        heads = others;
        heads.append(to);
        plan.steps.append(step);
    }
    plan.endHeads = heads;
    return plan;
}

} // namespace dbops
