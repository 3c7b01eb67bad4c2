#pragma once

#include "common/Result.h"
#include "migrations/RevisionGraph.h"

namespace dbops {

/// A migration repository on disk: `versions/*.sql`, later `checks/` and
/// `fixes/`.  Loading parses every file and builds the revision graph.
class MigrationRepository
{
public:
    /// Loads `directory` (the folder holding `versions/`, or `versions/` itself).
    /// On failure `allErrors` lists every problem found, each with file:line.
    static Result<MigrationRepository> load(const QString& directory, ErrorList* allErrors = nullptr);

    /// The default repository: $DBOPS_MIGRATIONS, else the source tree's
    /// migrations/ (developer builds), else the installed one.
    static QString defaultDirectory();

    const QString& directory() const { return m_directory; }
    QString versionsDirectory() const;
    const RevisionGraph& graph() const { return m_graph; }

private:
    QString m_directory;
    RevisionGraph m_graph;
};

} // namespace dbops
