#pragma once

#include "common/Result.h"
#include "connection/ConnectionSettings.h"

#include <atomic>

namespace dbops {

/// `pg_dump -Fc` of the target database before a write run, with a pg_dump
/// at least as new as the server (Debian keeps one per major version in
/// /usr/lib/postgresql/N/bin).  The password reaches pg_dump through its
/// environment, never its command line.  The dump is a full copy of the
/// data: it is made 0600 in a folder created 0700, whatever the umask.
/// pg_dump never outlives dbops: a cancel stops it, and it gets SIGTERM
/// should dbops die.
class BackupRunner
{
public:
    /// Writes DIR/<dbname>-<UTC timestamp>.dump (creating DIR 0700 if
    /// missing); returns its path.  Blocks the calling thread while pg_dump
    /// runs.  `cancel`, when given, may be set from any thread (a signal
    /// watcher, a Cancel button): pg_dump is then terminated (SIGTERM, then
    /// SIGKILL after a grace period), its partial file removed, and the
    /// error says the backup was cancelled and nothing was changed.
    static Result<QString> run(const ConnectionSettings& settings, const QString& directory,
        int serverVersionNumber, const std::atomic<bool>* cancel = nullptr);
    /// The pg_dump to use for a server of `serverVersionNumber` (e.g. 150018).
    static QString pgDumpFor(int serverVersionNumber);
};

} // namespace dbops
