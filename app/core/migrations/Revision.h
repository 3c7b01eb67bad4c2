#pragma once

#include "sql/SqlStatement.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dbops {

/// One section (`-- +upgrade` or `-- +downgrade`) of a migration file.
struct MigrationSection
{
    bool present = false;
    int markerLine = 0; ///< line of the `-- +upgrade` / `-- +downgrade` marker
    SqlStatementList statements; ///< meaningful only once the revision's `sqlLoaded`

    // Where the section's text lies in Revision::fileText, kept until its SQL is split.
    int firstLine = 0;
    int startOffset = 0;
    int endOffset = 0;
};

/// One revision as its migration file declares it.
struct Revision
{
    QString id;
    QStringList downRevisions; ///< empty for a base, several for a merge
    QStringList dependsOn; ///< revision ids or branch labels, as written
    QStringList branchLabels;
    QString message;
    QString createDate;
    bool transactional = true;

    QString filePath;
    int revisionLine = 1; ///< line of the `-- revision:` header, for errors
    int downRevisionLine = 1;
    int dependsOnLine = 1;
    int transactionalLine = 0; ///< 0 when not declared
    int labelsLine = 1;

    MigrationSection upgrade;
    MigrationSection downgrade;
    /// False while the sections hold no statements yet: a repository loaded
    /// for its graph only (MigrationRepository::loadGraph, an Alembic project)
    /// fills them in MigrationRepository::ensureSql.  Whatever renders,
    /// validates or runs SQL refuses a revision without it, so an unloaded
    /// section can never pass for an empty one.
    bool sqlLoaded = false;
    /// The text while its SQL is not split yet (then empty).  Kept only for
    /// text parsed in memory: a graph-only revision read from a file reads
    /// the file again when its SQL is split.
    QString fileText;

    bool isBase() const { return downRevisions.isEmpty(); }
    bool isMerge() const { return downRevisions.size() > 1; }
};

using RevisionList = QList<Revision>;

} // namespace dbops
