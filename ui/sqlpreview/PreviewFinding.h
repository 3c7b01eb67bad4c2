#pragma once

#include "lint/LintFinding.h"

#include <QList>
#include <QString>

namespace dbops::ui {

/// A lint finding as the SQL preview shows it: where it points in the
/// script's text, the statement it is about and the lock that statement takes.
struct PreviewFinding
{
    LintFinding finding; ///< file:line as written in the migration file
    int block = 0; ///< 0-based line of the script the finding points at
    int column = 0; ///< 0-based column on that line
    int statementFirstBlock = 0;
    int statementLastBlock = 0;
    QString lockMode; ///< e.g. "SHARE", or empty
    QString relation; ///< the relation of that lock, or empty
    /// The relation is created earlier in the script's own transaction: the
    /// lock blocks nobody when the script runs as shown (the finding stands
    /// for the file, which may run on its own).
    bool relationCreatedInTransaction = false;
};

using PreviewFindingList = QList<PreviewFinding>;

/// What the gutter paints beside a statement with findings: one marker per
/// statement, in the colour of its worst severity.
struct FindingMarker
{
    int firstBlock = 0;
    int lastBlock = 0;
    LintSeverity severity = LintSeverity::Warning;
    QString toolTip; ///< one paragraph per finding: rule id, message, safe form

    bool containsBlock(int block) const { return block >= firstBlock && block <= lastBlock; }
};

using FindingMarkerList = QList<FindingMarker>;

} // namespace dbops::ui
