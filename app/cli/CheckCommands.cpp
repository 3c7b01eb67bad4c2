// checks, fix, journal: data checks (read-only), guarded data fixes, and the
// record of write runs.
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "TextTable.h"
#include "checks/CheckRepository.h"
#include "checks/CheckRunner.h"
#include "checks/FixRunner.h"
#include "connection/DatabaseConnection.h"
#include "journal/RunJournal.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>

namespace dbops::cli {

// Defined in DatabaseCommands.cpp: resolves the target and connects.
namespace {

// The checks/ and fixes/ of the repository the command works with (the
// --migrations one, the profile's, or the default); nothing after printing
// every problem with file:line, and `exitCode` says how to exit.
std::optional<CheckRepository> loadChecks(CliContext& context, int* exitCode)
{
    const MigrationRepository* migrations = context.repository();
    if (!migrations) {
        *exitCode = ExitBadInput;
        return std::nullopt;
    }
    ErrorList errors;
    Result<CheckRepository> checks = CheckRepository::load(migrations->directory(), &errors);
    if (!checks) {
        *exitCode = context.fail(errors.isEmpty() ? ErrorList { checks.error() } : errors);
        return std::nullopt;
    }
    return std::move(checks).value();
}

QJsonValue errorJson(const std::optional<Error>& error)
{
    if (!error)
        return QJsonValue::Null;
    return QJsonObject { { QStringLiteral("message"), error->message },
        { QStringLiteral("file"), error->file }, { QStringLiteral("line"), error->line },
        { QStringLiteral("sqlstate"), error->sqlState }, { QStringLiteral("detail"), error->detail },
        { QStringLiteral("hint"), error->hint } };
}

// Exit code of a check run: a database error outranks a check-file error,
// which outranks a failed check.
int checksExitCode(const CheckReport& report)
{
    int code = ExitOk;
    for (const CheckOutcome& outcome : report.outcomes) {
        if (outcome.error)
            code = std::max(code,
                outcome.error->kind == Error::Kind::Database ? int(ExitDatabaseError) : int(ExitBadInput));
        else if (!outcome.ok())
            code = std::max(code, int(ExitCheckFailed));
    }
    return code;
}

} // namespace

int runChecks(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Run the data checks of migrations/checks/ in a read-only transaction. Exit 0 when "
                       "every row is ok, 1 when a "
                       "check fails, 3 on a database error."));
    const QCommandLineOption json = jsonOption();
    parser.addOption(json);
    if (auto code = context.parse(parser, arguments, QStringLiteral("checks")))
        return *code;
    int exitCode = ExitOk;
    std::optional<CheckRepository> repository = loadChecks(context, &exitCode);
    if (!repository)
        return exitCode;
    if (repository->checks().isEmpty()) {
        if (parser.isSet(json))
            context.printJson(
                QJsonObject { { QStringLiteral("ok"), true }, { QStringLiteral("checks"), QJsonArray() } });
        else
            context.out() << "No checks in " << repository->directory() << "/checks." << Qt::endl;
        return ExitOk;
    }

    ConnectionTarget target;
    Result<std::unique_ptr<DatabaseConnection>> connection = connectTo(context, &target);
    if (!connection)
        return context.fail(connection.error());
    CheckRunner::Options options;
    if (target.profile)
        options.statementTimeoutSeconds = target.profile->statementTimeoutSeconds;
    Result<CheckReport> report = CheckRunner::run(*connection.value(), repository->checks(), options);
    if (!report)
        return context.fail(report.error());
    const int code = checksExitCode(report.value());

    if (parser.isSet(json)) {
        QJsonArray checks;
        for (const CheckOutcome& outcome : report->outcomes) {
            QJsonArray rows;
            for (const CheckRow& row : outcome.rows) {
                rows.append(QJsonObject { { QStringLiteral("check"), row.check },
                    { QStringLiteral("expected"), row.expected }, { QStringLiteral("actual"), row.actual },
                    { QStringLiteral("ok"), row.ok } });
            }
            const FixDefinition* fix = nullptr;
            for (const FixDefinition& f : repository->fixes()) {
                if (f.repairs == outcome.name)
                    fix = &f;
            }
            checks.append(QJsonObject { { QStringLiteral("name"), outcome.name },
                { QStringLiteral("description"), outcome.description },
                { QStringLiteral("file"), outcome.filePath }, { QStringLiteral("line"), outcome.line },
                { QStringLiteral("ok"), outcome.ok() }, { QStringLiteral("error"), errorJson(outcome.error) },
                { QStringLiteral("rows"), rows },
                { QStringLiteral("fix"), fix ? QJsonValue(fix->name) : QJsonValue(QJsonValue::Null) },
                { QStringLiteral("ms"), static_cast<double>(outcome.milliseconds) } });
        }
        context.printJson(QJsonObject { { QStringLiteral("database"), target.settings.describe() },
            { QStringLiteral("ok"), report->allOk() }, { QStringLiteral("checks"), checks } });
        return code;
    }

    QTextStream& out = context.out();
    out << "Database: " << target.describe() << "\n\n";
    TextTable table({ QStringLiteral("CHECK"), QStringLiteral("EXPECTED"), QStringLiteral("ACTUAL"),
        QStringLiteral("OK") });
    int failed = 0;
    QStringList fixHints;
    for (const CheckOutcome& outcome : report->outcomes) {
        if (outcome.error) {
            table.addRow(
                { outcome.name, QString(), QStringLiteral("error (see below)"), QStringLiteral("ERROR") });
        } else {
            for (const CheckRow& row : outcome.rows)
                table.addRow({ row.check, row.expected, row.actual,
                    row.ok ? QStringLiteral("ok") : QStringLiteral("FAIL") });
        }
        if (!outcome.ok()) {
            ++failed;
            for (const FixDefinition& f : repository->fixes()) {
                if (f.repairs == outcome.name)
                    fixHints.append(QStringLiteral("  %1: dbops fix %2").arg(outcome.name, f.name));
            }
        }
    }
    table.print(out);
    out << '\n';
    for (const CheckOutcome& outcome : report->outcomes) {
        if (outcome.error)
            out << "Error in check '" << outcome.name << "': " << outcome.error->toString() << '\n';
    }
    out << report->outcomes.size() << " check(s): " << report->outcomes.size() - failed << " ok, " << failed
        << " failed\n";
    if (!fixHints.isEmpty())
        out << "Fixes available:\n" << fixHints.join(QLatin1Char('\n')) << '\n';
    out.flush();
    return code;
}

int runJournal(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Show the run journal ($XDG_DATA_HOME/dbops/journal.jsonl), newest first."));
    const QCommandLineOption json = jsonOption();
    const QCommandLineOption limit(
        QStringLiteral("limit"), QStringLiteral("Show at most N records."), QStringLiteral("N"));
    parser.addOptions({ json, limit });
    if (auto code = context.parse(parser, arguments, QStringLiteral("journal")))
        return *code;
    int maximum = -1;
    if (parser.isSet(limit)) {
        bool ok = false;
        maximum = parser.value(limit).toInt(&ok);
        if (!ok || maximum < 0)
            return context.fail(
                Error::usage(QStringLiteral("--limit: '%1' is not a count").arg(parser.value(limit))));
    }
    const RunJournal journal;
    Result<QList<JournalRecord>> records = journal.read();
    if (!records)
        return context.fail(records.error());
    QList<JournalRecord> newestFirst;
    for (auto it = records->crbegin();
         it != records->crend() && (maximum < 0 || newestFirst.size() < maximum); ++it)
        newestFirst.append(*it);

    if (parser.isSet(json)) {
        QJsonArray list;
        for (const JournalRecord& r : std::as_const(newestFirst))
            list.append(r.toJson());
        context.printJson(QJsonObject {
            { QStringLiteral("file"), journal.filePath() }, { QStringLiteral("records"), list } });
        return ExitOk;
    }
    if (newestFirst.isEmpty()) {
        context.out() << "The run journal is empty (" << journal.filePath() << ")." << Qt::endl;
        return ExitOk;
    }
    TextTable table({ QStringLiteral("STARTED (UTC)"), QStringLiteral("ACTION"), QStringLiteral("PROFILE"),
        QStringLiteral("TARGET"), QStringLiteral("DB USER"), QStringLiteral("OUTCOME"),
        QStringLiteral("ERROR") });
    for (const JournalRecord& r : std::as_const(newestFirst)) {
        table.addRow({ r.startedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), r.action,
            r.profile, r.target, r.databaseUser, r.outcome, r.error.section(QLatin1Char('\n'), 0, 0) });
    }
    table.print(context.out());
    context.out().flush();
    return ExitOk;
}

} // namespace dbops::cli
