#include "TimelineLaneLayout.h"

#include "migrations/RevisionGraph.h"

#include <QHash>
#include <algorithm>
#include <vector>

namespace dbops::ui {

namespace {

constexpr int freeLane = -1;

// The leftmost free lane, so the graph stays as narrow as it can.
int allocateLane(std::vector<int>& lanes)
{
    for (size_t i = 0; i < lanes.size(); ++i) {
        if (lanes[i] == freeLane)
            return static_cast<int>(i);
    }
    lanes.push_back(freeLane);
    return static_cast<int>(lanes.size()) - 1;
}

} // namespace

QVector<TimelineLaneRow> TimelineLaneLayout::compute(const RevisionGraph& graph, const QStringList& order)
{
    QHash<QString, int> rowOf;
    rowOf.reserve(order.size());
    for (int row = 0; row < order.size(); ++row)
        rowOf.insert(order.at(row), row);

    QVector<TimelineLaneRow> rows;
    rows.reserve(order.size());
    std::vector<int> lanes; // lane -> the row it waits for, or freeLane
    for (int row = 0; row < order.size(); ++row) {
        TimelineLaneRow out;
        int own = -1;
        for (size_t i = 0; i < lanes.size(); ++i) {
            const int lane = static_cast<int>(i);
            if (lanes[i] == row) {
                out.incoming.append(lane);
                if (own < 0)
                    own = lane; // the leftmost child's lane continues through this revision
                lanes[i] = freeLane;
            } else if (lanes[i] != freeLane) {
                out.passing.append(lane);
            }
        }
        if (own < 0)
            own = allocateLane(lanes); // a head: nothing newer leads here
        out.lane = own;

        std::vector<int> parents;
        const QString& id = order.at(row);
        if (graph.contains(id)) {
            for (const QString& parent : graph.revision(id).downRevisions) {
                const int parentRow = rowOf.value(parent, -1);
                if (parentRow > row && std::find(parents.begin(), parents.end(), parentRow) == parents.end())
                    parents.push_back(parentRow);
            }
        }
        for (size_t p = 0; p < parents.size(); ++p) {
            const int parentRow = parents[p];
            int lane = -1;
            if (p == 0) {
                lane = own;
            } else {
                // A merge: join a lane already waiting for that parent, else open one.
                auto waiting = std::find(lanes.begin(), lanes.end(), parentRow);
                lane = waiting != lanes.end() ? static_cast<int>(waiting - lanes.begin())
                                              : allocateLane(lanes);
            }
            lanes[static_cast<size_t>(lane)] = parentRow;
            out.outgoing.append(lane);
        }
        while (!lanes.empty() && lanes.back() == freeLane)
            lanes.pop_back();

        int widest = own;
        for (const QVector<int>* list : { &out.incoming, &out.outgoing, &out.passing }) {
            for (int lane : *list)
                widest = std::max(widest, lane);
        }
        out.width = widest + 1;
        rows.append(out);
    }
    return rows;
}

int TimelineLaneLayout::laneCount(const QVector<TimelineLaneRow>& rows)
{
    int count = 1;
    for (const TimelineLaneRow& row : rows)
        count = std::max(count, row.width);
    return count;
}

} // namespace dbops::ui
