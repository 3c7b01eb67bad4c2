#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace dbops {

/// How one step changes the version table, following Alembic's rules for
/// branches and merges, so Alembic reads the result.
struct VersionTableChange
{
    QStringList deletes; ///< rows removed first (merges; downgrades to base)
    QString updateFrom; ///< row updated ...
    QString updateTo; ///< ... to this revision (both empty: no update)
    QStringList inserts; ///< rows added (new branch; unmerge)
};

struct MigrationStep
{
    QString revision;
    bool upgrade = true;
    QStringList fromRevisions; ///< for "-- Running upgrade A, B -> C"
    QStringList toRevisions;
    VersionTableChange versionChange;
};

/// The ordered steps from a set of current heads to a target.
struct MigrationPlan
{
    bool upgrade = true;
    QStringList startHeads; ///< version-table rows before the plan (empty: base)
    QStringList endHeads; ///< version-table rows after the plan
    QList<MigrationStep> steps;
    QString targetDescription;

    QStringList revisions() const
    {
        QStringList ids;
        ids.reserve(steps.size());
        for (const MigrationStep& step : steps)
            ids.append(step.revision);
        return ids;
    }
};

} // namespace dbops
