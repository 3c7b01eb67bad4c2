#pragma once

#include "guarded/WriteTypes.h"

namespace dbops {

class DatabaseConnection;
class RevisionGraph;

/// What a reviewed migration touches, read from PostgreSQL's parse tree of
/// the statements that will run (not from the audit, which compares with
/// the head): the objects it creates, the objects it drops, and how many
/// rows the dropped ones hold right now.
class WriteImpact
{
public:
    /// Fills review.created and review.dropped from the plan's statements.
    static void collect(WriteReview& review, const RevisionGraph& graph);
    /// Adds what one statement (of `revision`, may be empty) creates and drops.
    static void collectStatement(WriteReview& review, const QString& sql, const QString& revision);
    /// Live rows of each dropped table (non-null values of each dropped
    /// column), a few seconds at most each; past that the planner's estimate.
    /// Read-only queries; objects that do not exist are marked so.
    static void countRows(DatabaseConnection& connection, QList<AffectedObject>& objects);
};

} // namespace dbops
