#pragma once

#include <QList>
#include <QString>

namespace dbops::ui {

/// One step of a rendered script as the outline lists it: the
/// `-- Running upgrade A -> B` comment that opens it.
struct OutlineEntry
{
    int stepIndex = -1; ///< index into MigrationPlan::steps
    QString revision; ///< the revision the step runs
    QString title; ///< first line of the comment, without "-- " ("Running upgrade A -> B")
    int blockNumber = 0; ///< 0-based line of the comment in the editor
};

using Outline = QList<OutlineEntry>;

} // namespace dbops::ui
