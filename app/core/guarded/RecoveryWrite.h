#pragma once

#include "guarded/WriteTypes.h"

namespace dbops {

class DatabaseConnection;
class MigrationRepository;

/// The guarded path's part for WriteAction::Recover (RecoveryStep): what a
/// step runs is read from the database by RecoveryInspector, the same report
/// `dbops recover` prints, so the step drops exactly the objects the report
/// lists as EXISTS and rebuilds exactly the INVALID index it names.  The
/// version table never moves; the runner still checks it stands where it did.
class RecoveryWrite
{
public:
    /// Fills a Recover review: plan (no steps), recovery statements, script,
    /// what it drops (with live rows) and creates.  Refusals go into
    /// review.problems; an error when the database could not be read.
    static std::optional<Error> review(
        WriteReview& review, DatabaseConnection& connection, const MigrationRepository& repository);
    /// Renders review.recovery with the review's run settings (no database call).
    static void render(WriteReview& review);
};

} // namespace dbops
