#pragma once

#include <QMetaType>
#include <QVector>

namespace dbops::ui {

/// What the graph column draws in one row of the revision timeline, like a
/// line of `git log --graph`: the revision's dot in its lane, the lanes that
/// come down from newer rows into the dot (its children), the lanes that leave
/// the dot towards older rows (its parents), and the lanes that only pass by.
struct TimelineLaneRow
{
    int lane = 0; ///< the lane of this revision's dot
    QVector<int> incoming; ///< lanes entering the dot from the row above (children)
    QVector<int> outgoing; ///< lanes leaving the dot to the row below (down_revisions, first parent first)
    QVector<int> passing; ///< lanes crossing the row without touching the dot
    int width = 1; ///< lane columns this row uses (highest lane + 1)
};

} // namespace dbops::ui

Q_DECLARE_METATYPE(dbops::ui::TimelineLaneRow)
