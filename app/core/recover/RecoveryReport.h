#pragma once

#include "journal/RunJournal.h"
#include "sql/SchemaChange.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <optional>

namespace dbops {

/// One object the first pending revision's upgrade creates, and whether the
/// database has it already (left by a failed or interrupted run, or made by hand).
struct RecoveryObject
{
    SchemaChange change; ///< what the upgrade creates (SchemaChanges::of its statements)
    int line = 0; ///< the creating statement's line in the migration file
    bool exists = false;
    /// The statement that removes it again ("DROP TABLE public.t;"); empty
    /// when the object cannot be checked or dropped by name (an unnamed index).
    QString dropStatement;
};

/// An index pg_index.indisvalid says is INVALID (a failed CREATE INDEX CONCURRENTLY).
struct InvalidIndex
{
    QString schema;
    QString table;
    QString name;
    QString definition; ///< pg_get_indexdef
    /// "DROP INDEX CONCURRENTLY s.ix;" then its CREATE ... INDEX CONCURRENTLY.
    QStringList rebuildStatements() const;
};

/// What state a database is in after a failed or interrupted run, read-only
/// (RecoveryInspector::inspect), and the safe next steps.
struct RecoveryReport
{
    QString database; ///< "user@host:port/db", never a password
    QString versionTable;
    bool versionTableExists = false;
    QStringList heads; ///< the version table's rows
    QStringList appliedRevisions; ///< the heads and their ancestors, oldest first
    QStringList pendingRevisions; ///< the upgrade to heads, in order
    /// Why pendingRevisions is empty although it should not be (a head not on disk ...).
    QString planProblem;

    std::optional<JournalRecord> lastRun; ///< the journal's newest run on this database
    QString failedRevision; ///< the last run's failed step, if the journal names one

    /// The revision checked for leftovers: the failed one when it is still
    /// pending, else the first pending revision; empty when nothing is pending.
    QString checkedRevision;
    QList<RecoveryObject> checkedObjects; ///< in the order its upgrade creates them

    QList<InvalidIndex> invalidIndexes;

    bool hasPartialRevision() const; ///< some object of checkedRevision exists already
    /// Nothing partial and no INVALID index: `dbops upgrade` may simply resume.
    bool consistent() const { return !hasPartialRevision() && invalidIndexes.isEmpty(); }
    /// DROP statements for checkedRevision's existing objects, newest first.
    QStringList rollbackStatements() const;
    /// The safe next steps, each a command or SQL to review, in the order to take them.
    QStringList nextSteps() const;

    QJsonObject toJson() const;
};

} // namespace dbops
