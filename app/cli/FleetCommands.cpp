// dbops fleet status: every database of a group (or a URL file) at once,
// over a bounded pool of connections (app/core/fleet).  Exit 0 when every
// database was read, 3 when one could not be (unreachable or failed); with
// --check, 1 when one is not up to date either.
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "TextTable.h"
#include "checks/CheckRepository.h"
#include "connection/ProfileStore.h"
#include "fleet/FleetStatus.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <map>

namespace dbops::cli {

namespace {

QJsonObject statusJson(const FleetDatabaseStatus& s)
{
    QJsonObject object { { QStringLiteral("name"), s.name }, { QStringLiteral("origin"), s.origin },
        { QStringLiteral("where"), s.where }, { QStringLiteral("production"), s.production },
        { QStringLiteral("state"), fleetStateName(s.state) }, { QStringLiteral("reachable"), s.reachable() },
        { QStringLiteral("error"), s.error.isEmpty() ? QJsonValue() : QJsonValue(s.error) },
        { QStringLiteral("server_version"), s.serverVersion },
        { QStringLiteral("version_table"), s.versionTable },
        { QStringLiteral("version_table_exists"), s.versionTableExists },
        { QStringLiteral("revisions"), QJsonArray::fromStringList(s.revisions) },
        { QStringLiteral("unknown_revisions"), QJsonArray::fromStringList(s.unknownRevisions) },
        { QStringLiteral("pending"), s.pending }, { QStringLiteral("milliseconds"), s.milliseconds } };
    if (s.checksRan)
        object.insert(QStringLiteral("checks"),
            QJsonObject {
                { QStringLiteral("passed"), s.checksPassed }, { QStringLiteral("failed"), s.checksFailed } });
    return object;
}

QString revisionCell(const FleetDatabaseStatus& s)
{
    if (!s.reachable() || s.state == FleetDatabaseStatus::State::Failed)
        return QStringLiteral("-");
    if (s.revisions.isEmpty())
        return QStringLiteral("base");
    QStringList shortIds;
    for (const QString& id : s.revisions)
        shortIds.append(id.left(12));
    return shortIds.join(QLatin1Char(','));
}

QString stateCell(const FleetDatabaseStatus& s)
{
    QString text = fleetStateName(s.state);
    if (!s.error.isEmpty())
        text += QStringLiteral(": ") + s.error.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (s.checksRan)
        text += s.checksFailed > 0 ? QStringLiteral("; checks: %1 failed").arg(s.checksFailed)
                                   : QStringLiteral("; checks ok");
    return text;
}

int runFleetStatus(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Where every database of a group (or of a URL file) stands: revision, pending "
                       "revisions, and with --checks the data checks.  Connects to them in parallel."));
    const QCommandLineOption group(QStringLiteral("group"),
        QStringLiteral("The profiles in this group ('dbops profile add --group')."), QStringLiteral("GROUP"));
    const QCommandLineOption urlFile(QStringLiteral("url-file"),
        QStringLiteral("One URL or profile name per line ('#' comments)."), QStringLiteral("FILE"));
    const QCommandLineOption jobs(QStringLiteral("jobs"), QStringLiteral("Connections at once (default 8)."),
        QStringLiteral("N"), QStringLiteral("8"));
    const QCommandLineOption timeout(QStringLiteral("connect-timeout"),
        QStringLiteral("Seconds to wait for each database (default 5)."), QStringLiteral("SECONDS"),
        QStringLiteral("5"));
    const QCommandLineOption checks(
        QStringLiteral("checks"), QStringLiteral("Also run the repository's data checks (read-only)."));
    const QCommandLineOption check(
        QStringLiteral("check"), QStringLiteral("Exit 1 unless every database is reachable and up to date."));
    const QCommandLineOption json(
        QStringLiteral("json"), QStringLiteral("Print JSON (shape in docs/cli.md)."));
    parser.addOptions({ group, urlFile, jobs, timeout, checks, check, json });
    if (auto code = context.parse(parser, arguments, QStringLiteral("fleet status")))
        return *code;
    if (parser.isSet(group) == parser.isSet(urlFile))
        return context.fail(
            Error::usage(QStringLiteral("fleet status: give --group GROUP or --url-file FILE")));
    bool ok = false;
    FleetStatusOptions options;
    options.jobs = parser.value(jobs).toInt(&ok);
    if (!ok || options.jobs < 1 || options.jobs > 64)
        return context.fail(
            Error::usage(QStringLiteral("--jobs: 1 to 64, got '%1'").arg(parser.value(jobs))));
    options.connectTimeoutSeconds = parser.value(timeout).toInt(&ok);
    if (!ok || options.connectTimeoutSeconds < 1)
        return context.fail(
            Error::usage(QStringLiteral("--connect-timeout: whole seconds, at least 1, got '%1'")
                             .arg(parser.value(timeout))));

    const MigrationRepository* repository = context.repository();
    if (!repository)
        return ExitBadInput;
    if (parser.isSet(checks)) {
        ErrorList errors;
        Result<CheckRepository> loaded = CheckRepository::load(repository->directory(), &errors);
        if (!loaded)
            return context.fail(errors.isEmpty() ? ErrorList { loaded.error() } : errors);
        options.checks = loaded->checks();
    }
    const ProfileStore store;
    Result<QList<FleetMember>> members = parser.isSet(group)
        ? FleetMembers::fromGroup(parser.value(group), store)
        : FleetMembers::fromUrlFile(parser.value(urlFile), store);
    if (!members)
        return context.fail(members.error());
    const QString defaultTable = context.defaultVersionTable();
    for (FleetMember& member : members.value())
        member.target.adoptVersionTable(defaultTable);
    FleetMembers::readKeychainPasswords(members.value());

    QElapsedTimer timer;
    timer.start();
    const QList<FleetDatabaseStatus> statuses
        = FleetStatusReader::read(members.value(), repository->graph(), options);
    const qint64 elapsed = timer.elapsed();

    std::map<FleetDatabaseStatus::State, int> counts;
    bool allRead = true;
    bool allUpToDate = true;
    for (const FleetDatabaseStatus& s : statuses) {
        counts[s.state]++;
        allRead = allRead && s.reachable() && s.state != FleetDatabaseStatus::State::Failed;
        allUpToDate = allUpToDate && s.state == FleetDatabaseStatus::State::UpToDate
            && !(s.checksRan && s.checksFailed > 0);
    }
    QStringList summary;
    QJsonObject summaryJson;
    for (const auto& [state, count] : counts) {
        summary.append(QStringLiteral("%1 %2").arg(count).arg(fleetStateName(state)));
        summaryJson.insert(fleetStateName(state), count);
    }
    const QString heads = repository->graph().heads().join(QStringLiteral(", "));
    const QString source
        = parser.isSet(group) ? QStringLiteral("group '%1'").arg(parser.value(group)) : parser.value(urlFile);

    if (parser.isSet(json)) {
        QJsonArray databases;
        for (const FleetDatabaseStatus& s : statuses)
            databases.append(statusJson(s));
        context.printJson(QJsonObject { { QStringLiteral("source"), source },
            { QStringLiteral("heads"), QJsonArray::fromStringList(repository->graph().heads()) },
            { QStringLiteral("databases"), databases }, { QStringLiteral("summary"), summaryJson },
            { QStringLiteral("jobs"), options.jobs }, { QStringLiteral("milliseconds"), elapsed } });
    } else {
        QTextStream& out = context.out();
        out << "Fleet: " << source << ", " << statuses.size() << " database(s); head " << heads << '\n';
        TextTable table({ QStringLiteral("DATABASE"), QStringLiteral("WHERE"), QStringLiteral("REVISION"),
            QStringLiteral("PENDING"), QStringLiteral("STATE") });
        for (const FleetDatabaseStatus& s : statuses) {
            table.addRow({ s.name + (s.production ? QStringLiteral(" [production]") : QString()), s.where,
                revisionCell(s), s.pending >= 0 ? QString::number(s.pending) : QStringLiteral("-"),
                stateCell(s) });
        }
        table.print(out);
        out << "Summary: " << summary.join(QStringLiteral(", "))
            << QStringLiteral(" (%1 s, %2 connection(s) at once)")
                   .arg(elapsed / 1000.0, 0, 'f', 2)
                   .arg(options.jobs)
            << '\n';
        out.flush();
    }
    if (!allRead)
        return ExitDatabaseError;
    if (parser.isSet(check) && !allUpToDate)
        return ExitCheckFailed;
    return ExitOk;
}

} // namespace

int runFleet(CliContext& context, const QStringList& arguments)
{
    // arguments: program, subcommand, its options.
    const QString subcommand = arguments.size() > 1 ? arguments.at(1) : QString();
    if (subcommand == QLatin1String("status"))
        return runFleetStatus(context, QStringList { arguments.constFirst() } + arguments.mid(2));
    if (subcommand.isEmpty() || subcommand == QLatin1String("--help") || subcommand == QLatin1String("-h")) {
        QTextStream& stream = subcommand.isEmpty() ? context.err() : context.out();
        stream << "Usage: dbops fleet status (--group GROUP | --url-file FILE) [--jobs N] "
                  "[--connect-timeout S] [--checks] [--check] [--json]\n";
        stream.flush();
        return subcommand.isEmpty() ? ExitBadInput : ExitOk;
    }
    return context.fail(
        Error::usage(QStringLiteral("fleet: unknown subcommand '%1' (try: status)").arg(subcommand)));
}

} // namespace dbops::cli
