#pragma once

#include "common/Result.h"
#include "migrations/Revision.h"

namespace dbops {

/// Reads one migration file (see docs/migration-format.md): the `-- key: value`
/// headers and the upgrade / downgrade sections, split into statements.
/// Structural problems are errors naming file:line; SQL syntax is checked later
/// by MigrationValidator, so listing history stays fast.
///
/// Splitting SQL is most of the cost of reading a file, and the revision graph
/// (heads, history, current) needs none of it: `Depth::GraphOnly` reads the
/// headers and finds the sections, and splitSql() splits them when SQL is
/// needed.  An upgrade section that is plainly empty (blank lines and `--`
/// comments only) is reported either way, so a draft never looks runnable.
class MigrationFileParser
{
public:
    enum class Depth
    {
        Full, ///< headers, sections and their statements
        GraphOnly, ///< headers and sections' places; the revision's `sqlLoaded` is false
    };

    /// A file that is not UTF-8 is an error at file:line:column of its first
    /// invalid byte (a Latin-1 'é' would otherwise reach the server as U+FFFD).
    static Result<Revision> parseFile(const QString& path, Depth depth = Depth::Full);
    static Result<Revision> parseText(const QString& text, const QString& path, Depth depth = Depth::Full);

    /// Splits the sections of a revision read with Depth::GraphOnly into
    /// statements (a no-op once `sqlLoaded`).  Reports what Depth::Full would:
    /// psql meta-commands, unterminated quotes or comments, an empty upgrade
    /// section, at file:line.  On failure the revision is left unchanged.
    static Result<bool> splitSql(Revision& revision);

    /// Revision ids and labels: letters, digits and '_', at most 32 characters
    /// (the width of Alembic's version column), and not a reserved word.
    static bool isValidRevisionId(const QString& id);
    static bool isValidBranchLabel(const QString& label);

private:
    /// splitSql() for a graph-only revision read from a file, which keeps no
    /// text: reads the file again and refuses if its headers changed.
    static Result<bool> splitFromFile(Revision& revision);
};

} // namespace dbops
