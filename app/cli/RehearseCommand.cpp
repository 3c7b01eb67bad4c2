// dbops rehearse: the upgrade on a throwaway copy of the database first
// (app/core/rehearse): the same SQL, the same transaction mode and
// timeouts, then the downgrade back and the upgrade again.  The target is
// only read.  The result is recorded; the guarded upgrade shows whether a
// matching rehearsal exists ("Tested" on the console's checklist).
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "InterruptWatcher.h"
#include "TextTable.h"
#include "connection/DatabaseConnection.h"
#include "rehearse/RehearsalRecords.h"
#include "render/SqlScriptRenderer.h"

#include <QJsonObject>

namespace dbops::cli {

namespace {

void printReport(QTextStream& out, const RehearsalReport& report)
{
    out << "Rehearsal of " << report.target << ": "
        << (report.fromRevisions.isEmpty() ? QStringLiteral("base")
                                           : report.fromRevisions.join(QStringLiteral(", ")))
        << " -> " << report.toText << '\n';
    if (report.nothingToDo) {
        out << "Nothing to do: the database is at the target.\n";
        out.flush();
        return;
    }
    if (!report.shadow.isEmpty())
        out << "Copy:     schema and the rows of " << report.copiedTables.join(QStringLiteral(", ")) << " on "
            << report.shadow << QStringLiteral(" (%1 s)").arg(report.copyMilliseconds / 1000.0, 0, 'f', 2)
            << '\n';
    out << "SQL:      sha256 " << report.sqlSha256 << ", transaction " << report.transactionMode << '\n';
    for (const RehearsalPhase& phase : report.phases)
        out << QStringLiteral("Phase:    %1: %2 (%3 s)")
                   .arg(phase.name, phase.ok ? QStringLiteral("ok") : QStringLiteral("FAILED"))
                   .arg(phase.milliseconds / 1000.0, 0, 'f', 2)
            << (phase.error.isEmpty() ? QString() : QStringLiteral("\n          ") + phase.error) << '\n';
    TextTable table({ QStringLiteral("REVISION"), QStringLiteral("TIME"), QStringLiteral("OUTCOME"),
        QStringLiteral("LOCKS (lock model)"), QStringLiteral("CREATES") });
    for (const RehearsedRevision& r : report.revisions)
        table.addRow(
            { r.id, r.milliseconds >= 0 ? QStringLiteral("%1 ms").arg(r.milliseconds) : QStringLiteral("-"),
                r.outcome, r.locks.isEmpty() ? QStringLiteral("-") : r.locks.join(QStringLiteral("; ")),
                r.created.isEmpty() ? QStringLiteral("-") : r.created.join(QStringLiteral(", ")) });
    table.print(out);
    if (report.ok)
        out << "Result:   green: the upgrade"
            << (report.roundTrip ? ", the downgrade and the upgrade again ran on the copy\n"
                                 : " ran on the copy\n");
    else
        out << "Result:   FAILED: " << report.problem << '\n';
    out.flush();
}

} // namespace

int runRehearse(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Rehearse an upgrade on a throwaway copy of the database (schema, the version table and the tables "
        "of "
        "rehearse.conf or --copy-rows): the exact SQL the upgrade would run, then the downgrade back and the "
        "upgrade again.  The database itself is only read."));
    parser.addPositionalArgument(QStringLiteral("TARGET"),
        QStringLiteral("Revision specifier (default head)."), QStringLiteral("[TARGET]"));
    const QCommandLineOption shadow(QStringLiteral("shadow"),
        QStringLiteral(
            "Server for the copy (needs CREATEDB). Default: the profile's shadow URL; for a production "
            "or read-only profile a throwaway local server; else the database's own server."),
        QStringLiteral("URL"));
    const QCommandLineOption copyRows(QStringLiteral("copy-rows"),
        QStringLiteral("Also copy this table's rows (repeatable; adds to rehearse.conf)."),
        QStringLiteral("TABLE"));
    const QCommandLineOption noRoundTrip(
        QStringLiteral("no-round-trip"), QStringLiteral("Only the upgrade; no downgrade and upgrade again."));
    const QCommandLineOption transaction(QStringLiteral("transaction"),
        QStringLiteral("all (default) or per-revision, as the upgrade will run."), QStringLiteral("MODE"),
        QStringLiteral("all"));
    const QCommandLineOption lockTimeout(QStringLiteral("lock-timeout"),
        QStringLiteral("lock_timeout in seconds, as the upgrade will run (default: the profile's, else 10)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption statementTimeout(QStringLiteral("statement-timeout"),
        QStringLiteral("statement_timeout in seconds, as the upgrade will run."), QStringLiteral("SECONDS"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the report as JSON."));
    parser.addOptions({ shadow, copyRows, noRoundTrip, transaction, lockTimeout, statementTimeout, json });
    if (auto code = context.parse(parser, arguments, QStringLiteral("rehearse")))
        return *code;
    if (parser.positionalArguments().size() > 1)
        return context.fail(Error::usage(QStringLiteral("rehearse: one TARGET at most")));

    WriteRequest request;
    request.action = WriteAction::Upgrade;
    request.target = parser.positionalArguments().isEmpty() ? QStringLiteral("head")
                                                            : parser.positionalArguments().constFirst();
    Result<TransactionMode> mode = SqlScriptRenderer::parseTransactionMode(parser.value(transaction));
    if (!mode)
        return context.fail(mode.error());
    request.transactionMode = *mode;
    for (const auto& [option, field] : { std::pair { &lockTimeout, &request.lockTimeoutSeconds },
             std::pair { &statementTimeout, &request.statementTimeoutSeconds } }) {
        if (!parser.isSet(*option))
            continue;
        bool ok = false;
        *field = parser.value(*option).toInt(&ok);
        if (!ok || *field < 0)
            return context.fail(Error::usage(
                QStringLiteral("--%1 needs a whole number >= 0").arg(option->names().constFirst())));
    }

    int exitCode = ExitOk;
    std::optional<ConnectedRepository> connected = connectWithSql(context, &exitCode);
    if (!connected)
        return exitCode;
    const MigrationRepository* repository = connected->repository;

    RehearsalOptions options;
    options.shadowUrl = parser.value(shadow);
    options.copyRowsOf = Rehearsal::configuredTables(*repository) + parser.values(copyRows);
    options.roundTrip = !parser.isSet(noRoundTrip);
    context.err() << "Rehearsing on a throwaway copy (the database itself is only read) ..." << Qt::endl;
    std::atomic<bool> cancel { false };
    Result<RehearsalReport> report = [&] {
        InterruptWatcher watcher([&cancel] { cancel = true; });
        return Rehearsal::run(
            *connected->connection, *repository, connected->target, request, options, &cancel);
    }();
    if (!report)
        return context.fail(report.error());
    if (!report->nothingToDo && report->phases.isEmpty() && !report->problem.isEmpty())
        return context.fail(Error::usage(QStringLiteral("not rehearsed: %1").arg(report->problem)));
    if (!report->nothingToDo) {
        if (std::optional<Error> error = RehearsalRecords().append(report.value()))
            context.err() << "dbops: warning: " << error->message << Qt::endl;
    }
    if (parser.isSet(json))
        context.printJson(report->toJson());
    else
        printReport(context.out(), report.value());
    if (report->problem == QLatin1String("cancelled"))
        return ExitCancelled;
    return report->ok ? ExitOk : ExitRunFailed;
}

} // namespace dbops::cli
