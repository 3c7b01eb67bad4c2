#pragma once

#include "OutlineEntry.h"
#include "StatementMarker.h"

#include <QCoreApplication>
#include <QHash>
#include <QVector>

namespace dbops {
struct RenderedScript;
}

namespace dbops::ui {

/// The strongest lock one statement takes, as the lock model names it: on a
/// relation that existed before its transaction when there is one, else on
/// one the same transaction created (which blocks nobody).
struct StatementLock
{
    QString mode; ///< e.g. "SHARE"
    QString relation; ///< e.g. "public.orders"
    bool createdInTransaction = false; ///< the relation is new in this script's transaction
};

/// Where each item of a rendered script lands in its text, and what the
/// editor shows beside it: the outline of steps and the statement markers.
/// Computed from the items alone (their rendered() lengths), in one pass, so
/// a 100,000-line script never has to be searched line by line.
class ScriptAnnotations
{
    Q_DECLARE_TR_FUNCTIONS(dbops::ui::ScriptAnnotations)
public:
    static ScriptAnnotations compute(const RenderedScript& script);

    const Outline& outline() const { return m_outline; }
    /// Sorted by firstBlock; markers never overlap (one statement each).
    const StatementMarkerList& markers() const { return m_markers; }
    /// 0-based first line of each item, in item order.
    const QVector<int>& itemBlocks() const { return m_itemBlocks; }
    /// Lines of the whole text as QTextDocument counts them (blocks).
    int blockCount() const { return m_blockCount; }

    /// The lock statement item `itemIndex` takes (empty when it takes none,
    /// or is no statement).
    StatementLock lockOf(int itemIndex) const { return m_locks.value(itemIndex); }

    /// The marker covering `block`, or nullptr; binary search.
    const StatementMarker* markerAt(int block) const;
    /// The outline entry of step `stepIndex`, or nullptr.
    const OutlineEntry* entryForStep(int stepIndex) const;

    /// The number of line breaks QTextDocument makes of `text`: "\n",
    /// "\r\n", a lone "\r" and U+2029 each start a new block.
    static int countBlockBreaks(const QString& text);

private:
    Outline m_outline;
    StatementMarkerList m_markers;
    QVector<int> m_itemBlocks;
    QHash<int, StatementLock> m_locks; ///< by item index
    int m_blockCount = 1;
};

} // namespace dbops::ui
