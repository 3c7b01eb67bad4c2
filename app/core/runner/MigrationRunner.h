#pragma once

#include "common/Error.h"
#include "connection/DatabaseConnection.h"
#include "journal/RunJournal.h"
#include "migrations/MigrationPlan.h"
#include "render/RenderedScript.h"

#include <QElapsedTimer>
#include <atomic>
#include <functional>

namespace dbops {

/// How a run behaves around the SQL it executes.
struct RunOptions
{
    QString versionTable = QStringLiteral("alembic_version");
    int lockWaitSeconds = 0; ///< wait this long for the migration lock; 0: fail at once
    int retries = 3; ///< retries of a transaction that hit lock_timeout (55P03)
    int retryBackoffMs = 500; ///< doubled after each retry
};

/// A progress report from a run, a plain value that crosses threads.
struct RunEvent
{
    enum class Kind
    {
        LockAcquired,
        StepStarted, ///< revision stepIndex+1 of stepCount
        Statement, ///< about to execute `text`
        StepFinished,
        Notice, ///< a server NOTICE/WARNING, in `text`
        Retry, ///< lock timeout: the transaction is retried
        Info,
    };
    Kind kind = Kind::Info;
    int stepIndex = -1;
    int stepCount = 0;
    QString revision;
    QString text;
    qint64 elapsedMs = 0;
};

/// What a run did, re-read from the server at the end.
struct RunResult
{
    enum class Outcome
    {
        Success,
        Failed,
        Cancelled,
        ConnectionLost,
        LockHeld,
        VersionMismatch
    };
    Outcome outcome = Outcome::Failed;
    Error error;
    QStringList finalHeads; ///< the version table after the run, as the server says
    bool finalHeadsKnown = false;
    QList<JournalRecord::Step> steps;
    qint64 elapsedMs = 0;

    bool ok() const { return outcome == Outcome::Success; }
    static QString outcomeName(Outcome outcome);
};

/// Executes a rendered script (the renderer's items, in order, nothing else)
/// on one connection, guarded: a session-level advisory lock for the whole
/// run, the version table checked before the run, as it moves and before
/// every COMMIT (another session may write it without the lock), lock-timeout
/// retries, cancel between and during statements, and the true state re-read
/// when anything goes wrong.  Beside the version table it keeps the
/// checksum of each revision it applies (AppliedChecksums), written right
/// after the step's version-table change, in the same transaction.  Runs in
/// the calling thread; the console's MigrationWorker calls it from its
/// worker thread.
class MigrationRunner
{
public:
    using ProgressHandler = std::function<void(const RunEvent&)>;

    MigrationRunner(DatabaseConnection& connection, RunOptions options);

    void setProgressHandler(ProgressHandler handler) { m_progress = std::move(handler); }

    /// Thread-safe: stops between statements and cancels the running one server-side.
    void requestCancel();
    bool cancelRequested() const { return m_cancel.load(); }

    /// The connection in use: after a lost connection, the one the runner
    /// reopened to read the true state.
    DatabaseConnection& connection() const { return *m_connection; }

    /// Runs `script` for `plan`; the version table must stand at plan.startHeads.
    /// The connection may be replaced (reconnect after a lost connection).
    RunResult run(const MigrationPlan& plan, const RenderedScript& script);

    /// The advisory lock key for a version table (documented in docs/cli.md):
    /// the first 8 bytes of SHA-256("dbops:" + table), as a signed 64-bit integer.
    static qint64 lockKey(const QString& versionTable);
    /// Who holds the migration lock, for the message: "pid 123 (dbops, 10.0.0.5) since ...".
    static QString describeLockHolder(DatabaseConnection& connection, qint64 key);
    /// Other sessions holding table locks: who made a statement time out.
    /// With `relations` (names as SQL writes them, resolved through the
    /// search path), only the sessions holding a lock on one of those; when
    /// none does, or without `relations`, those holding any lock in user schemas.
    static QString describeTableLockHolders(
        DatabaseConnection& connection, const QStringList& relations = {});
    /// The tables and other relations a statement names, quoted for
    /// to_regclass(): where a lock it waited for can be.
    static QStringList relationsNamedIn(const QString& sql);

private:
    struct Unit; // a transaction (BEGIN..COMMIT) or a stretch of autocommit items
    Unit describeUnit(const MigrationPlan& plan, const RenderedScript& script, int first, int last,
        const QStringList& rowsBefore, bool tableBefore, int stepsBefore) const;
    bool executeUnit(const RenderedScript& script, const Unit& unit, RunResult& result);
    std::optional<Error> executeItem(const ScriptItem& item, const Unit& unit);
    /// After item `index`: the checksum bookkeeping it calls for, in its unit
    /// (so in the transaction of the version-table change it follows).
    std::optional<Error> recordChecksums(const RenderedScript& script, int index);
    std::optional<Error> checkVersionTable(const Unit& unit, bool* mismatch);
    void emitEvent(RunEvent::Kind kind, int step, const QString& revision, const QString& text);
    void forwardNotices();
    void finish(RunResult& result);
    Error locate(Error error, const ScriptItem& item, const Unit& unit) const;

    DatabaseConnection* m_connection;
    std::unique_ptr<DatabaseConnection> m_reconnected;
    RunOptions m_options;
    ProgressHandler m_progress;
    std::atomic<bool> m_cancel { false };
    std::shared_ptr<QueryCanceller> m_canceller;
    QElapsedTimer m_clock;
    int m_stepCount = 0;
    /// Per plan step: its revision, direction and, for an upgrade, the
    /// checksum of the statements this run executes for it.
    struct StepChecksum
    {
        QString revision;
        bool upgrade = true;
        QString sha256;
    };
    QList<StepChecksum> m_stepChecksums;
};

} // namespace dbops
