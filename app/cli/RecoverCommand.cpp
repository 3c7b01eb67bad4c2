// dbops recover: what state a database is in after a failed or interrupted
// run, and the safe next steps.  Read-only.
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "catalog/DdlText.h"
#include "connection/DatabaseConnection.h"
#include "recover/RecoveryInspector.h"

namespace dbops::cli {

namespace {

QString listOrNone(const QStringList& list, const QString& none)
{
    return list.isEmpty() ? none : list.join(QStringLiteral(", "));
}

void printText(QTextStream& out, const RecoveryReport& report)
{
    out << "Database: " << report.database << '\n';
    if (report.lastRun) {
        const JournalRecord& run = *report.lastRun;
        out << "Last run: " << run.action << ' ' << run.outcome << " at "
            << run.startedAt.toString(Qt::ISODate) << " (" << run.transactionMode << ")";
        if (!report.failedRevision.isEmpty())
            out << ", stopped at " << report.failedRevision;
        out << '\n';
        if (!run.error.isEmpty())
            out << "  error: " << run.error.section(QLatin1Char('\n'), 0, 0) << '\n';
    } else {
        out << "Last run: none in the journal for this database\n";
    }
    out << "Applied:  "
        << (report.versionTableExists ? listOrNone(report.appliedRevisions, QStringLiteral("none (base)"))
                                      : QStringLiteral("none (no %1 table)").arg(report.versionTable))
        << '\n';
    if (!report.planProblem.isEmpty())
        out << "Pending:  unknown: " << report.planProblem << '\n';
    else
        out << "Pending:  " << listOrNone(report.pendingRevisions, QStringLiteral("none")) << '\n';

    if (!report.checkedRevision.isEmpty()) {
        out << "Objects " << report.checkedRevision << " creates ("
            << (report.hasPartialRevision() ? "PARTIAL: some exist already" : "none exists yet") << "):\n";
        for (const RecoveryObject& object : report.checkedObjects)
            out << "  " << (object.exists ? "EXISTS   " : "missing  ") << object.change.describe()
                << " (line " << object.line << ")\n";
        if (report.checkedObjects.isEmpty())
            out << "  (none it can check)\n";
    }
    out << "INVALID indexes: " << (report.invalidIndexes.isEmpty() ? "none" : "") << '\n';
    for (const InvalidIndex& index : report.invalidIndexes)
        out << "  " << DdlText::qualified(index.schema, index.name) << " on " << index.table << ": "
            << index.definition << '\n';

    const QStringList steps = report.nextSteps();
    if (!steps.isEmpty()) {
        out << "Next steps:\n";
        int number = 0;
        for (const QString& step : steps) {
            QString indented = step;
            indented.replace(QLatin1Char('\n'), QLatin1String("\n     "));
            out << "  " << ++number << ". " << indented << '\n';
        }
    }
    out << (report.consistent() ? "State: consistent\n" : "State: recovery needed\n");
    out.flush();
}

} // namespace

int runRecover(CliContext& context, const QStringList& arguments)
{
    // A step that writes is a guarded write with its own options: it never
    // runs here, only through the one guarded path (GuardedWrite).
    for (int i = 1; i < arguments.size(); ++i) {
        const QString& argument = arguments.at(i);
        if (argument == QLatin1String("--rollback-partial")) {
            QStringList rest = arguments;
            rest.removeAt(i);
            return runRecoveryStep(context, rest, RecoveryStep::rollbackPartial());
        }
        if (argument == QLatin1String("--rebuild-index")
            || argument.startsWith(QLatin1String("--rebuild-index="))) {
            QStringList rest = arguments;
            QString index = argument.section(QLatin1Char('='), 1);
            rest.removeAt(i);
            if (!argument.contains(QLatin1Char('='))) {
                if (i >= rest.size() || rest.at(i).startsWith(QLatin1Char('-')))
                    return context.fail(
                        Error::usage(QStringLiteral("--rebuild-index needs the index (SCHEMA.NAME)")));
                index = rest.takeAt(i);
            }
            return runRecoveryStep(context, rest, RecoveryStep::rebuildIndex(index));
        }
    }
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "After a failed or interrupted run: which revisions are applied, which objects of the "
        "failed (first pending) revision exist already, INVALID indexes, and the safe next steps. "
        "Read-only.  Exit 0 when consistent, 1 when recovery is needed.  The steps that write: "
        "--rollback-partial and --rebuild-index SCHEMA.NAME (guarded writes, see dbops recover "
        "--rollback-partial --help)."));
    const QCommandLineOption json = jsonOption();
    parser.addOption(json);
    if (auto code = context.parse(parser, arguments, QStringLiteral("recover")))
        return *code;
    int exitCode = ExitOk;
    std::optional<ConnectedRepository> connected = connectWithSql(context, &exitCode);
    if (!connected)
        return exitCode;
    const ConnectionTarget& target = connected->target;
    const std::unique_ptr<DatabaseConnection>& connection = connected->connection;
    const MigrationRepository* repository = connected->repository;

    Result<QList<JournalRecord>> journal = RunJournal().read();
    if (!journal)
        return context.fail(journal.error());
    Result<RecoveryReport> inspected = RecoveryInspector::inspect(
        *connection, repository->graph(), target.versionTable, target.settings.describe(), journal.value());
    if (!inspected)
        return context.fail(inspected.error());
    const RecoveryReport& report = inspected.value();

    if (parser.isSet(json))
        context.printJson(report.toJson());
    else
        printText(context.out(), report);
    return report.consistent() ? ExitOk : ExitCheckFailed;
}

} // namespace dbops::cli
