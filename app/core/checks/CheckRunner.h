#pragma once

#include "checks/CheckDefinition.h"
#include "common/Result.h"

#include <optional>

namespace dbops {

class DatabaseConnection;

/// One row a check query returned.
struct CheckRow
{
    QString check;
    QString expected;
    QString actual;
    bool ok = false; ///< NULL counts as not ok
};

/// What one check found: its rows, or the error its query ran into.
struct CheckOutcome
{
    QString name;
    QString description;
    QString filePath;
    int line = 0; ///< of the query
    QList<CheckRow> rows;
    std::optional<Error> error;
    qint64 milliseconds = 0;

    bool ok() const;
};

struct CheckReport
{
    QList<CheckOutcome> outcomes;

    bool allOk() const; ///< every check ran and every row is ok
    bool hasErrors() const; ///< a check query failed on the server
};

/// Runs checks strictly read-only: one `BEGIN; SET TRANSACTION READ ONLY`
/// transaction that always ends in ROLLBACK, so nothing a check does can
/// persist, and a role with nothing but SELECT can run them.  Each check
/// runs under a savepoint, so one failing query does not hide the others,
/// and under a statement timeout (SET LOCAL), always.  A check calling one
/// of the SideEffectFunctions is refused without running.
class CheckRunner
{
public:
    struct Options
    {
        static constexpr int kDefaultStatementTimeoutSeconds = 30;
        /// The profile's statement_timeout; 0 or less: kDefaultStatementTimeoutSeconds.
        int statementTimeoutSeconds = 0;
    };

    /// Fails only when the transaction itself cannot be set up (connection lost ...);
    /// a failing check query is recorded in its outcome.
    static Result<CheckReport> run(
        DatabaseConnection& connection, const CheckDefinitionList& checks, const Options& options);
    static Result<CheckReport> run(DatabaseConnection& connection, const CheckDefinitionList& checks)
    {
        return run(connection, checks, Options());
    }
};

} // namespace dbops
