#pragma once

#include "checks/CheckDefinition.h"
#include "common/Result.h"
#include "journal/RunJournal.h"
#include "render/RenderedScript.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace dbops {

struct ConnectionTarget;
class QueryCanceller;

/// What one change statement of a fix did.
struct FixStatementResult
{
    int line = 0;
    QString description; ///< "UPDATE", "INSERT" ...
    QString summary; ///< the statement on one line, shortened
    int rowsAffected = -1; ///< -1 when the server reports no row count
    qint64 milliseconds = 0;
};

struct FixOutcome
{
    QString name;
    QString target; ///< "user@host:port/db (profile 'x')", never a password
    bool dryRun = false;
    QList<FixStatementResult> statements;
    bool postconditionHeld = false;
    bool committed = false;
    std::optional<Error> journalError; ///< the run went through but the journal could not be written
};

/// Runs a data fix the way upgrades run: RunGuard first (read-only and
/// production profiles) before any connection is opened, then the change
/// statements and the postcondition in ONE transaction under SET LOCAL
/// lock_timeout, COMMIT only when the postcondition is true, and a journal
/// record of every run that got past the guard.
class FixRunner
{
public:
    struct Options
    {
        QString confirmation; ///< the database name typed back (--confirm)
        bool dryRun = false; ///< run everything, then ROLLBACK; not journaled
        int lockTimeoutSeconds = -1; ///< -1: the profile's, else defaultLockTimeoutSeconds
        int statementTimeoutSeconds = -1; ///< -1: the profile's, else none; 0: none
        QString backupPath; ///< the dump taken before, for the journal
        /// Set from another thread to stop between statements; the running
        /// statement is cancelled on the server through `connected`'s canceller.
        const std::atomic<bool>* cancel = nullptr;
        /// Called once the fix's own connection is open, with its server-side canceller.
        std::function<void(std::shared_ptr<QueryCanceller>)> connected;
    };

    /// Exactly what run() executes, in order: BEGIN, the SET LOCAL timeouts,
    /// the change statements, the postcondition query, COMMIT (a dry run
    /// ends with ROLLBACK instead).  The console's dialog shows its text().
    static RenderedScript script(
        const FixDefinition& fix, int lockTimeoutSeconds, int statementTimeoutSeconds);
    /// The timeouts run() uses for `target` and `options` (-1 resolved).
    static int effectiveLockTimeout(const ConnectionTarget& target, const Options& options);
    static int effectiveStatementTimeout(const ConnectionTarget& target, const Options& options);

    explicit FixRunner(RunJournal journal = RunJournal());

    /// An Error for refusals (Kind::Usage) and failures (Kind::Database, with
    /// file:line); a false postcondition is an outcome with
    /// postconditionHeld == false, rolled back.
    Result<FixOutcome> run(
        const ConnectionTarget& target, const FixDefinition& fix, const Options& options) const;

    static constexpr int defaultLockTimeoutSeconds = 10;

private:
    RunJournal m_journal;
};

} // namespace dbops
