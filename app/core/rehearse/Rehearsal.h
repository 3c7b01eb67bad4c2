#pragma once

#include "guarded/WriteTypes.h"

#include <QDateTime>
#include <QJsonObject>
#include <atomic>

namespace dbops {

class DatabaseConnection;
class MigrationRepository;

/// One revision of a rehearsal: how its upgrade went on the copy.
struct RehearsedRevision
{
    QString id;
    QString message;
    QString file;
    qint64 milliseconds = -1; ///< of the first upgrade; -1 when it did not run
    QString outcome; ///< "applied", "failed", "skipped", "not run"
    /// The locks its statements request on relations that existed before
    /// its transaction (lock model, PostgreSQL's lock table), strongest first:
    /// "ACCESS EXCLUSIVE on portfolio_snapshots".
    QStringList locks;
    QStringList created; ///< "table ai_insights", "index ix_..."
};

/// A run of the plan on the copy: the upgrade, the downgrade back, the upgrade again.
struct RehearsalPhase
{
    QString name; ///< "upgrade", "downgrade", "upgrade again"
    bool ok = false;
    qint64 milliseconds = 0;
    QString error; ///< "file:line: message" when it failed
};

/// What a rehearsal found, and what its record keeps.
struct RehearsalReport
{
    QDateTime startedAt;
    QString target; ///< user@host:port/db of the database rehearsed (never touched)
    QString databaseName;
    QString profile;
    QString shadow; ///< where the copy lived
    QStringList copiedTables;
    QStringList fromRevisions;
    QString toText;
    QStringList endHeads;
    QString sqlSha256; ///< of the exact script the real upgrade runs
    QString transactionMode;
    qint64 copyMilliseconds = 0;
    QList<RehearsalPhase> phases;
    QList<RehearsedRevision> revisions;
    bool roundTrip = true;
    bool nothingToDo = false;
    bool ok = false; ///< every phase went through
    QString problem; ///< why it did not (the first failure), or a refusal

    QJsonObject toJson() const;
    static RehearsalReport fromJson(const QJsonObject& object);
};

struct RehearsalOptions
{
    QString shadowUrl; ///< where the copy goes; empty: the profile's, else the rules below
    QStringList copyRowsOf; ///< tables whose rows are copied too (the version table always is)
    bool roundTrip = true; ///< downgrade back and upgrade again after the upgrade
};

/// Rehearses a write: reviews it on the target exactly as the real run
/// would (GuardedWrite::review: the same plan, the same SQL byte for byte,
/// read-only), copies the target's schema and the chosen rows into a
/// throwaway database, runs the plan there with the same transaction mode
/// and timeouts, then the downgrade back and the upgrade again, and drops
/// the copy.  The target is only read (pg_dump and the review's queries).
///
/// Where the copy goes: `shadowUrl`, else the profile's shadow URL, else a
/// throwaway local server when the profile is production or read-only
/// (never their own server), else the target's own server (a database of
/// its own, as the stamp audit's replay does).
class Rehearsal
{
public:
    static Result<RehearsalReport> run(DatabaseConnection& target, const MigrationRepository& repository,
        const ConnectionTarget& connectionTarget, const WriteRequest& request,
        const RehearsalOptions& options, const std::atomic<bool>* cancel = nullptr);

    /// The tables a repository asks to copy: `rehearse.conf` beside the
    /// migrations (one table per line, '#' comments), if any.
    static QStringList configuredTables(const MigrationRepository& repository);
};

} // namespace dbops
