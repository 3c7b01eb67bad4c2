#pragma once

namespace dbops::cli {

/// Exit codes of `dbops`, documented in docs/cli.md.
enum ExitCode
{
    ExitOk = 0,
    ExitCheckFailed = 1, ///< a check ran and found the database behind or different
    ExitBadInput = 2, ///< usage error, malformed migration, unknown revision, bad URL
    ExitDatabaseError = 3, ///< cannot connect, or the server refused a statement
    ExitRunFailed = 4, ///< a migration statement failed; the run was rolled back
    ExitCancelled = 5,
    ExitLockTimeout = 6, ///< another run holds the migration lock
};

} // namespace dbops::cli
