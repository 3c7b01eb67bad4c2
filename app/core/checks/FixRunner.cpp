#include "checks/FixRunner.h"

#include "checks/ServerErrorLocation.h"
#include "connection/ConnectionTarget.h"
#include "connection/DatabaseConnection.h"
#include "database/VersionTable.h"
#include "runner/RunGuard.h"
#include "sql/SqlParser.h"

#include <QCryptographicHash>
#include <QElapsedTimer>

namespace dbops {

namespace {

QString oneLine(const QString& statement)
{
    QString text = statement.simplified();
    if (text.size() > 100)
        text = text.left(97) + QStringLiteral("...");
    return text;
}

QString fixSha256(const FixDefinition& fix)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const SqlStatement& s : fix.changes)
        hash.addData(QString(s.text + QStringLiteral(";\n")).toUtf8());
    hash.addData(QString(fix.postcondition.text + QStringLiteral(";\n")).toUtf8());
    return QString::fromLatin1(hash.result().toHex());
}

// Ends the transaction without masking the error that made us end it.
void rollback(DatabaseConnection& connection)
{
    connection.exec(QStringLiteral("ROLLBACK"));
}

} // namespace

FixRunner::FixRunner(RunJournal journal)
    : m_journal(std::move(journal))
{ }

Result<FixOutcome> FixRunner::run(
    const ConnectionTarget& target, const FixDefinition& fix, const Options& options) const
{
    const QString action = QStringLiteral("fix ") + fix.name;
    // Before connecting: a refused fix must not even reach the server.  A dry
    // run takes the same locks as the real one, so the same guards apply.
    if (auto refused = RunGuard::checkWriteAllowed(target, action, options.confirmation))
        return *refused;

    FixOutcome outcome;
    outcome.name = fix.name;
    outcome.target = target.describe();
    outcome.dryRun = options.dryRun;

    JournalRecord record;
    record.startedAt = QDateTime::currentDateTimeUtc();
    record.action = action;
    record.osUser = RunJournal::currentOsUser();
    record.databaseUser = target.settings.value(QStringLiteral("user"));
    record.profile = target.profile ? target.profile->name : QString();
    record.target = target.settings.describe();
    record.transactionMode = QStringLiteral("all");
    record.sqlSha256 = fixSha256(fix);

    // Every run that reached the server is journaled, failed ones too; dry runs change nothing and are not.
    auto finish = [&](const QString& result, const QString& error) {
        if (options.dryRun)
            return;
        record.finishedAt = QDateTime::currentDateTimeUtc();
        record.outcome = result;
        record.error = target.settings.redact(error);
        if (auto journalError = m_journal.append(record))
            outcome.journalError = journalError;
    };
    auto fail = [&](Error error) -> Result<FixOutcome> {
        finish(QStringLiteral("failed"), error.message);
        if (outcome.journalError)
            error.message += QStringLiteral(" (and the run journal could not be written: %1)")
                                 .arg(outcome.journalError->message);
        return error;
    };

    // As with upgrades, a run that never reached the server is not journaled.
    Result<std::unique_ptr<DatabaseConnection>> opened = DatabaseConnection::open(target.settings);
    if (!opened)
        return opened.error();
    DatabaseConnection& connection = *opened.value();
    record.databaseUser = connection.serverInfo().user;
    if (Result<VersionState> version = VersionTable::read(connection, target.versionTable)) {
        record.fromRevisions = version->revisions;
        record.toRevisions = version->revisions; // a fix never moves the version table
    }

    const int lockTimeout = target.profile && target.profile->lockTimeoutSeconds > 0
        ? target.profile->lockTimeoutSeconds
        : defaultLockTimeoutSeconds;
    QStringList setup
        = { QStringLiteral("BEGIN"), QStringLiteral("SET LOCAL lock_timeout = '%1s'").arg(lockTimeout) };
    if (target.profile && target.profile->statementTimeoutSeconds > 0)
        setup.append(QStringLiteral("SET LOCAL statement_timeout = '%1s'")
                         .arg(target.profile->statementTimeoutSeconds));
    for (const QString& sql : std::as_const(setup)) {
        if (Result<QSqlQuery> r = connection.exec(sql); !r) {
            rollback(connection);
            return fail(r.error());
        }
    }

    for (int i = 0; i < fix.changes.size(); ++i) {
        const SqlStatement& statement = fix.changes.at(i);
        QElapsedTimer timer;
        timer.start();
        Result<QSqlQuery> r = connection.exec(statement.text);
        JournalRecord::Step step { QStringLiteral("%1 statement %2").arg(fix.name).arg(i + 1),
            timer.elapsed(), r ? QStringLiteral("applied") : QStringLiteral("failed") };
        record.steps.append(step);
        if (!r) {
            const Error error = locateServerError(r.error(), connection, statement, fix.filePath);
            rollback(connection);
            return fail(error);
        }
        outcome.statements.append(
            FixStatementResult { statement.line, SqlParser::classify(statement.text).description,
                oneLine(statement.text), r.value().numRowsAffected(), step.milliseconds });
    }

    Result<QVariant> held = connection.scalar(fix.postcondition.text);
    if (!held) {
        const Error error = locateServerError(held.error(), connection, fix.postcondition, fix.filePath);
        rollback(connection);
        return fail(error);
    }
    outcome.postconditionHeld = !held->isNull() && held->toBool();
    if (!outcome.postconditionHeld) {
        rollback(connection);
        finish(QStringLiteral("failed"),
            QStringLiteral("postcondition is %1 (%2:%3): rolled back")
                .arg(held->isNull() ? QStringLiteral("NULL") : QStringLiteral("false"), fix.filePath)
                .arg(fix.postcondition.line));
        return outcome;
    }

    if (options.dryRun) {
        rollback(connection);
        return outcome;
    }
    if (Result<QSqlQuery> r = connection.exec(QStringLiteral("COMMIT")); !r) {
        rollback(connection);
        return fail(r.error());
    }
    outcome.committed = true;
    finish(QStringLiteral("success"), {});
    if (!outcome.journalError && target.profile && target.profile->journalInDatabase) {
        if (auto error = RunJournal::appendToDatabase(connection, record))
            outcome.journalError = error;
    }
    return outcome;
}

} // namespace dbops
