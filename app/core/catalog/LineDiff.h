#pragma once

#include <QStringList>
#include <QVector>

namespace dbops {

/// Two texts lined up line by line (a longest common subsequence of their
/// lines), as a side-by-side view shows them: each row has a line on the
/// left, on the right, or both.
class LineDiff
{
public:
    struct Row
    {
        enum class Change
        {
            Same, ///< the same line on both sides
            Changed, ///< a left line and a right line that stand in for each other
            Removed, ///< only on the left
            Added ///< only on the right
        };
        Change change = Change::Same;
        int left = -1; ///< index into the left lines, -1: none
        int right = -1; ///< index into the right lines, -1: none
    };

    /// Lines compare as given; pass keys that drop what must not count (a
    /// trailing comma) and show the original lines by index.  The common
    /// prefix and suffix are matched first, the middle by Myers' algorithm:
    /// two 2,000-line definitions that differ in a few lines cost little.
    /// When the middle would need more than kMaxCells of work (some 2,000
    /// differing lines), it is one changed block instead.
    static QVector<Row> compare(const QStringList& left, const QStringList& right);

    static constexpr qint64 kMaxCells = 4 * 1024 * 1024;
};

} // namespace dbops
