#pragma once

namespace dbops {

/// Exit codes of `dbops`, documented in docs/cli.md.  In the core because the
/// guarded path decides them (GuardedWrite::exitCode) for both front ends.
enum ExitCode
{
    ExitOk = 0,
    ExitCheckFailed = 1, ///< a check ran and found the database behind or different
    ExitBadInput = 2, ///< usage error, malformed migration, unknown revision, bad URL
    ExitDatabaseError = 3, ///< cannot connect, or the server refused a statement
    ExitRunFailed = 4, ///< a migration statement failed; the run was rolled back
    ExitCancelled = 5,
    ExitLockTimeout = 6, ///< another run holds the migration lock
    /// The version table is not where the plan starts (another run moved it
    /// while this one waited for the lock), or another session changed it
    /// during the run: rolled back; review and plan again.
    ExitDatabaseMoved = 7,
};

} // namespace dbops
