// dbops: the command-line face of DbOps Console.  Thin: it picks the command
// and hands over to dbops_core through the command functions.
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"

#include <QCoreApplication>
#include <functional>
#include <map>

using namespace dbops;
using namespace dbops::cli;

namespace {

struct Command
{
    std::function<int(CliContext&, const QStringList&)> run;
    const char* summary;
};

const std::map<QString, Command>& commands()
{
    static const std::map<QString, Command> table = {
        { QStringLiteral("history"), { runHistory, "List revisions, newest first" } },
        { QStringLiteral("heads"), { runHeads, "List the head revisions" } },
        { QStringLiteral("show"), { runShow, "Show a revision" } },
        { QStringLiteral("check"), { runCheck, "Validate every migration file and statement" } },
        { QStringLiteral("new"), { runNew, "Create a new migration file" } },
        { QStringLiteral("lint"),
            { runLint, "Lint SQL for locks, rewrites and breaking changes (offline)" } },
        { QStringLiteral("sql"), { runSql, "Print the SQL of an upgrade or downgrade (offline)" } },
        { QStringLiteral("current"), { runCurrent, "Show where the database stands" } },
        { QStringLiteral("fleet"),
            { runFleet, "Where every database of a group stands, read in parallel (fleet status)" } },
        { QStringLiteral("audit"),
            { runAudit, "Compare the database's schema with what the migrations build" } },
        { QStringLiteral("snapshot"),
            { runSnapshot, "Write (or --check) migrations/schema/head.json by replaying the migrations" } },
        { QStringLiteral("rehearse"),
            { runRehearse,
                "Rehearse an upgrade on a throwaway copy (round trip; the database is only read)" } },
        { QStringLiteral("upgrade"), { runUpgrade, "Upgrade the database (guarded)" } },
        { QStringLiteral("downgrade"), { runDowngrade, "Roll the database back (guarded)" } },
        { QStringLiteral("rollback"), { runDowngrade, "Alias of downgrade" } },
        { QStringLiteral("stamp"), { runStamp, "Set the version table without running migrations" } },
        { QStringLiteral("profile"),
            { runProfile, "Manage connection profiles (add, edit, list, show, remove, test)" } },
        { QStringLiteral("checks"), { runChecks, "Run the data checks (read-only)" } },
        { QStringLiteral("fix"), { runFix, "Run a data fix (guarded, journaled)" } },
        { QStringLiteral("verify"),
            { runVerify, "Compare what was applied with the migration files (checksums, read-only)" } },
        { QStringLiteral("recover"),
            { runRecover, "After a failed run: the database's state and the safe next steps (read-only)" } },
        { QStringLiteral("journal"), { runJournal, "Show the run journal, newest first" } },
        { QStringLiteral("import-alembic"),
            { runImportAlembic, "Write a native repository from an Alembic project" } },
    };
    return table;
}

void printUsage(QTextStream& out)
{
    out << "Usage: dbops [--migrations DIR | --alembic PATH] COMMAND [options]\n\n"
           "Safe PostgreSQL schema migrations, Alembic-compatible.\n\n"
           "Commands:\n";
    for (const auto& [name, command] : commands())
        out << "  " << name.leftJustified(15) << command.summary << '\n';
    out << "\nGlobal options:\n"
           "  --migrations DIR   migration repository (env DBOPS_MIGRATIONS; default: the bundled one)\n"
           "  --alembic PATH     an Alembic project instead: alembic.ini, its directory or the script "
           "directory\n"
           "  -d, --database URL database: postgresql:// URL or libpq keywords (default: $DATABASE_URL, PG* "
           "variables)\n"
           "  -p, --profile NAME saved connection profile ('dbops profile list')\n"
           "  --version          print the version\n"
           "  -h, --help         this help; 'dbops COMMAND --help' for a command\n\n"
           "Exit codes: 0 ok, 1 check failed, 2 usage or bad input, 3 database error, 4 statement failed\n"
           "(rolled back), 5 cancelled, 6 migration lock held (see docs/cli.md).\n";
    out.flush();
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dbops"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DBOPS_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("dbops"));

    CliContext context;
    QStringList arguments = QCoreApplication::arguments();
    const QString program = arguments.takeFirst();

    // Global options before the command.
    while (!arguments.isEmpty() && arguments.constFirst().startsWith(QLatin1Char('-'))) {
        const QString option = arguments.takeFirst();
        if (option == QLatin1String("--version") || option == QLatin1String("-V")) {
            context.out() << "dbops " << QCoreApplication::applicationVersion() << Qt::endl;
            return ExitOk;
        }
        if (option == QLatin1String("--help") || option == QLatin1String("-h")) {
            printUsage(context.out());
            return ExitOk;
        }
        if (option == QLatin1String("--migrations") || option == QLatin1String("--alembic")) {
            if (arguments.isEmpty()) {
                context.err() << "dbops: " << option << " needs a path" << Qt::endl;
                return ExitBadInput;
            }
            (option == QLatin1String("--alembic") ? context.alembicProject : context.migrationsDirectory)
                = arguments.takeFirst();
        } else if (option.startsWith(QLatin1String("--migrations="))) {
            context.migrationsDirectory = option.mid(static_cast<int>(qstrlen("--migrations=")));
        } else if (option.startsWith(QLatin1String("--alembic="))) {
            context.alembicProject = option.mid(static_cast<int>(qstrlen("--alembic=")));
        } else if (option == QLatin1String("-d") || option == QLatin1String("--database")
            || option == QLatin1String("-p") || option == QLatin1String("--profile")) {
            if (arguments.isEmpty()) {
                context.err() << "dbops: " << option << " needs a value" << Qt::endl;
                return ExitBadInput;
            }
            const bool isDatabase = option == QLatin1String("-d") || option == QLatin1String("--database");
            const QString value = arguments.takeFirst();
            if (!isDatabase) {
                if (auto refused = ConnectionTarget::checkProfileName(option, value))
                    return context.fail(*refused);
            } else if (value.trimmed().isEmpty()) {
                // As with -p "": an unset variable must not mean "the environment's database".
                return context.fail(Error::usage(
                    QStringLiteral("%1: the database URL is empty (an unset variable?)").arg(option)));
            }
            (isDatabase ? context.databaseUrl : context.profileName) = value;
        } else {
            context.err() << "dbops: unknown option " << option << "\nTry 'dbops --help'." << Qt::endl;
            return ExitBadInput;
        }
    }
    if (arguments.isEmpty()) {
        printUsage(context.err());
        return ExitBadInput;
    }
    const QString name = arguments.takeFirst();
    const auto command = commands().find(name);
    if (command == commands().end()) {
        context.err() << "dbops: unknown command '" << name << "'\nTry 'dbops --help'." << Qt::endl;
        return ExitBadInput;
    }
    arguments.prepend(program);
    return command->second.run(context, arguments);
}
