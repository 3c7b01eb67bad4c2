#pragma once

#include "lint/LintConfig.h"
#include "lint/LintFinding.h"

#include <QList>

namespace dbops {

class RevisionGraph;
struct RenderedScript;

/// A lint finding placed on a rendered script: the statement item it is
/// about and where in that item's text it points.
struct ScriptFinding
{
    LintFinding finding; ///< file, line and column as in the migration file
    int itemIndex = -1; ///< index into RenderedScript::items, a Statement
    int lineInItem = 0; ///< 0-based line inside the item's sql
    int columnInLine = 0; ///< 0-based column on that line of the script
};

using ScriptFindingList = QList<ScriptFinding>;

/// The lint findings of exactly the statements a rendered script runs, as
/// `dbops lint --from X --to Y` reports them.  With the revision graph, every
/// revision is read in order (the lock model needs what earlier ones made)
/// and the findings on the script's statements are kept; without it, the
/// script's own text is read as plain SQL.  Offline and fast: no database.
class ScriptLint
{
public:
    static ScriptFindingList lint(
        const RenderedScript& script, const RevisionGraph* graph, const LintConfig& config = LintConfig());
};

} // namespace dbops
