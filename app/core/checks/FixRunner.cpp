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

QString sha256Of(const QString& text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
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

int FixRunner::effectiveLockTimeout(const ConnectionTarget& target, const Options& options)
{
    if (options.lockTimeoutSeconds >= 0)
        return options.lockTimeoutSeconds;
    return target.profile && target.profile->lockTimeoutSeconds > 0 ? target.profile->lockTimeoutSeconds
                                                                    : defaultLockTimeoutSeconds;
}

int FixRunner::effectiveStatementTimeout(const ConnectionTarget& target, const Options& options)
{
    if (options.statementTimeoutSeconds >= 0)
        return options.statementTimeoutSeconds;
    return target.profile ? target.profile->statementTimeoutSeconds : 0;
}

RenderedScript FixRunner::script(
    const FixDefinition& fix, int lockTimeoutSeconds, int statementTimeoutSeconds)
{
    RenderedScript script;
    auto add = [&script, &fix](ScriptItem::Kind kind, const QString& sql, const SqlStatement* statement) {
        ScriptItem item;
        item.kind = kind;
        item.sql = sql;
        item.revision = QStringLiteral("fix ") + fix.name;
        if (statement) {
            item.filePath = fix.filePath;
            item.line = statement->line;
            item.column = statement->column;
        }
        script.items.append(item);
    };
    add(ScriptItem::Kind::Comment,
        QStringLiteral("Fix %1: one transaction, committed only when the postcondition is true")
            .arg(fix.name),
        nullptr);
    add(ScriptItem::Kind::Begin, QStringLiteral("BEGIN"), nullptr);
    if (lockTimeoutSeconds > 0)
        add(ScriptItem::Kind::Setting,
            QStringLiteral("SET LOCAL lock_timeout = '%1s'").arg(lockTimeoutSeconds), nullptr);
    if (statementTimeoutSeconds > 0)
        add(ScriptItem::Kind::Setting,
            QStringLiteral("SET LOCAL statement_timeout = '%1s'").arg(statementTimeoutSeconds), nullptr);
    for (const SqlStatement& statement : fix.changes)
        add(ScriptItem::Kind::Statement, statement.text, &statement);
    add(ScriptItem::Kind::Comment, QStringLiteral("postcondition: must be true, else ROLLBACK"), nullptr);
    add(ScriptItem::Kind::Statement, fix.postcondition.text, &fix.postcondition);
    add(ScriptItem::Kind::Commit, QStringLiteral("COMMIT"), nullptr);
    return script;
}

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
    record.sqlSha256 = sha256Of(
        script(fix, effectiveLockTimeout(target, options), effectiveStatementTimeout(target, options))
            .text());
    record.backupPath = options.backupPath;

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
    if (options.connected)
        options.connected(connection.canceller());
    const auto cancelled = [&options] { return options.cancel && options.cancel->load(); };
    record.databaseUser = connection.serverInfo().user;
    if (Result<VersionState> version = VersionTable::read(connection, target.versionTable)) {
        record.fromRevisions = version->revisions;
        record.toRevisions = version->revisions; // a fix never moves the version table
    }

    // The items the dialog and `--sql` show are the items executed here.
    const RenderedScript items
        = script(fix, effectiveLockTimeout(target, options), effectiveStatementTimeout(target, options));
    for (const ScriptItem& item : items.items) {
        if (item.kind != ScriptItem::Kind::Begin && item.kind != ScriptItem::Kind::Setting)
            continue;
        if (Result<QSqlQuery> r = connection.exec(item.sql); !r) {
            rollback(connection);
            return fail(r.error());
        }
    }

    for (int i = 0; i < fix.changes.size(); ++i) {
        const SqlStatement& statement = fix.changes.at(i);
        if (cancelled()) {
            rollback(connection);
            return fail(Error::database(QStringLiteral("cancelled by the user: rolled back, nothing changed"),
                QStringLiteral("57014")));
        }
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
