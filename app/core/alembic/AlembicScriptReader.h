#pragma once

#include "common/Result.h"
#include "migrations/Revision.h"

namespace dbops {

/// Reads one Alembic revision script without running it: the module
/// docstring (message = its first line, and its `Create Date:` line) and the
/// top-level assignments `revision`, `down_revision`, `branch_labels` and
/// `depends_on`, annotated or not.  Values may be string literals (any
/// quotes, r/u prefixes, adjacent literals concatenated), None, or tuples and
/// lists of strings.  Anything else (a call, a name, an f-string ...) cannot
/// be known without Python and is an error naming the file and line.
class AlembicScriptReader
{
public:
    /// The revision `filePath` declares, without SQL.  On failure `allErrors`
    /// (when given) receives every problem in the file.
    static Result<Revision> read(const QString& filePath, ErrorList* allErrors = nullptr);
    static Result<Revision> parse(
        const QString& source, const QString& filePath, ErrorList* allErrors = nullptr);

    /// Whether Alembic would read `fileName` in a version directory as a
    /// revision script: `*.py`, not `__init__.py`, not starting with `_` or `.`.
    static bool isRevisionFileName(const QString& fileName);
};

} // namespace dbops
