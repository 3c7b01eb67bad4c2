#pragma once

#include "checks/CheckDefinition.h"
#include "checks/FixRunner.h"
#include "common/Error.h"
#include "connection/ConnectionTarget.h"
#include "database/VersionTable.h"
#include "journal/RunJournal.h"
#include "lint/LiveLockImpact.h"
#include "migrations/MigrationPlan.h"
#include "render/RenderedScript.h"
#include "render/SqlScriptRenderer.h"
#include "runner/MigrationRunner.h"
#include "verify/VerifyReport.h"

#include <QMetaType>
#include <optional>

namespace dbops {

/// The writes that go through the one guarded path.
enum class WriteAction
{
    Upgrade,
    Downgrade,
    Stamp,
    Fix,
    /// A recovery step after a failed run (RecoveryStep, `dbops recover --rollback-partial`
    /// or `--rebuild-index NAME`); the step is WriteRequest::target.
    Recover,
};

/// What a front end asks for: the CLI fills it from flags, the console from
/// its dialog.  Values left at -1 take the profile's settings.
struct WriteRequest
{
    WriteAction action = WriteAction::Upgrade;
    QString target = QStringLiteral(
        "head"); ///< revision specifier; the fix's name for Fix; RecoveryStep::target() for Recover
    TransactionMode transactionMode = TransactionMode::All;
    int lockTimeoutSeconds = -1; ///< -1: the profile's, else 10
    int statementTimeoutSeconds = -1; ///< -1: the profile's, else none
    int retries = 3;
    int lockWaitSeconds = 0;
    QString backupDirectory; ///< pg_dump -Fc there first; empty: no backup
    QString shadowUrl; ///< where the stamp audit replays the migrations
    bool dryRun = false; ///< fixes only: run, report, roll back
    /// Applied revisions whose files changed, accepted for this run with a
    /// reason (--accept-changed REV --reason TEXT); recorded after it succeeds.
    QList<AcceptedChange> acceptedChanges;
};

/// The answers a person gives to the questions a review asks.
struct WriteAnswers
{
    QString typedDatabaseName; ///< production: the database name typed back
    bool force = false; ///< stamp although objects are MISSING ...
    QString overrideReason; ///< ... for this reason (journaled)
    bool dataLossAccepted = false; ///< production: "I have read what will be dropped"
    /// Run although other sessions hold or wait for locks the script needs
    /// (it then waits up to lock_timeout per try, as any run does).
    bool ignoreBlockers = false;
};

/// An object the script creates or drops, with the data it holds now.
struct AffectedObject
{
    QString description; ///< "table ai_insights", "column portfolio_snapshots.hhi"
    QString revision; ///< the revision whose SQL does it
    QString schema; ///< as written; empty: the search path decides
    QString table; ///< the table it is, or the column's table
    QString column; ///< a column; empty for a table or another object
    bool removesData = false;
    qint64 rows = -1; ///< live rows (non-null values for a column); -1 unknown or absent
    bool rowsEstimated = false; ///< from the planner's statistics: counting took too long
    bool exists = true; ///< false: the object is not in the database now
};

/// Everything the core decided about a write before it runs: what runs
/// (byte for byte), what it touches, and what would stop it.  Front ends
/// show it; neither decides anything the review does not say.
/// Whether this exact write was rehearsed on a copy (`dbops rehearse`):
/// what the checklist's "Tested" item shows.
struct RehearsalStatus
{
    bool tested = false; ///< a green rehearsal of this SQL on a copy of this database, recent enough
    bool failed = false; ///< the newest rehearsal of exactly this SQL failed (a refusal)
    QString text; ///< "rehearsed 2 h ago on a copy (...), round trip green, the same SQL", or why not
};

/// A recovery step's SQL before rendering, as its review read it from the
/// database (RecoveryWrite), so other run settings re-render it without one.
struct RecoveryStatements
{
    QStringList comments;
    QStringList statements; ///< each with its ';'
    bool inTransaction = true; ///< false: each on its own (CREATE INDEX CONCURRENTLY)
};

struct WriteReview
{
    WriteRequest request;
    QString actionName; ///< "upgrade", "downgrade", "stamp", "fix NAME", "recover STEP"
    ConnectionTarget target; ///< without its password when it crossed threads
    QString databaseName; ///< the name a production confirmation must type
    VersionState state; ///< the version table when reviewed
    QString fromText; ///< "19c513d3bf90", "base"
    QString toText;
    MigrationPlan plan;
    std::optional<FixDefinition> fix;
    std::optional<RecoveryStatements> recovery; ///< WriteAction::Recover
    RenderedScript script; ///< exactly what the runner executes
    QString sqlSha256;
    QStringList nonTransactionalSteps; ///< "id: message"
    QList<AffectedObject> created;
    QList<AffectedObject> dropped;
    QString auditTarget; ///< stamp: what the audit compared with
    QStringList missingObjects; ///< stamp: MISSING at the stamp target
    /// The relations the script locks, live: size, rows, indexes, who holds
    /// or waits for locks there, the estimate of a rewrite or scan.  Read again
    /// right before execute() runs.
    LockImpactReport locks;
    QStringList warnings; ///< shown, never blocking (profile TLS advice ...)
    std::optional<VerifyReport> applied; ///< what was applied against the files (dbops verify); not for fixes
    RehearsalStatus rehearsal; ///< upgrades: the matching rehearsal, if any
    ErrorList problems; ///< refusals no answer can lift (validation, read-only ...)
    bool nothingToDo = false;

    bool isProduction() const { return target.isProduction(); }
    bool needsTypedName() const { return target.isProduction(); }
    bool needsOverride() const { return !missingObjects.isEmpty(); }
    bool dropsData() const;
    bool needsDataLossAcceptance() const { return target.isProduction() && dropsData(); }
    /// Other sessions the script would wait for (LockImpactReport::blockers).
    QList<LockSession> blockers() const { return locks.blockers(); }
};

/// How a guarded write ended.
struct WriteOutcome
{
    enum class Status
    {
        Refused, ///< a guard said no: nothing ran, nothing journaled
        NothingToDo,
        Finished, ///< it ran: `run` says how it went
    };
    Status status = Status::Refused;
    ErrorList refusals;
    RunResult run; ///< for fixes too: Success, or Failed with the error
    std::optional<FixOutcome> fix;
    QString backupPath;
    JournalRecord record;
    bool journaled = false;
    std::optional<Error> journalWarning; ///< the run went through; its journal record did not

    bool ok() const { return status != Status::Refused && (status == Status::NothingToDo || run.ok()); }
};

QString writeActionName(WriteAction action);

} // namespace dbops

Q_DECLARE_METATYPE(dbops::WriteRequest)
Q_DECLARE_METATYPE(dbops::WriteAnswers)
Q_DECLARE_METATYPE(dbops::WriteReview)
Q_DECLARE_METATYPE(dbops::WriteOutcome)
