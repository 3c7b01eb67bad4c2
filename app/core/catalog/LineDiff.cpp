#include "catalog/LineDiff.h"

#include <algorithm>
#include <vector>

namespace dbops {

namespace {

using Row = LineDiff::Row;
using Change = Row::Change;

/// Removed and added lines next to each other become changed rows, pairwise:
/// the side-by-side view shows an altered line on one row.
void appendBlock(QVector<Row>& rows, const QVector<int>& removed, const QVector<int>& added)
{
    const int paired = static_cast<int>(std::min(removed.size(), added.size()));
    for (int i = 0; i < paired; ++i)
        rows.append(Row { Change::Changed, removed.at(i), added.at(i) });
    for (int i = paired; i < removed.size(); ++i)
        rows.append(Row { Change::Removed, removed.at(i), -1 });
    for (int i = paired; i < added.size(); ++i)
        rows.append(Row { Change::Added, -1, added.at(i) });
}

/// One step of an edit script over the middle's lines (indexes from the middle's start).
struct Edit
{
    enum Kind
    {
        Keep,
        Remove,
        Add
    } kind;
    int left;
    int right;
};

/// Myers' shortest edit script of left[offset, offset+n) into right[offset, offset+m):
/// O((n + m) · d) time for d differing lines, the frontier of every step kept
/// (about d² cells) to walk back.  Empty when that would pass kMaxCells.
std::vector<Edit> shortestEdit(const QStringList& left, const QStringList& right, int offset, int n, int m)
{
    auto same = [&](int x, int y) { return left.at(offset + x) == right.at(offset + y); };
    const int max = n + m;
    std::vector<int> frontier(static_cast<size_t>(2 * max + 3), 0);
    auto at = [&](int k) -> int& { return frontier[static_cast<size_t>(k + max + 1)]; };
    std::vector<std::vector<int>> steps; // steps[d][k + d]: the furthest x on diagonal k after d edits
    qint64 cells = 0;
    int found = -1;
    for (int d = 0; d <= max && found < 0; ++d) {
        for (int k = -d; k <= d; k += 2) {
            int x = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? at(k + 1) : at(k - 1) + 1;
            int y = x - k;
            while (x < n && y < m && same(x, y)) {
                ++x;
                ++y;
            }
            at(k) = x;
            if (x >= n && y >= m)
                found = d;
        }
        cells += 2 * d + 1;
        if (cells > LineDiff::kMaxCells)
            return {};
        steps.emplace_back(frontier.begin() + (max + 1 - d), frontier.begin() + (max + 1 + d + 1));
    }
    std::vector<Edit> edits;
    int x = n;
    int y = m;
    for (int d = found; d >= 0; --d) {
        const int k = x - y;
        int previousX = 0;
        int previousY = 0;
        bool added = false;
        if (d > 0) {
            const std::vector<int>& before = steps[static_cast<size_t>(d - 1)];
            auto previous = [&](int diagonal) { return before[static_cast<size_t>(diagonal + d - 1)]; };
            added = k == -d || (k != d && previous(k - 1) < previous(k + 1));
            const int previousK = added ? k + 1 : k - 1;
            previousX = previous(previousK);
            previousY = previousX - previousK;
        }
        const int snakeStartX = d > 0 ? (added ? previousX : previousX + 1) : 0;
        while (x > snakeStartX) {
            --x;
            --y;
            edits.push_back(Edit { Edit::Keep, x, y });
        }
        if (d > 0) {
            if (added)
                edits.push_back(Edit { Edit::Add, -1, previousY });
            else
                edits.push_back(Edit { Edit::Remove, previousX, -1 });
        }
        x = previousX;
        y = previousY;
    }
    std::reverse(edits.begin(), edits.end());
    return edits;
}

} // namespace

QVector<Row> LineDiff::compare(const QStringList& left, const QStringList& right)
{
    const int leftCount = static_cast<int>(left.size());
    const int rightCount = static_cast<int>(right.size());
    int prefix = 0;
    while (prefix < leftCount && prefix < rightCount && left.at(prefix) == right.at(prefix))
        ++prefix;
    int suffix = 0;
    while (suffix < leftCount - prefix && suffix < rightCount - prefix
        && left.at(leftCount - 1 - suffix) == right.at(rightCount - 1 - suffix))
        ++suffix;

    QVector<Row> rows;
    rows.reserve(std::max(leftCount, rightCount));
    for (int i = 0; i < prefix; ++i)
        rows.append(Row { Change::Same, i, i });

    const int n = leftCount - prefix - suffix;
    const int m = rightCount - prefix - suffix;
    QVector<int> removed;
    QVector<int> added;
    // One side empty (a whole MISSING or EXTRA table): nothing to line up.
    const std::vector<Edit> edits
        = n > 0 && m > 0 ? shortestEdit(left, right, prefix, n, m) : std::vector<Edit>();
    if (edits.empty() && (n > 0 || m > 0)) {
        // Too far apart to line up: the middle is one changed block.
        for (int i = 0; i < n; ++i)
            removed.append(prefix + i);
        for (int j = 0; j < m; ++j)
            added.append(prefix + j);
    }
    for (const Edit& edit : edits) {
        if (edit.kind == Edit::Keep) {
            appendBlock(rows, removed, added);
            removed.clear();
            added.clear();
            rows.append(Row { Change::Same, prefix + edit.left, prefix + edit.right });
        } else if (edit.kind == Edit::Remove) {
            removed.append(prefix + edit.left);
        } else {
            added.append(prefix + edit.right);
        }
    }
    appendBlock(rows, removed, added);
    for (int k = 0; k < suffix; ++k)
        rows.append(Row { Change::Same, leftCount - suffix + k, rightCount - suffix + k });
    return rows;
}

} // namespace dbops
