#pragma once

#include "alembic/AlembicProject.h"
#include "common/Result.h"
#include "migrations/RevisionGraph.h"

#include <optional>

namespace dbops {

/// A migration repository on disk: `versions/*.sql`, later `checks/` and
/// `fixes/`.  Loading parses every file and builds the revision graph.
/// An Alembic project (alembic.ini, or its script directory) loads too: its
/// revision scripts are read statically for the graph, and their SQL comes
/// on demand from Alembic's offline mode (ensureSql).
class MigrationRepository
{
public:
    /// Loads `directory` (the folder holding `versions/`, or `versions/` itself;
    /// or an Alembic project, see AlembicProject::looksLikeAlembicProject).
    /// On failure `allErrors` lists every problem found, each with file:line.
    static Result<MigrationRepository> load(const QString& directory, ErrorList* allErrors = nullptr);

    /// The default repository: $DBOPS_MIGRATIONS, else the source tree's
    /// migrations/ (developer builds), else the installed one.
    static QString defaultDirectory();

    const QString& directory() const { return m_directory; }
    QString versionsDirectory() const;
    const RevisionGraph& graph() const { return m_graph; }

    /// True when this is an Alembic project; alembicProject() then tells its
    /// ini, script and version locations and version table.
    bool isAlembic() const { return m_alembic.has_value(); }
    const AlembicProject* alembicProject() const { return m_alembic ? &*m_alembic : nullptr; }

    /// Makes sure every revision carries its SQL.  A native repository always
    /// does; an Alembic project gets it from Alembic's offline mode once, and
    /// the graph is rebuilt with it.
    Result<bool> ensureSql(ErrorList* allErrors = nullptr);

private:
    static Result<MigrationRepository> loadAlembic(const QString& path, ErrorList* allErrors);

    QString m_directory;
    RevisionGraph m_graph;
    std::optional<AlembicProject> m_alembic;
    bool m_hasSql = true;
};

} // namespace dbops
