// The branch labels `alembic history` shows on each revision: Alembic's
// RevisionMap._add_branches, computed once per graph in linear time with
// shared sets.
#include "migrations/RevisionGraph.h"

#include <algorithm>
#include <iterator>

namespace dbops {

namespace {

std::vector<int> unite(const std::vector<int>& a, const std::vector<int>& b)
{
    std::vector<int> out;
    out.reserve(a.size() + b.size());
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

} // namespace

void RevisionGraph::spreadBranchLabels()
{
    const size_t n = m_nodes.size();
    m_labelSets.clear();
    m_labelsFromAbove.assign(n, -1);
    m_labelsFromBelow.assign(n, -1);
    QStringList names;
    for (const Revision& r : std::as_const(m_revisions))
        names += r.branchLabels;
    if (names.isEmpty())
        return;
    // Label ids in alphabetical order, so that a sorted set of ids lists its
    // names sorted (Alembic prints a Python set, in no stable order).
    names.sort();
    names.removeDuplicates();
    m_labelNames = names;
    QHash<QString, int> labelId;
    for (int i = 0; i < names.size(); ++i)
        labelId.insert(names.at(i), i);
    std::vector<std::vector<int>> own(n);
    for (size_t i = 0; i < n; ++i) {
        for (const QString& label : m_revisions[static_cast<int>(i)].branchLabels)
            own[i].push_back(labelId.value(label));
        std::sort(own[i].begin(), own[i].end());
    }

    std::vector<int> byOrder(n);
    for (size_t i = 0; i < n; ++i)
        byOrder[static_cast<size_t>(m_nodes[i].order)] = static_cast<int>(i);

    // From above: a revision carries the labels of every down_revision
    // ancestor (_get_descendant_nodes without dependencies, through merges).
    // A revision with one parent and no label of its own shares its parent's set.
    for (const int i : byOrder) {
        const Node& node = m_nodes[static_cast<size_t>(i)];
        std::vector<int> sets;
        for (const int p : node.parents) {
            const int set = m_labelsFromAbove[static_cast<size_t>(p)];
            if (set >= 0 && std::find(sets.begin(), sets.end(), set) == sets.end())
                sets.push_back(set);
        }
        const std::vector<int>& mine = own[static_cast<size_t>(i)];
        if (mine.empty() && sets.size() <= 1) {
            m_labelsFromAbove[static_cast<size_t>(i)] = sets.empty() ? -1 : sets.front();
            continue;
        }
        std::vector<int> merged = mine;
        for (const int set : sets)
            merged = unite(merged, m_labelSets[static_cast<size_t>(set)]);
        int reuse = -1;
        for (const int set : sets) {
            if (m_labelSets[static_cast<size_t>(set)].size() == merged.size())
                reuse = set;
        }
        if (reuse < 0) {
            m_labelSets.push_back(std::move(merged));
            reuse = static_cast<int>(m_labelSets.size()) - 1;
        }
        m_labelsFromAbove[static_cast<size_t>(i)] = reuse;
    }

    // From below: after labelling the descendants, _add_branches walks up
    // from the last descendant it visited, labelling each revision until one
    // is a merge point or a "real" branch point (two or more revisions name
    // it as down_revision or in depends_on).  That walk passes above the
    // labelled revision only when its descendants form one plain line (a
    // depth-first visit ends anywhere else below a branch or merge point).
    std::vector<int> namedBy(n, 0); // Alembic's len(_all_nextrev)
    for (size_t i = 0; i < n; ++i) {
        namedBy[i] += static_cast<int>(m_nodes[i].children.size());
        for (const int d : m_nodes[i].declaredDependencies)
            ++namedBy[static_cast<size_t>(d)];
    }
    auto stopsWalk = [this, &namedBy](int i) {
        return m_nodes[static_cast<size_t>(i)].parents.size() > 1 || namedBy[static_cast<size_t>(i)] > 1;
    };
    std::vector<char> plainLineBelow(n, 0); // this revision and its descendants form one plain line
    for (auto it = byOrder.rbegin(); it != byOrder.rend(); ++it) {
        const int i = *it;
        const Node& node = m_nodes[static_cast<size_t>(i)];
        plainLineBelow[static_cast<size_t>(i)] = !stopsWalk(i)
            && (node.children.empty() || plainLineBelow[static_cast<size_t>(node.children.front())]);
        if (stopsWalk(i) || node.children.size() != 1)
            continue;
        const int child = node.children.front();
        if (m_nodes[static_cast<size_t>(child)].parents.size() > 1)
            continue; // the walk stops at the merge below
        const int arriving = m_labelsFromBelow[static_cast<size_t>(child)];
        const std::vector<int>& childLabels = own[static_cast<size_t>(child)];
        if (childLabels.empty() || !plainLineBelow[static_cast<size_t>(child)]) {
            m_labelsFromBelow[static_cast<size_t>(i)] = arriving;
            continue;
        }
        m_labelSets.push_back(
            arriving < 0 ? childLabels : unite(childLabels, m_labelSets[static_cast<size_t>(arriving)]));
        m_labelsFromBelow[static_cast<size_t>(i)] = static_cast<int>(m_labelSets.size()) - 1;
    }
}

QStringList RevisionGraph::effectiveBranchLabels(const QString& id) const
{
    const int i = indexOf(id);
    if (i < 0 || m_labelNames.isEmpty())
        return {};
    const int above = m_labelsFromAbove[static_cast<size_t>(i)];
    const int below = m_labelsFromBelow[static_cast<size_t>(i)];
    const std::vector<int> none;
    const std::vector<int> ids = unite(above < 0 ? none : m_labelSets[static_cast<size_t>(above)],
        below < 0 ? none : m_labelSets[static_cast<size_t>(below)]);
    QStringList labels;
    labels.reserve(static_cast<int>(ids.size()));
    for (const int label : ids)
        labels.append(m_labelNames.at(label));
    return labels;
}

} // namespace dbops
