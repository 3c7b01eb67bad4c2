#pragma once

#include "TimelineLaneRow.h"

#include <QStringList>

namespace dbops {
class RevisionGraph;
}

namespace dbops::ui {

/// Assigns lanes to the rows of a revision history listed newest first
/// (RevisionGraph::historyOrder()), the way `git log --graph` does: a lane
/// waits for the revision named as down_revision; a branch point collects
/// the lanes of its children; a merge opens a lane for each further parent.
/// One pass over the rows, each touching only the active lanes:
/// O(rows × active lanes).
class TimelineLaneLayout
{
public:
    /// `order` must list every revision after all of its children.  Edges to
    /// revisions missing from `order`, or listed before their child, are left out.
    static QVector<TimelineLaneRow> compute(const RevisionGraph& graph, const QStringList& order);

    /// The widest row of `rows` (at least 1).
    static int laneCount(const QVector<TimelineLaneRow>& rows);
};

} // namespace dbops::ui
