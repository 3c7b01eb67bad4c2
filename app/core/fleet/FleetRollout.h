#pragma once

#include "fleet/FleetMembers.h"
#include "guarded/WriteTypes.h"

#include <QDateTime>
#include <QJsonObject>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace dbops {

class GuardedWrite;
class MigrationRepository;

/// How a fleet upgrade is rolled out: the canary databases first, alone,
/// then the rest in batches; every database through the one guarded path.
struct FleetRolloutOptions
{
    WriteRequest request; ///< the upgrade each database gets (target, timeouts, backup folder ...)
    int canaries = 1; ///< the first N databases go first, one batch of their own
    int batchSize = 4; ///< databases upgraded at once after the canaries
    bool keepGoing = false; ///< past a failure (else: stop after the batch that failed)
    QString fleetName; ///< "prod-eu" (--group) or the URL file's name: what --confirm must type
    QString typedFleetName; ///< typed back: confirms every production database of the fleet
    bool dataLossAccepted = false; ///< production: the drops the reviews list are accepted
    int connectTimeoutSeconds = 10;
};

/// What happened to one database.
struct FleetRolloutEntry
{
    enum class Outcome
    {
        Upgraded,
        NothingToDo, ///< already at the target (a resumed rollout's finished databases)
        Failed, ///< the run failed and was rolled back (or stopped: see exitCode)
        Refused, ///< a guard said no; nothing ran
        Unreachable,
        NotStarted, ///< the rollout stopped before its batch
    };
    QString name;
    QString origin;
    QString where;
    bool production = false;
    int batch = 0; ///< 0: the canaries
    Outcome outcome = Outcome::NotStarted;
    QStringList before; ///< revisions before
    QStringList after; ///< revisions after (the same unless upgraded)
    QString error;
    int exitCode = 0; ///< as `dbops upgrade` would have exited for this database
    qint64 milliseconds = 0;
};

QString rolloutOutcomeName(FleetRolloutEntry::Outcome outcome); ///< "upgraded", "nothing to do" ...

struct FleetRolloutReport
{
    QString fleet;
    QString target;
    QDateTime startedAt;
    QDateTime finishedAt;
    bool stopped = false; ///< a failure stopped it (without keepGoing)
    QString stoppedBecause;
    QList<FleetRolloutEntry> entries;

    int count(FleetRolloutEntry::Outcome outcome) const;
    /// "43 upgraded, 3 nothing to do, 1 failed" (outcomes that occur, in a fixed order).
    QString summaryText() const;
    bool ok() const; ///< every database upgraded or already there
    /// The exit code of `dbops fleet upgrade`: 0 ok; the first failed
    /// database's code otherwise (4 a failed run, 3 unreachable, 2 refused ...).
    int exitCode() const;
    QJsonObject toJson() const;
    /// A standalone page (no scripts, no external files) for the change record.
    QString toHtml() const;
};

/// Rolls an upgrade out over a fleet.  The rules are the one guarded path's,
/// per database (read-only, production confirmation, data loss, locks,
/// timeouts, backup, version-table checks, journal); this adds the order
/// (canaries, batches), stopping at the first failure, and the production
/// confirmation once for the whole fleet: typing the fleet's name stands
/// for typing each production database's name, and the rollout's own
/// journal record says so.  A rollout that stopped is resumed by running it
/// again: the databases already upgraded have nothing to do.
class FleetRollout
{
public:
    using ProgressHandler = std::function<void(const QString& line)>;

    FleetRollout();
    ~FleetRollout();

    /// What stops the rollout before any database is touched: read-only
    /// members, production members without the fleet's name typed back,
    /// bad batch sizes.  Empty: it may start.
    static ErrorList refusalsBeforeStarting(
        const QList<FleetMember>& members, const FleetRolloutOptions& options);

    /// Runs it (blocking; batches in parallel threads).  `repository` must
    /// carry the SQL (MigrationRepository with SQL).
    FleetRolloutReport run(const QList<FleetMember>& members, const MigrationRepository& repository,
        const FleetRolloutOptions& options);

    void setProgressHandler(ProgressHandler handler) { m_progress = std::move(handler); }
    /// The journal each database's run and the rollout's own record go to (tests point it elsewhere).
    void setJournal(RunJournal journal) { m_journal = std::move(journal); }
    /// Thread-safe: cancels the running databases (server-side) and starts no more.
    void requestCancel();

private:
    void upgradeOne(const FleetMember& member, const MigrationRepository& repository,
        const FleetRolloutOptions& options, GuardedWrite& write, FleetRolloutEntry& entry);
    void report(const QString& line);

    ProgressHandler m_progress;
    RunJournal m_journal;
    std::atomic<bool> m_cancel { false };
    QMutex m_writesMutex;
    std::vector<GuardedWrite*> m_runningWrites; ///< guarded by m_writesMutex
    QMutex m_progressMutex;
};

} // namespace dbops
