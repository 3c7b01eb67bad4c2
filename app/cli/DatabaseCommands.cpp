// Commands that read a live database: current.
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "connection/DatabaseConnection.h"
#include "database/VersionTable.h"

#include <QJsonArray>
#include <QJsonObject>

namespace dbops::cli {

Result<std::unique_ptr<DatabaseConnection>> connectTo(CliContext& context, ConnectionTarget* targetOut)
{
    Result<ConnectionTarget> target = context.target();
    if (!target)
        return target.error();
    if (targetOut)
        *targetOut = target.value();
    return DatabaseConnection::open(target->settings);
}

std::optional<ConnectedRepository> connectWithSql(CliContext& context, int* exitCode)
{
    ConnectedRepository connected;
    Error connectError;
    connected.repository = context.repositoryWithSql([&] {
        Result<std::unique_ptr<DatabaseConnection>> opened = connectTo(context, &connected.target);
        if (opened)
            connected.connection = std::move(opened).value();
        else
            connectError = opened.error();
    });
    if (!connected.repository) {
        *exitCode = ExitBadInput;
        return std::nullopt;
    }
    if (!connected.connection) {
        *exitCode = context.fail(connectError);
        return std::nullopt;
    }
    return connected;
}

int runCurrent(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Show the revision(s) the database is at, whether they "
                                                    "are heads, and how many revisions are pending."));
    const QCommandLineOption check(
        QStringLiteral("check"), QStringLiteral("Exit 0 at head, 1 when behind or unknown."));
    const QCommandLineOption json = jsonOption();
    parser.addOptions({ check, json });
    if (auto code = context.parse(parser, arguments, QStringLiteral("current")))
        return *code;
    const MigrationRepository* repository = context.repository();
    if (!repository)
        return ExitBadInput;
    ConnectionTarget target;
    Result<std::unique_ptr<DatabaseConnection>> connection = connectTo(context, &target);
    if (!connection)
        return context.fail(connection.error());
    const ServerInfo server = connection.value()->serverInfo();
    Result<VersionState> state = VersionTable::read(*connection.value(), target.versionTable);
    if (!state)
        return context.fail(state.error());

    const RevisionGraph& graph = repository->graph();
    QStringList unknown;
    for (const QString& id : state->revisions) {
        if (!graph.contains(id))
            unknown.append(id);
    }
    int pending = -1;
    if (unknown.isEmpty()) {
        if (Result<MigrationPlan> plan = graph.upgradePlan(state->revisions, QStringLiteral("heads")))
            pending = static_cast<int>(plan->steps.size());
    }
    const bool atHead = unknown.isEmpty() && pending == 0 && !state->revisions.isEmpty();

    if (parser.isSet(json)) {
        QJsonArray revisions;
        for (const QString& id : std::as_const(state->revisions)) {
            const bool known = graph.contains(id);
            revisions.append(
                QJsonObject { { QStringLiteral("revision"), id }, { QStringLiteral("known"), known },
                    { QStringLiteral("message"), known ? graph.revision(id).message : QString() },
                    { QStringLiteral("is_head"), known && graph.isHead(id) } });
        }
        context.printJson(QJsonObject {
            { QStringLiteral("database"), target.settings.describe() },
            { QStringLiteral("server_version"), server.version },
            { QStringLiteral("version_table"), target.versionTable },
            { QStringLiteral("version_table_exists"), state->tableExists },
            { QStringLiteral("revisions"), revisions },
            { QStringLiteral("heads"), QJsonArray::fromStringList(graph.heads()) },
            { QStringLiteral("pending"), pending },
            { QStringLiteral("at_head"), atHead },
        });
    } else {
        QTextStream& out = context.out();
        out << "Database: " << target.describe() << " (PostgreSQL " << server.version << ", TLS "
            << (server.tls ? "on" : "off") << ")\n";
        if (!state->tableExists)
            out << "Current:  base (no " << target.versionTable << " table)\n";
        else if (state->revisions.isEmpty())
            out << "Current:  base (" << target.versionTable << " is empty)\n";
        for (const QString& id : std::as_const(state->revisions)) {
            if (!graph.contains(id))
                out << "Current:  " << id << " (unknown: not in the migration repository "
                    << repository->directory() << ")\n";
            else
                out << "Current:  " << id << (graph.isHead(id) ? " (head)" : "") << ", "
                    << graph.revision(id).message << '\n';
        }
        out << "Head:     " << graph.heads().join(QStringLiteral(", ")) << '\n';
        if (pending >= 0)
            out << "Pending:  " << pending << " revision(s)" << (atHead ? " (up to date)" : "") << '\n';
        else
            out << "Pending:  unknown (the database is at a revision this repository does not know)\n";
        out.flush();
    }
    if (parser.isSet(check))
        return atHead ? ExitOk : ExitCheckFailed;
    return ExitOk;
}

} // namespace dbops::cli
