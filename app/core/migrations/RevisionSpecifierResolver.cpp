// Alembic's revision specifiers (head, heads, base, LABEL@REV, +N/-N, ...)
// resolved against a RevisionGraph, and downgrade targets as Alembic's
// downgrade reads them.
#include "migrations/RevisionSpecifierResolver.h"

#include "migrations/RevisionIdList.h"

#include <QRegularExpression>
#include <algorithm>
#include <cstdlib>

namespace dbops {

std::vector<char> RevisionSpecifierResolver::lineage(int branch) const
{
    std::vector<char> in = m_graph.closure({ branch }, false, false);
    const std::vector<char> below = m_graph.closure({ branch }, true, false);
    for (size_t i = 0; i < in.size(); ++i)
        in[i] = in[i] || below[i];
    return in;
}

Result<int> RevisionSpecifierResolver::relativeStep(
    int from, int steps, const QString& specifier, const std::vector<char>* onBranch) const
{
    int cur = from;
    for (int k = 0; k < std::abs(steps); ++k) {
        if (steps > 0) {
            // Up one step; with a branch, only along that branch (as Alembic's walk).
            std::vector<int> next;
            if (cur < 0) {
                for (size_t i = 0; i < m_graph.m_nodes.size(); ++i) {
                    if (m_graph.m_nodes[i].parents.empty() && (!onBranch || (*onBranch)[i]))
                        next.push_back(static_cast<int>(i));
                }
            } else {
                for (int c : m_graph.m_nodes[static_cast<size_t>(cur)].children) {
                    if (!onBranch || (*onBranch)[static_cast<size_t>(c)])
                        next.push_back(c);
                }
            }
            if (next.empty())
                return cur < 0
                    ? Error::input(QStringLiteral("'%1': there is no base to go up from").arg(specifier))
                    : Error::input(QStringLiteral("'%1': revision %2 is a head; cannot go %3 step(s) up")
                                       .arg(specifier, m_graph.m_revisions[cur].id)
                                       .arg(steps));
            if (next.size() > 1)
                return cur < 0
                    ? Error::input(QStringLiteral("'%1': several bases (%2); name the revision or the branch")
                                       .arg(specifier, joinIds(m_graph.idsOf(next))))
                    : Error::input(
                        QStringLiteral("'%1': revision %2 is a branch point (%3); name the branch")
                            .arg(specifier, m_graph.m_revisions[cur].id, joinIds(m_graph.idsOf(next))));
            cur = next.front();
        } else {
            if (cur < 0)
                return Error::input(QStringLiteral("'%1' goes below base").arg(specifier));
            const std::vector<int>& prev = m_graph.m_nodes[static_cast<size_t>(cur)].parents;
            if (prev.size() > 1)
                return Error::input(
                    QStringLiteral("'%1': revision %2 is a merge point (%3); name the branch")
                        .arg(specifier, m_graph.m_revisions[cur].id, joinIds(m_graph.idsOf(prev))));
            cur = prev.empty() ? -1 : prev.front();
        }
    }
    return cur;
}

Result<int> RevisionSpecifierResolver::branchRevision(const QString& branch, const QString& specifier) const
{
    if (branch.isEmpty() || branch.contains(QLatin1Char('@')))
        return Error::input(malformedSpecifier(specifier));
    auto label = m_graph.m_labels.constFind(branch);
    if (label != m_graph.m_labels.constEnd())
        return *label;
    const int i = m_graph.indexOf(branch);
    if (i >= 0)
        return i;
    QStringList candidates;
    for (const Revision& r : m_graph.m_revisions) {
        if (r.id.startsWith(branch))
            candidates.append(r.id);
    }
    if (candidates.size() == 1)
        return m_graph.indexOf(candidates.constFirst());
    return Error::input(candidates.isEmpty()
            ? QStringLiteral("unknown branch '%1' in '%2': no branch label, revision or prefix matches")
                  .arg(branch, specifier)
            : QStringLiteral("ambiguous branch '%1' in '%2': the prefix matches %3 revisions")
                  .arg(branch, specifier)
                  .arg(candidates.size()));
}

QString RevisionSpecifierResolver::malformedSpecifier(const QString& specifier)
{
    return QStringLiteral(
        "malformed revision specifier '%1': with '@' use LABEL@head, LABEL@heads, LABEL@base, "
        "LABEL@REV, LABEL@+N, LABEL@-N or LABEL@base+N (a revision id may stand for the label)")
        .arg(specifier);
}

// Where LABEL@+N / LABEL@-N start: the current revision on that branch; else
// (Alembic's fallback) the tip of what is applied on it; else base.
Result<int> RevisionSpecifierResolver::currentOnBranch(
    const QString& specifier, const std::vector<char>& onBranch, const QStringList& current, bool up) const
{
    std::vector<int> starts;
    for (const QString& id : current) {
        const int i = m_graph.indexOf(id);
        if (i >= 0 && onBranch[static_cast<size_t>(i)]
            && std::find(starts.begin(), starts.end(), i) == starts.end())
            starts.push_back(i);
    }
    if (starts.empty()) {
        std::vector<int> roots;
        for (const QString& id : current) {
            if (m_graph.indexOf(id) >= 0)
                roots.push_back(m_graph.indexOf(id));
        }
        const std::vector<char> applied = m_graph.closure(roots, true);
        for (size_t i = 0; i < m_graph.m_nodes.size(); ++i) {
            if (!applied[i] || !onBranch[i])
                continue;
            // A tip: nothing applied (and, going up, on the branch) builds on it.
            bool tip = true;
            const RevisionGraph::Node& node = m_graph.m_nodes[i];
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
                .arg(specifier, joinIds(m_graph.idsOf(starts)),
                    specifier.mid(specifier.lastIndexOf(QLatin1Char('@')) + 1)));
    if (starts.empty() && !up)
        return Error::input(QStringLiteral("'%1': nothing on that branch is applied").arg(specifier));
    return starts.empty() ? -1 : starts.front();
}

Result<QStringList> RevisionSpecifierResolver::resolve(
    const QString& specifier, const QStringList& current) const
{
    return resolveOne(specifier.trimmed(), current);
}

Result<QStringList> RevisionSpecifierResolver::resolveOne(
    const QString& spec, const QStringList& current) const
{
    if (spec.isEmpty())
        return Error::input(QStringLiteral("empty revision specifier"));
    if (spec == QLatin1String("base"))
        return QStringList();
    if (spec == QLatin1String("heads"))
        return m_graph.heads();
    if (spec == QLatin1String("head")) {
        const QStringList h = m_graph.heads();
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
    if (rel.hasMatch() && !m_graph.contains(spec)) {
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
                from = m_graph.indexOf(current.constFirst());
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
            from = base->isEmpty() ? -1 : m_graph.indexOf(base->constFirst());
        }
        Result<int> step = relativeStep(from, steps, spec, at >= 0 ? &onBranch : nullptr);
        if (!step)
            return step.error();
        return *step < 0 ? QStringList() : QStringList { m_graph.m_revisions[*step].id };
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
            for (size_t i = 0; i < m_graph.m_nodes.size(); ++i) {
                if (onBranch[i] && m_graph.m_nodes[i].children.empty())
                    branchHeads.append(m_graph.m_revisions[static_cast<int>(i)].id);
            }
            if (right == QLatin1String("head") && branchHeads.size() > 1)
                return Error::input(QStringLiteral("'%1' is ambiguous: %2 has several heads above it (%3); "
                                                   "use %2@heads or name one")
                                        .arg(spec, left, joinIds(branchHeads)));
            return branchHeads;
        }
        // LABEL@REV: REV (an id or a prefix, matched on the branch) must be on
        // the branch, above or below the label.
        int found = m_graph.indexOf(right);
        if (found < 0) {
            QStringList candidates;
            for (size_t i = 0; i < m_graph.m_nodes.size(); ++i) {
                if (onBranch[i] && m_graph.m_revisions[static_cast<int>(i)].id.startsWith(right))
                    candidates.append(m_graph.m_revisions[static_cast<int>(i)].id);
            }
            if (candidates.size() > 1)
                return Error::input(
                    QStringLiteral("ambiguous revision prefix '%1' in '%2' matches %3 revisions "
                                   "on that branch: %4")
                        .arg(right, spec)
                        .arg(candidates.size())
                        .arg(joinIds(candidates)));
            if (candidates.size() == 1)
                found = m_graph.indexOf(candidates.constFirst());
        }
        if (found < 0) {
            Result<QStringList> any = resolveOne(right, current);
            if (!any)
                return Error::input(QStringLiteral("'%1': %2").arg(spec, any.error().message));
            found = any->size() == 1 ? m_graph.indexOf(any->constFirst()) : -1;
        }
        if (found < 0 || !onBranch[static_cast<size_t>(found)])
            return Error::input(
                QStringLiteral("'%1': revision %2 is not on branch %3 (neither above nor below "
                               "it through down_revision)")
                    .arg(spec, found < 0 ? right : m_graph.m_revisions[found].id, left));
        return QStringList { m_graph.m_revisions[found].id };
    }

    if (m_graph.contains(spec))
        return QStringList { spec };
    auto label = m_graph.m_labels.constFind(spec);
    if (label != m_graph.m_labels.constEnd())
        return QStringList { m_graph.m_revisions[*label].id };

    QStringList candidates;
    for (const Revision& r : m_graph.m_revisions) {
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
Result<RevisionSpecifierResolver::DowngradeTarget> RevisionSpecifierResolver::downgradeTarget(
    const QString& specifier, const QStringList& current) const
{
    const QString spec = specifier.trimmed();
    DowngradeTarget out;
    static const QRegularExpression relative(QStringLiteral("^(?:([^@]*)@)?([^@]*)([+-])(\\d+)$"));
    const QRegularExpressionMatch rel = relative.match(spec);
    if (rel.hasMatch() && !m_graph.contains(spec)) {
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
                out.branch = m_graph.indexOf(current.constFirst()); // several: resolveOne refuses
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
        out.revisions = *m_graph.indicesOf(*ids, QStringLiteral("target"));
        return out;
    }
    const int at = static_cast<int>(spec.indexOf(QLatin1Char('@')));
    if (at >= 0 && !m_graph.contains(spec)) {
        const QString right = spec.mid(at + 1);
        if (right.isEmpty() || right.contains(QLatin1Char('@')))
            return Error::input(malformedSpecifier(spec));
        Result<int> branch = branchRevision(spec.left(at), spec);
        if (!branch)
            return branch.error();
        out.branch = *branch;
        if (right == QLatin1String("head") || right == QLatin1String("heads")) {
            // Alembic resolves 'head' here for the whole repository.
            const QStringList all = m_graph.heads();
            if (all.size() > 1)
                return Error::input(QStringLiteral(
                    "cannot downgrade to '%1': the repository has %2 heads (%3), and a downgrade "
                    "(as Alembic's) reads X@%4 as the one head; name the revision to go down to")
                                        .arg(spec)
                                        .arg(all.size())
                                        .arg(joinIds(all), right));
            out.revisions = *m_graph.indicesOf(all, QStringLiteral("target"));
            return out;
        }
        if (right == QLatin1String("base"))
            return out;
        Result<QStringList> ids = resolveOne(right, current);
        if (!ids)
            return Error::input(QStringLiteral("'%1': %2").arg(spec, ids.error().message));
        out.revisions = *m_graph.indicesOf(*ids, QStringLiteral("target"));
        return out;
    }
    Result<QStringList> ids = resolveOne(spec, current);
    if (!ids)
        return ids.error();
    out.revisions = *m_graph.indicesOf(*ids, QStringLiteral("target"));
    return out;
}

} // namespace dbops
