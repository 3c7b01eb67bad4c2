// dbops fleet status | upgrade: every database of a group (or a URL file).
// status reads them at once over a bounded pool of connections; upgrade
// rolls an upgrade out, canaries first, then batches, each database through
// the one guarded path (app/core/fleet).  Exit codes in docs/cli.md.
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "InterruptWatcher.h"
#include "TextTable.h"
#include "checks/CheckRepository.h"
#include "common/PrivateFiles.h"
#include "connection/ProfileStore.h"
#include "fleet/FleetRollout.h"
#include "fleet/FleetStatus.h"
#include "render/SqlScriptRenderer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
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
    object.insert(QStringLiteral("verify"),
        s.verified ? QJsonValue(QJsonObject { { QStringLiteral("clean"), s.verifyFindings.isEmpty() },
            { QStringLiteral("findings"), QJsonArray::fromStringList(s.verifyFindings) } })
                   : QJsonValue());
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
    if (!s.verifyFindings.isEmpty())
        text += QStringLiteral("; verify: %1").arg(s.verifyFindings.constFirst())
            + (s.verifyFindings.size() > 1 ? QStringLiteral(" (+%1 more)").arg(s.verifyFindings.size() - 1)
                                           : QString());
    if (s.checksRan)
        text += s.checksFailed > 0 ? QStringLiteral("; checks: %1 failed").arg(s.checksFailed)
                                   : QStringLiteral("; checks ok");
    return text;
}

// The fleet's databases from --group or --url-file, with their version
// tables and keychain passwords; std::nullopt after printing the error.
std::optional<QList<FleetMember>> readMembers(CliContext& context, const QCommandLineParser& parser,
    const QCommandLineOption& group, const QCommandLineOption& urlFile, int* exitCode)
{
    if (parser.isSet(group) == parser.isSet(urlFile)) {
        *exitCode = context.fail(Error::usage(QStringLiteral("give --group GROUP or --url-file FILE")));
        return std::nullopt;
    }
    const ProfileStore store;
    Result<QList<FleetMember>> members = parser.isSet(group)
        ? FleetMembers::fromGroup(parser.value(group), store)
        : FleetMembers::fromUrlFile(parser.value(urlFile), store);
    if (!members) {
        *exitCode = context.fail(members.error());
        return std::nullopt;
    }
    const QString defaultTable = context.defaultVersionTable();
    for (FleetMember& member : members.value())
        member.target.adoptVersionTable(defaultTable);
    FleetMembers::readKeychainPasswords(members.value());
    return std::move(members).value();
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
    const QCommandLineOption json = jsonOption();
    parser.addOptions({ group, urlFile, jobs, timeout, checks, check, json });
    if (auto code = context.parse(parser, arguments, QStringLiteral("fleet status")))
        return *code;
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

    // With their SQL: each database's applied revisions are verified (checksums).
    const MigrationRepository* repository = context.repositoryWithSql();
    if (!repository)
        return ExitBadInput;
    options.verifyApplied = true;
    if (parser.isSet(checks)) {
        ErrorList errors;
        Result<CheckRepository> loaded = CheckRepository::load(repository->directory(), &errors);
        if (!loaded)
            return context.fail(errors.isEmpty() ? ErrorList { loaded.error() } : errors);
        options.checks = loaded->checks();
    }
    int exitCode = ExitOk;
    std::optional<QList<FleetMember>> members = readMembers(context, parser, group, urlFile, &exitCode);
    if (!members)
        return exitCode;

    QElapsedTimer timer;
    timer.start();
    const QList<FleetDatabaseStatus> statuses
        = FleetStatusReader::read(*members, repository->graph(), options);
    const qint64 elapsed = timer.elapsed();

    std::map<FleetDatabaseStatus::State, int> counts;
    bool allRead = true;
    bool allUpToDate = true;
    for (const FleetDatabaseStatus& s : statuses) {
        counts[s.state]++;
        allRead = allRead && s.reachable() && s.state != FleetDatabaseStatus::State::Failed;
        allUpToDate = allUpToDate && s.state == FleetDatabaseStatus::State::UpToDate
            && !(s.checksRan && s.checksFailed > 0) && s.verifyFindings.isEmpty();
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

// Writes a report file 0600 (in place for a device or a pipe, such as /dev/stdout).
std::optional<Error> writeReportFile(const QString& path, const QByteArray& data)
{
    const QFileInfo info(path);
    if (!info.exists() || info.isFile()) {
        if (std::optional<Error> error = PrivateFiles::ensureFileIn(path, PrivateFiles::Folder::Chosen))
            return error;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size()
        || !file.flush())
        return Error::io(QStringLiteral("cannot write the report: %1").arg(file.errorString()), path);
    return std::nullopt;
}

void printRolloutTable(QTextStream& out, const FleetRolloutReport& report)
{
    TextTable table({ QStringLiteral("BATCH"), QStringLiteral("DATABASE"), QStringLiteral("BEFORE"),
        QStringLiteral("AFTER"), QStringLiteral("TIME"), QStringLiteral("OUTCOME") });
    for (const FleetRolloutEntry& e : report.entries) {
        table.addRow({ e.batch == 0 ? QStringLiteral("canary") : QString::number(e.batch),
            e.name + (e.production ? QStringLiteral(" [production]") : QString()),
            e.before.isEmpty() ? QStringLiteral("-") : e.before.join(QLatin1Char(',')),
            e.after.isEmpty() ? QStringLiteral("-") : e.after.join(QLatin1Char(',')),
            QStringLiteral("%1 s").arg(e.milliseconds / 1000.0, 0, 'f', 2),
            rolloutOutcomeName(e.outcome)
                + (e.error.isEmpty() ? QString()
                                     : QStringLiteral(": ") + e.error.section(QLatin1Char('\n'), 0, 0)) });
    }
    table.print(out);
    out << "Summary: " << report.summaryText() << '\n';
    if (report.stopped)
        out << "Stopped: " << report.stoppedBecause << '\n';
    out.flush();
}

int runFleetUpgrade(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Roll an upgrade out over a fleet: the canary databases first, then batches; each database "
        "through the guarded path (read-only, production confirmation, locks, timeouts, backup, journal). "
        "Stops after the batch where one fails unless --keep-going; run it again to resume."));
    parser.addPositionalArgument(QStringLiteral("TARGET"),
        QStringLiteral("Revision specifier (default head)."), QStringLiteral("[TARGET]"));
    const QCommandLineOption group(
        QStringLiteral("group"), QStringLiteral("The profiles in this group."), QStringLiteral("GROUP"));
    const QCommandLineOption urlFile(QStringLiteral("url-file"),
        QStringLiteral("One URL or profile name per line ('#' comments)."), QStringLiteral("FILE"));
    const QCommandLineOption canary(QStringLiteral("canary"),
        QStringLiteral("Databases upgraded first, before any other (default 1)."), QStringLiteral("N"));
    const QCommandLineOption batch(QStringLiteral("batch"),
        QStringLiteral("Databases upgraded at once after the canaries (default 4)."), QStringLiteral("M"));
    const QCommandLineOption keepGoing(
        QStringLiteral("keep-going"), QStringLiteral("Go on past a failed database; report them all."));
    const QCommandLineOption confirm(QStringLiteral("confirm"),
        QStringLiteral("The group's name (or the URL file's name), typed back: confirms every production "
                       "database of the fleet at once (journaled)."),
        QStringLiteral("NAME"));
    const QCommandLineOption acceptDataLoss(QStringLiteral("accept-data-loss"),
        QStringLiteral("Production: the tables and columns the upgrade drops may go."));
    const QCommandLineOption transaction(QStringLiteral("transaction"),
        QStringLiteral("all (default) or per-revision."), QStringLiteral("MODE"), QStringLiteral("all"));
    const QCommandLineOption lockTimeout(QStringLiteral("lock-timeout"),
        QStringLiteral("lock_timeout in seconds (default: each profile's, else 10)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption statementTimeout(QStringLiteral("statement-timeout"),
        QStringLiteral("statement_timeout in seconds (default: each profile's)."), QStringLiteral("SECONDS"));
    const QCommandLineOption backup(QStringLiteral("backup"),
        QStringLiteral("pg_dump -Fc each database into DIR before its upgrade."), QStringLiteral("DIR"));
    const QCommandLineOption timeout(QStringLiteral("connect-timeout"),
        QStringLiteral("Seconds to wait for each database (default 10)."), QStringLiteral("SECONDS"));
    const QCommandLineOption reportJson(QStringLiteral("report"),
        QStringLiteral("Write the rollout report as JSON to FILE (0600)."), QStringLiteral("FILE"));
    const QCommandLineOption reportHtml(QStringLiteral("html"),
        QStringLiteral("Write the rollout report as an HTML page to FILE (0600)."), QStringLiteral("FILE"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the report as JSON."));
    parser.addOptions({ group, urlFile, canary, batch, keepGoing, confirm, acceptDataLoss, transaction,
        lockTimeout, statementTimeout, backup, timeout, reportJson, reportHtml, json });
    if (auto code = context.parse(parser, arguments, QStringLiteral("fleet upgrade")))
        return *code;
    if (parser.positionalArguments().size() > 1)
        return context.fail(Error::usage(QStringLiteral("fleet upgrade: one TARGET at most")));

    FleetRolloutOptions options;
    options.request.action = WriteAction::Upgrade;
    options.request.target = parser.positionalArguments().isEmpty()
        ? QStringLiteral("head")
        : parser.positionalArguments().constFirst();
    Result<TransactionMode> mode = SqlScriptRenderer::parseTransactionMode(parser.value(transaction));
    if (!mode)
        return context.fail(mode.error());
    options.request.transactionMode = *mode;
    std::optional<Error> badNumber;
    const auto number = [&](const QCommandLineOption& option, int fallback, int minimum) {
        if (!parser.isSet(option))
            return fallback;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if ((!ok || value < minimum) && !badNumber)
            badNumber = Error::usage(QStringLiteral("--%1: a whole number of at least %2, got '%3'")
                                         .arg(option.names().constFirst())
                                         .arg(minimum)
                                         .arg(parser.value(option)));
        return value;
    };
    options.canaries = number(canary, 1, 0);
    options.batchSize = number(batch, 4, 1);
    options.connectTimeoutSeconds = number(timeout, 10, 1);
    options.request.lockTimeoutSeconds = number(lockTimeout, -1, 0);
    options.request.statementTimeoutSeconds = number(statementTimeout, -1, 0);
    if (badNumber)
        return context.fail(*badNumber);
    if (parser.isSet(backup) && parser.value(backup).trimmed().isEmpty())
        return context.fail(Error::usage(QStringLiteral("--backup needs a folder")));
    options.request.backupDirectory = parser.value(backup);
    options.keepGoing = parser.isSet(keepGoing);
    options.typedFleetName = parser.value(confirm);
    options.dataLossAccepted = parser.isSet(acceptDataLoss);
    options.fleetName
        = parser.isSet(group) ? parser.value(group) : QFileInfo(parser.value(urlFile)).fileName();

    int exitCode = ExitOk;
    std::optional<QList<FleetMember>> members = readMembers(context, parser, group, urlFile, &exitCode);
    if (!members)
        return exitCode;
    // Refused before any connection: read-only members, production without the fleet's name.
    if (const ErrorList refused = FleetRollout::refusalsBeforeStarting(*members, options); !refused.isEmpty())
        return context.fail(refused);
    const MigrationRepository* repository = context.repositoryWithSql();
    if (!repository)
        return ExitBadInput;

    FleetRollout rollout;
    rollout.setProgressHandler([&context](const QString& line) { context.err() << line << Qt::endl; });
    context.err() << "Fleet upgrade of '" << options.fleetName << "' to " << options.request.target << ": "
                  << members->size() << " database(s), " << options.canaries << " canary, then batches of "
                  << options.batchSize << (options.keepGoing ? ", going on past failures" : "") << Qt::endl;
    FleetRolloutReport report;
    {
        InterruptWatcher watcher([&rollout] { rollout.requestCancel(); });
        report = rollout.run(*members, *repository, options);
    }

    int code = report.exitCode();
    const std::pair<const QCommandLineOption*, QByteArray> files[] = {
        { &reportJson, parser.isSet(reportJson) ? QJsonDocument(report.toJson()).toJson() : QByteArray() },
        { &reportHtml, parser.isSet(reportHtml) ? report.toHtml().toUtf8() : QByteArray() },
    };
    for (const auto& [option, data] : files) {
        if (!parser.isSet(*option))
            continue;
        if (std::optional<Error> error = writeReportFile(parser.value(*option), data)) {
            context.fail(*error);
            code = code == ExitOk ? ExitBadInput : code;
        } else {
            context.err() << "Report written: " << parser.value(*option) << Qt::endl;
        }
    }
    if (parser.isSet(json))
        context.printJson(report.toJson());
    else
        printRolloutTable(context.out(), report);
    return code;
}

} // namespace

int runFleet(CliContext& context, const QStringList& arguments)
{
    // arguments: program, subcommand, its options.
    const QString subcommand = arguments.size() > 1 ? arguments.at(1) : QString();
    if (subcommand == QLatin1String("status"))
        return runFleetStatus(context, QStringList { arguments.constFirst() } + arguments.mid(2));
    if (subcommand == QLatin1String("upgrade"))
        return runFleetUpgrade(context, QStringList { arguments.constFirst() } + arguments.mid(2));
    if (subcommand.isEmpty() || subcommand == QLatin1String("--help") || subcommand == QLatin1String("-h")) {
        QTextStream& stream = subcommand.isEmpty() ? context.err() : context.out();
        stream << "Usage: dbops fleet status (--group GROUP | --url-file FILE) [--jobs N] "
                  "[--connect-timeout S] [--checks] [--check] [--json]\n"
                  "       dbops fleet upgrade [TARGET] (--group GROUP | --url-file FILE) [--canary N] "
                  "[--batch M] [--keep-going] [--confirm NAME] [--report FILE] [--html FILE] [--json]\n";
        stream.flush();
        return subcommand.isEmpty() ? ExitBadInput : ExitOk;
    }
    return context.fail(Error::usage(
        QStringLiteral("fleet: unknown subcommand '%1' (try: status, upgrade)").arg(subcommand)));
}

} // namespace dbops::cli
