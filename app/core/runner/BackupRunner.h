#pragma once

#include "common/Result.h"
#include "connection/ConnectionSettings.h"

namespace dbops {

/// `pg_dump -Fc` of the target database before a write run, with a pg_dump
/// at least as new as the server (Debian keeps one per major version in
/// /usr/lib/postgresql/N/bin).  The password reaches pg_dump through its
/// environment, never its command line.
class BackupRunner
{
public:
    /// Writes DIR/<dbname>-<UTC timestamp>.dump; returns its path.
    static Result<QString> run(
        const ConnectionSettings& settings, const QString& directory, int serverVersionNumber);
    /// The pg_dump to use for a server of `serverVersionNumber` (e.g. 150018).
    static QString pgDumpFor(int serverVersionNumber);
};

} // namespace dbops
