#pragma once

#include "common/Result.h"
#include "query/QueryResult.h"
#include "sql/SqlStatement.h"

#include <QMutex>
#include <atomic>
#include <memory>

namespace dbops {

class DatabaseConnection;
class QueryCanceller;

/// Runs SQL typed into the query console, strictly as a read.
///
/// Before anything is sent, the text is split and parsed with PostgreSQL's
/// own parser (SqlParser) and every statement must be a read: SELECT (WITH
/// included, when none of its queries writes; not SELECT INTO, not FOR
/// UPDATE/SHARE), VALUES, TABLE, SHOW, and EXPLAIN (with ANALYZE only of such
/// a read, since ANALYZE runs the statement).  A statement calling one of the
/// SideEffectFunctions (pg_terminate_backend, set_config, nextval, dblink ...)
/// is refused too: those act beyond a read-only transaction.  What the parse
/// tree cannot show (a function of the user's that writes) the server stops:
/// the statements run in a `BEGIN READ ONLY` transaction under a `SET LOCAL
/// statement_timeout`, which always ends in ROLLBACK.
///
/// Each statement goes out on its own through libpq's extended protocol,
/// which runs exactly one statement per message, so the split the checks
/// saw is the one the server runs.  Rows arrive one at a time (libpq's
/// single-row mode) into a compact QueryTable, up to the row and byte
/// limits; beyond them the statement is cancelled and the result says it was
/// truncated.  The result is the last statement's rows.
class ReadOnlyQuery
{
public:
    struct Options
    {
        static constexpr int kDefaultStatementTimeoutSeconds = 30;
        static constexpr int kDefaultRowLimit = 100000;
        static constexpr qint64 kDefaultByteLimit = 256LL * 1024 * 1024;
        /// 0 or less: kDefaultStatementTimeoutSeconds.
        int statementTimeoutSeconds = kDefaultStatementTimeoutSeconds;
        int rowLimit = kDefaultRowLimit;
        qint64 byteLimit = kDefaultByteLimit; ///< of cell text, at most QueryTable::kMaxBytes

        int effectiveTimeoutSeconds() const
        {
            return statementTimeoutSeconds > 0 ? statementTimeoutSeconds : kDefaultStatementTimeoutSeconds;
        }
    };

    ReadOnlyQuery();
    explicit ReadOnlyQuery(const Options& options);
    ~ReadOnlyQuery();
    ReadOnlyQuery(const ReadOnlyQuery&) = delete;
    ReadOnlyQuery& operator=(const ReadOnlyQuery&) = delete;

    /// The statements of `sql` when every one of them is a read; else the
    /// first refusal, at its line and column in `sql`.  No connection needed.
    static Result<SqlStatementList> readStatements(const QString& sql);

    /// Checks `sql` (readStatements), then runs it on `connection` as
    /// described above.  The connection is idle, outside a transaction,
    /// afterwards, whatever happened, unless it was lost.  One run per object.
    QueryResult run(DatabaseConnection& connection, const QString& sql);

    /// Thread-safe: the run stops as soon as the server has cancelled the
    /// statement (a server-side cancel is sent now, and again every second
    /// while the statement still runs), and comes back Cancelled.
    void requestCancel();
    bool isCancelRequested() const { return m_cancelRequested.load(); }

private:
    struct Run;
    void sendCancel();

    Options m_options;
    std::atomic<bool> m_cancelRequested { false };
    QMutex m_cancellerMutex;
    std::shared_ptr<QueryCanceller> m_canceller; ///< guarded by m_cancellerMutex; set while running
};

} // namespace dbops
