#pragma once

#include "guarded/WriteTypes.h"

#include <QMutex>
#include <atomic>
#include <functional>

namespace dbops {

class DatabaseConnection;
class MigrationRepository;
struct RehearsalReport;

/// The one guarded path for every write (upgrade, downgrade, stamp, fix),
/// called by the CLI and by the console's worker alike:
///
///   review()   resolve the target, plan, validate, render the exact SQL,
///              list what it creates and drops (with live row counts), audit
///              the schema before a stamp, and collect the refusals no answer
///              can lift;
///   refusals() what would stop the write given a person's answers (typed
///              database name, override reason, accepted data loss);
///   execute()  the refusals again, then backup, run, version-table checks
///              (in MigrationRunner) and the journal.
///
/// A front end only collects answers and shows progress: a rule written in a
/// front end is a rule the other one lacks.
class GuardedWrite
{
public:
    using ProgressHandler = std::function<void(const RunEvent&)>;

    /// The refusals that need no connection (a read-only profile): front ends
    /// call it before connecting, so a refused write never reaches the server.
    static ErrorList refusalsBeforeConnecting(const ConnectionTarget& target, const WriteRequest& request);

    /// `target`'s version table must already be the effective one
    /// (ConnectionTarget::adoptVersionTable).
    static Result<WriteReview> review(DatabaseConnection& connection, const MigrationRepository& repository,
        const ConnectionTarget& target, const WriteRequest& request);

    /// The same review with other run settings (transaction mode, timeouts,
    /// backup folder): no database call, so a dialog can call it as its
    /// choices change.  What the script touches does not depend on them.
    /// The review with what a rehearsal just made says (the "Tested" item;
    /// a refusal when this exact SQL failed on the copy): no database call.
    static WriteReview withRehearsal(const WriteReview& review, const RehearsalReport& rehearsal);

    static WriteReview withSettings(
        const WriteReview& review, const MigrationRepository& repository, const WriteRequest& request);

    /// The renderer's settings for a write: the request's, else the profile's.
    /// The console's SQL preview renders with them too, so it shows what runs.
    static SqlScriptRenderer::Options renderOptions(
        const ConnectionTarget& target, const WriteRequest& request, const VersionState& state);

    /// Every reason the write may not run with these answers; empty: it may.
    static ErrorList refusals(const WriteReview& review, const WriteAnswers& answers);

    /// Runs a reviewed write.  Refuses (nothing runs, nothing is journaled)
    /// when refusals() is not empty, or when the script the review showed is
    /// no longer what the repository and the database give.
    WriteOutcome execute(DatabaseConnection& connection, const MigrationRepository& repository,
        const WriteReview& review, const WriteAnswers& answers);

    /// The documented exit code (docs/cli.md) for an outcome: what `dbops`
    /// exits with, and what the console's tests compare with it.
    static int exitCode(const WriteOutcome& outcome);
    static int exitCode(const ErrorList& refusals);

    void setProgressHandler(ProgressHandler handler) { m_progress = std::move(handler); }
    /// Thread-safe: stops the backup or the run (server-side cancel).
    void requestCancel();

    /// The journal to write (tests point it elsewhere); default: the user's.
    void setJournal(RunJournal journal) { m_journal = std::move(journal); }

private:
    void report(const QString& text);
    WriteOutcome executeFix(const WriteReview& review, const WriteAnswers& answers, JournalRecord record);

    ProgressHandler m_progress;
    RunJournal m_journal;
    std::atomic<bool> m_cancel { false };
    QMutex m_runnerMutex;
    MigrationRunner* m_runner = nullptr; ///< guarded by m_runnerMutex
    std::shared_ptr<QueryCanceller> m_fixCanceller; ///< guarded by m_runnerMutex
};

} // namespace dbops
