#pragma once

#include <QList>
#include <QString>

namespace dbops::ui {

/// A statement of a rendered script that deserves a look before it runs:
/// it refuses a transaction block, or it takes a lock that blocks other
/// sessions.  The editor paints it in its marker margin.
struct StatementMarker
{
    int itemIndex = -1; ///< index into RenderedScript::items
    int firstBlock = 0; ///< 0-based first line of the statement in the editor
    int lastBlock = 0; ///< 0-based last line (the one with the ';')
    QString description; ///< from the parse tree, e.g. "CREATE INDEX CONCURRENTLY"
    bool cannotRunInTransaction = false;
    bool takesStrongLock = false;
    QString lockName; ///< e.g. "ACCESS EXCLUSIVE", when takesStrongLock
    QString toolTip; ///< one line per reason, e.g. "ALTER TABLE: takes an ACCESS EXCLUSIVE lock"

    bool containsBlock(int block) const { return block >= firstBlock && block <= lastBlock; }
};

using StatementMarkerList = QList<StatementMarker>;

} // namespace dbops::ui
