#pragma once

#include "alembic/AlembicProject.h"
#include "common/Result.h"
#include "migrations/MigrationFileParser.h"
#include "migrations/RevisionGraph.h"

#include <optional>

namespace dbops {

/// A migration repository on disk: `versions/*.sql`, later `checks/` and
/// `fixes/`.  Loading parses every file and builds the revision graph.
/// An Alembic project (alembic.ini, or its script directory) loads too: its
/// revision scripts are read statically for the graph, and their SQL comes
/// on demand from Alembic's offline mode (ensureSql).
///
/// Whatever renders, validates or runs SQL needs ensureSql() (or load(), which
/// splits a native repository's SQL at once); without it the renderer and the
/// validator refuse the revisions (Revision::sqlLoaded) rather than treat
/// their sections as empty.
class MigrationRepository
{
public:
    /// Loads `directory` (the folder holding `versions/`, or `versions/` itself;
    /// or an Alembic project, see AlembicProject::looksLikeAlembicProject).
    /// On failure `allErrors` lists every problem found, each with file:line.
    /// A native repository comes with its SQL, split in the same pass as the
    /// headers, so every file's problems are listed together.
    static Result<MigrationRepository> load(const QString& directory, ErrorList* allErrors = nullptr);
    /// Like load(), but only what the revision graph needs: headers and the
    /// sections' places, no SQL split (most of the cost of a load) until
    /// ensureSql().  For heads, history, current ...
    static Result<MigrationRepository> loadGraph(const QString& directory, ErrorList* allErrors = nullptr);

    /// The default repository: $DBOPS_MIGRATIONS, else the one installed
    /// beside the binary (../share/dbops-console/migrations), else the source
    /// tree's migrations/ (developer builds), else the configured install path.
    static QString defaultDirectory();

    const QString& directory() const { return m_directory; }
    QString versionsDirectory() const;
    const RevisionGraph& graph() const { return m_graph; }

    /// True when this is an Alembic project; alembicProject() then tells its
    /// ini, script and version locations and version table.
    bool isAlembic() const { return m_alembic.has_value(); }
    const AlembicProject* alembicProject() const { return m_alembic ? &*m_alembic : nullptr; }
    /// The version table this repository's migrations keep: an Alembic
    /// project's own (env.py), else alembic_version.
    QString versionTable() const;

    /// Makes sure every revision carries its SQL: a native repository loaded
    /// with loadGraph() splits every file's sections now (reporting every
    /// file's problems at file:line); an Alembic project gets its SQL from
    /// Alembic's offline mode once.  The graph is rebuilt with it.
    Result<bool> ensureSql(ErrorList* allErrors = nullptr);
    bool hasSql() const { return m_hasSql; }

private:
    static Result<MigrationRepository> loadAlembic(const QString& path, ErrorList* allErrors);
    static Result<MigrationRepository> loadNative(
        const QString& directory, ErrorList* allErrors, MigrationFileParser::Depth depth);

    QString m_directory;
    RevisionGraph m_graph;
    std::optional<AlembicProject> m_alembic;
    bool m_hasSql = true;
};

} // namespace dbops
