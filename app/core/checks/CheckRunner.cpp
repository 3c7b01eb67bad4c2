#include "checks/CheckRunner.h"

#include "checks/ServerErrorLocation.h"
#include "checks/SideEffectFunctions.h"
#include "connection/DatabaseConnection.h"

#include <QElapsedTimer>
#include <QSqlRecord>

namespace dbops {

namespace {

// The columns every check query returns, in this order (docs/cli.md).
const QStringList& expectedColumns()
{
    static const QStringList columns = { QStringLiteral("check"), QStringLiteral("expected"),
        QStringLiteral("actual"), QStringLiteral("ok") };
    return columns;
}

void runOne(DatabaseConnection& connection, const CheckDefinition& check, CheckOutcome* outcome)
{
    // CheckFileParser refuses these already; a definition built some other
    // way must not get past the runner either.
    if (auto refused = SideEffectFunctions::refuse(check.query, QStringLiteral("a check"), check.filePath)) {
        outcome->error = refused;
        return;
    }
    Result<QSqlQuery> query = connection.exec(check.query.text);
    if (!query) {
        outcome->error = locateServerError(query.error(), connection, check.query, check.filePath);
        return;
    }
    QSqlQuery& rows = query.value();
    const QSqlRecord record = rows.record();
    QStringList columns;
    for (int i = 0; i < record.count(); ++i)
        columns.append(record.fieldName(i));
    if (columns != expectedColumns()) {
        outcome->error = Error::input(QStringLiteral("check '%1' returns columns (%2); a check returns (%3)")
                                          .arg(check.name, columns.join(QStringLiteral(", ")),
                                              expectedColumns().join(QStringLiteral(", "))),
            check.filePath, check.query.line, check.query.column);
        return;
    }
    while (rows.next()) {
        const QVariant ok = rows.value(3);
        outcome->rows.append(CheckRow { rows.value(0).toString(), rows.value(1).toString(),
            rows.value(2).toString(), !ok.isNull() && ok.toBool() });
    }
    // A check that finds nothing has checked nothing: report it, never pass it.
    if (outcome->rows.isEmpty())
        outcome->rows.append(
            CheckRow { check.name, QStringLiteral("at least one row"), QStringLiteral("no rows"), false });
}

} // namespace

bool CheckOutcome::ok() const
{
    if (error || rows.isEmpty())
        return false;
    for (const CheckRow& row : rows) {
        if (!row.ok)
            return false;
    }
    return true;
}

bool CheckReport::allOk() const
{
    for (const CheckOutcome& outcome : outcomes) {
        if (!outcome.ok())
            return false;
    }
    return true;
}

bool CheckReport::hasErrors() const
{
    for (const CheckOutcome& outcome : outcomes) {
        if (outcome.error)
            return true;
    }
    return false;
}

Result<CheckReport> CheckRunner::run(
    DatabaseConnection& connection, const CheckDefinitionList& checks, const Options& options)
{
    // Every check runs under a statement timeout: a check that never ends
    // holds its snapshot (and vacuum back) for as long as nobody notices.
    const int timeout = options.statementTimeoutSeconds > 0 ? options.statementTimeoutSeconds
                                                            : Options::kDefaultStatementTimeoutSeconds;
    const QStringList setup = { QStringLiteral("BEGIN"), QStringLiteral("SET TRANSACTION READ ONLY"),
        QStringLiteral("SET LOCAL statement_timeout = '%1s'").arg(timeout) };
    for (const QString& sql : std::as_const(setup)) {
        if (Result<QSqlQuery> r = connection.exec(sql); !r) {
            connection.exec(QStringLiteral("ROLLBACK"));
            return r.error();
        }
    }

    CheckReport report;
    for (const CheckDefinition& check : checks) {
        CheckOutcome outcome;
        outcome.name = check.name;
        outcome.description = check.description;
        outcome.filePath = check.filePath;
        outcome.line = check.query.line;
        QElapsedTimer timer;
        timer.start();
        if (Result<QSqlQuery> r = connection.exec(QStringLiteral("SAVEPOINT dbops_check")); !r) {
            connection.exec(QStringLiteral("ROLLBACK"));
            return r.error();
        }
        runOne(connection, check, &outcome);
        const QString end = outcome.error ? QStringLiteral("ROLLBACK TO SAVEPOINT dbops_check")
                                          : QStringLiteral("RELEASE SAVEPOINT dbops_check");
        if (Result<QSqlQuery> r = connection.exec(end); !r) {
            connection.exec(QStringLiteral("ROLLBACK"));
            return r.error();
        }
        outcome.milliseconds = timer.elapsed();
        report.outcomes.append(outcome);
    }
    // Always ROLLBACK: a check never leaves anything behind, even if a
    // function it called tried to.
    if (Result<QSqlQuery> r = connection.exec(QStringLiteral("ROLLBACK")); !r)
        return r.error();
    return report;
}

} // namespace dbops
