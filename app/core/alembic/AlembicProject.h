#pragma once

#include "common/Result.h"
#include "migrations/Revision.h"

#include <QString>
#include <QStringList>

namespace dbops {

/// An Alembic project read statically, without running Python: the
/// configuration (`alembic.ini`) and every revision script's header
/// (`revision`, `down_revision`, `branch_labels`, `depends_on`, the
/// docstring's message and `Create Date`).  The revisions carry no SQL; that
/// comes from Alembic's offline mode (AlembicOfflineSql).
struct AlembicProject
{
    QString iniPath; ///< absolute path of alembic.ini
    QString scriptLocation; ///< absolute path of the script directory (env.py)
    QStringList versionLocations; ///< absolute directories searched for revision scripts
    bool recursiveVersionLocations = false;
    QString versionTable
        = QStringLiteral("alembic_version"); ///< from env.py's context.configure, when literal
    /// In version-location order, then by file path; filePath/line point into the .py files.
    RevisionList revisions;

    /// True when `path` is an Alembic project: a directory holding alembic.ini,
    /// an alembic.ini file itself, or a script directory (env.py + versions/).
    static bool looksLikeAlembicProject(const QString& path);

    /// Reads the project at `path` (see looksLikeAlembicProject).  On failure
    /// `allErrors` lists every problem found, each with file:line; a script
    /// that cannot be read statically is an error, never skipped.
    static Result<AlembicProject> load(const QString& path, ErrorList* allErrors = nullptr);
};

} // namespace dbops
