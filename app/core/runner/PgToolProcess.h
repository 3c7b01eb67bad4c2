#pragma once

#include "common/Result.h"
#include "connection/ConnectionSettings.h"

#include <QStringList>
#include <atomic>

namespace dbops {

/// Runs one of PostgreSQL's client programs (pg_dump, pg_restore) for dbops,
/// the way a backup needs it: the password in the environment, never on the
/// command line; no password prompt; the connection as one conninfo string;
/// files it creates private (umask 077); it dies with dbops (PDEATHSIG) and
/// in a process group of its own, so a Ctrl-C reaches dbops alone, which
/// stops it through `cancel`.
class PgToolProcess
{
public:
    /// The program for a server of `serverVersionNumber` (e.g. 150018): the
    /// oldest installed major at least as new as the server, from
    /// /usr/lib/postgresql/N/bin, else the one on PATH; empty if none.
    static QString programFor(const QString& name, int serverVersionNumber);
    /// `settings` as one libpq conninfo string (values quoted), without the password.
    static QString conninfo(const ConnectionSettings& settings);

    struct Outcome
    {
        bool cancelled = false;
        int exitCode = -1; ///< -1: crashed or killed
        QString standardError; ///< passwords redacted
    };
    /// Starts `program` with `arguments` for a connection given by `settings`
    /// (its password through PGPASSWORD) and waits; `cancel` may be set from
    /// any thread: SIGTERM, then SIGKILL after a grace period.
    static Result<Outcome> run(const QString& program, const QStringList& arguments,
        const ConnectionSettings& settings, const std::atomic<bool>* cancel = nullptr);
};

} // namespace dbops
