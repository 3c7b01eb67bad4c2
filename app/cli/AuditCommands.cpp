// audit and snapshot: does a database have the schema its migrations build?
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "catalog/AuditReportFormatter.h"
#include "catalog/CatalogReader.h"
#include "catalog/CorrectiveSql.h"
#include "catalog/LocalShadowServer.h"
#include "catalog/SchemaAudit.h"
#include "catalog/SchemaDiff.h"
#include "catalog/ShadowDatabase.h"
#include "catalog/ShadowReplay.h"
#include "connection/DatabaseConnection.h"
#include "database/VersionTable.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <chrono>
#include <future>

namespace dbops::cli {

namespace {

/// From this size on, head.json parses while the catalog is read (a second
/// thread pays off from a few hundred tables; 2,000 tables are 10 MB).
constexpr qsizetype kParseAheadBytes = 256 * 1024;

QCommandLineOption shadowOption()
{
    return QCommandLineOption(QStringLiteral("shadow"),
        QStringLiteral(
            "Server for the throwaway replay database (needs CREATEDB). Default: the profile's shadow URL, "
            "else the target database's server; for a read-only profile, a throwaway local server dbops "
            "starts (never the target's)."),
        QStringLiteral("URL"));
}

QCommandLineOption schemaOption(const QString& defaultText)
{
    return QCommandLineOption(QStringLiteral("schema"),
        QStringLiteral("Schema to read; repeat for several (default: %1).").arg(defaultText),
        QStringLiteral("NAME"));
}

/// Where replays run: --shadow URL, else the profile's shadowUrl, else the
/// target database's own server (its settings with dbname=postgres), or for a
/// read-only profile a throwaway local server.  `targetServerVersion` (0:
/// unknown) picks that server's major when installed.
Result<SchemaAudit::ShadowServer> shadowServer(
    CliContext& context, const QString& shadowUrl, int targetServerVersion = 0)
{
    Result<ConnectionTarget> target = context.target();
    if (!target)
        return target.error();
    Result<SchemaAudit::ShadowServer> server
        = SchemaAudit::shadowServer(*target, shadowUrl, targetServerVersion);
    if (server && server->local) {
        context.err() << "Profile '" << target->profile->name
                      << "' is read-only: replaying the migrations on " << server->describe() << "."
                      << Qt::endl;
        const int targetMajor = targetServerVersion / 10000;
        if (targetMajor > 0 && targetMajor != server->local->majorVersion())
            context.err() << "Note: the target server runs PostgreSQL " << targetMajor
                          << "; some definitions print differently across versions (give --shadow URL for "
                             "a server of that version)."
                          << Qt::endl;
    }
    return server;
}

QString versionTableOf(CliContext& context)
{
    Result<ConnectionTarget> target = context.target();
    return target ? target->versionTable : QStringLiteral("alembic_version");
}

/// Opens `path` for writing all or nothing (a half-written snapshot or
/// report must never be left behind), or plainly when it is a device or a
/// pipe (/dev/null, /dev/stdout): QSaveFile would replace it with a file.
Result<std::unique_ptr<QIODevice>> openOutput(const QString& path)
{
    const QFileInfo info(path);
    if (info.exists() && !info.isFile() && !info.isDir()) {
        auto file = std::make_unique<QFile>(path);
        if (!file->open(QIODevice::WriteOnly))
            return Error::io(QStringLiteral("cannot write: %1").arg(file->errorString()), path);
        return std::unique_ptr<QIODevice>(std::move(file));
    }
    if (!QDir().mkpath(info.absolutePath()))
        return Error::io(QStringLiteral("cannot create the folder"), info.absolutePath());
    auto file = std::make_unique<QSaveFile>(path);
    if (!file->open(QIODevice::WriteOnly))
        return Error::io(QStringLiteral("cannot write: %1").arg(file->errorString()), path);
    return std::unique_ptr<QIODevice>(std::move(file));
}

/// Completes what openOutput began: the file takes its place now.
std::optional<Error> commitOutput(QIODevice& device, const QString& path, bool written)
{
    auto* saveFile = qobject_cast<QSaveFile*>(&device);
    if (!written || (saveFile && !saveFile->commit())) {
        if (saveFile)
            saveFile->cancelWriting();
        return Error::io(QStringLiteral("cannot write: %1").arg(device.errorString()), path);
    }
    return std::nullopt;
}

std::optional<Error> writeFile(const QString& path, const QByteArray& content)
{
    Result<std::unique_ptr<QIODevice>> file = openOutput(path);
    if (!file)
        return file.error();
    QIODevice& device = *file.value();
    return commitOutput(device, path, device.write(content) == content.size());
}

QString revisionsText(const QStringList& revisions)
{
    return revisions.isEmpty() ? QStringLiteral("base") : revisions.join(QStringLiteral(", "));
}

QString qualifiedItemName(const AuditItem& item)
{
    QString name = item.schema + QLatin1Char('.');
    const bool owner = item.objectKind == AuditItem::Kind::Table || item.objectKind == AuditItem::Kind::View;
    if (!item.table.isEmpty() && !owner)
        name += item.table + QLatin1Char('.');
    return AuditItem::kindName(item.objectKind) + QLatin1Char(' ') + name + item.name;
}

/// Why a committed snapshot is stale, object by object.
void printStaleness(
    QTextStream& out, const QString& path, const CatalogSnapshot& committed, const CatalogSnapshot& fresh)
{
    out << path << " is stale: a fresh replay of the migrations differs.\n";
    if (committed.revisions != fresh.revisions)
        out << "  revisions: file " << revisionsText(committed.revisions) << ", replay "
            << revisionsText(fresh.revisions) << '\n';
    if (committed.schemas != fresh.schemas)
        out << "  schemas: file " << committed.schemas.join(QStringLiteral(", ")) << ", replay "
            << fresh.schemas.join(QStringLiteral(", ")) << '\n';
    const AuditReport report = SchemaDiff::compare(fresh, committed);
    for (const AuditItem& item : report.items) {
        switch (item.status) {
        case AuditItem::Status::Exists:
            break;
        case AuditItem::Status::Missing:
            out << "  not in the file:  " << qualifiedItemName(item) << "  " << item.expected << '\n';
            break;
        case AuditItem::Status::Extra:
            out << "  only in the file: " << qualifiedItemName(item) << "  " << item.actual << '\n';
            break;
        case AuditItem::Status::Differs:
            out << "  differs:          " << qualifiedItemName(item) << "\n      file:   " << item.actual
                << "\n      replay: " << item.expected << '\n';
            break;
        }
    }
    out << "Run 'dbops snapshot' and commit " << QFileInfo(path).fileName() << ".\n";
}

QStringList schemasOr(const QStringList& given, const QStringList& fallback)
{
    return given.isEmpty() ? fallback : given;
}

} // namespace

int runSnapshot(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Replay every migration on a throwaway database and write the schema they build to\n"
                       "<migrations>/schema/head.json, the expected side of 'dbops audit'.\n"
                       "--check compares the committed file with a fresh replay instead: exit 0 when "
                       "current, 1 when stale."));
    const QCommandLineOption check(QStringLiteral("check"),
        QStringLiteral("Do not write: exit 1 (and say what differs) when the file is stale or missing."));
    const QCommandLineOption shadow = shadowOption();
    const QCommandLineOption schema = schemaOption(QStringLiteral("the file's schemas, else public"));
    const QCommandLineOption output(QStringLiteral("output"),
        QStringLiteral("The snapshot file (default: <migrations>/schema/head.json)."),
        QStringLiteral("FILE"));
    parser.addOptions({ check, shadow, schema, output });
    if (auto code = context.parse(parser, arguments, QStringLiteral("snapshot")))
        return *code;
    if (!parser.positionalArguments().isEmpty())
        return context.fail(Error::usage(QStringLiteral("snapshot takes no arguments")));

    const MigrationRepository* repository = context.repositoryWithSql();
    if (!repository)
        return ExitBadInput;
    const QString path
        = parser.isSet(output) ? parser.value(output) : SchemaAudit::headSnapshotPath(*repository);

    std::optional<CatalogSnapshot> committed;
    if (parser.isSet(check)) {
        if (!QFileInfo::exists(path)) {
            context.out() << path << " does not exist: run 'dbops snapshot' and commit it." << Qt::endl;
            return ExitCheckFailed;
        }
        Result<CatalogSnapshot> read = CatalogSnapshot::readFile(path);
        if (!read)
            return context.fail(read.error());
        committed = std::move(read).value();
    }

    Result<SchemaAudit::ShadowServer> server = shadowServer(context, parser.value(shadow));
    if (!server)
        return context.fail(server.error());
    ShadowReplay::Options options;
    options.versionTable = versionTableOf(context);
    options.schemas = schemasOr(
        parser.values(schema), committed ? committed->schemas : QStringList { QStringLiteral("public") });
    Result<CatalogSnapshot> fresh
        = ShadowReplay::snapshotAt(server->settings, repository->graph(), QStringLiteral("heads"), options);
    if (!fresh)
        return context.fail(fresh.error());

    if (committed) {
        if (committed->toJsonText() == fresh->toJsonText()) {
            context.out() << path << " is up to date (" << revisionsText(fresh->revisions) << ")."
                          << Qt::endl;
            return ExitOk;
        }
        printStaleness(context.out(), path, *committed, *fresh);
        context.out().flush();
        return ExitCheckFailed;
    }

    if (std::optional<Error> failed = writeFile(path, fresh->toJsonText()))
        return context.fail(*failed);
    context.out() << "Wrote " << path << ": " << fresh->tables.size() << " tables, " << fresh->enums.size()
                  << " enums, " << fresh->views.size() << " views, " << fresh->sequences.size()
                  << " sequences at " << revisionsText(fresh->revisions) << " (replayed on "
                  << server->describe() << ")." << Qt::endl;
    return ExitOk;
}

int runAudit(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Compare the database's schema with what the migrations build: every table, column, "
                       "index, constraint,\n"
                       "enum, view and sequence is EXISTS, MISSING, EXTRA or DIFFERS.  Expected: "
                       "<migrations>/schema/head.json,\n"
                       "or with --target REV a replay up to REV on a throwaway database.\n"
                       "Exit 0 when nothing is MISSING or DIFFERS (EXTRA alone is fine), 1 otherwise."));
    const QCommandLineOption target(QStringLiteral("target"),
        QStringLiteral("Compare with the schema at REV, replayed on the shadow server (default: head, from "
                       "schema/head.json)."),
        QStringLiteral("REV"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Same as --format json."));
    const QCommandLineOption sql(QStringLiteral("sql"), QStringLiteral("Same as --format sql."));
    const QCommandLineOption onlyProblems(QStringLiteral("only-problems"),
        QStringLiteral("Leave out what EXISTS as expected (totals still count everything)."));
    const QCommandLineOption format(QStringLiteral("format"),
        QStringLiteral(
            "text (default), json, html or sql (the corrective SQL that would make the database "
            "as expected: CREATE for MISSING, ALTER for DIFFERS, DROP for EXTRA; printed, never run)."),
        QStringLiteral("FORMAT"), QStringLiteral("text"));
    const QCommandLineOption output(QStringLiteral("output"),
        QStringLiteral("Write the report to FILE instead of standard output."), QStringLiteral("FILE"));
    const QCommandLineOption shadow = shadowOption();
    const QCommandLineOption schema
        = schemaOption(QStringLiteral("public; only with --target, as head.json names its own"));
    parser.addOptions({ target, json, sql, onlyProblems, format, output, shadow, schema });
    if (auto code = context.parse(parser, arguments, QStringLiteral("audit")))
        return *code;
    if (!parser.positionalArguments().isEmpty())
        return context.fail(
            Error::usage(QStringLiteral("audit takes no arguments (did you mean --target REV?)")));

    QString formatName = parser.value(format);
    if (parser.isSet(json)) {
        if (parser.isSet(format) && formatName != QLatin1String("json"))
            return context.fail(
                Error::usage(QStringLiteral("--json and --format %1 contradict each other").arg(formatName)));
        formatName = QStringLiteral("json");
    }
    if (parser.isSet(sql)) {
        if (parser.isSet(json) || (parser.isSet(format) && formatName != QLatin1String("sql")))
            return context.fail(
                Error::usage(QStringLiteral("--sql and --json/--format contradict each other")));
        formatName = QStringLiteral("sql");
    }
    if (formatName != QLatin1String("text") && formatName != QLatin1String("json")
        && formatName != QLatin1String("html") && formatName != QLatin1String("sql"))
        return context.fail(Error::usage(
            QStringLiteral("--format must be text, json, html or sql, not '%1'").arg(formatName)));

    if (parser.isSet(schema) && !parser.isSet(target))
        return context.fail(Error::usage(QStringLiteral(
            "--schema goes with --target: schema/head.json names the schemas it was taken of")));

    const MigrationRepository* repository
        = parser.isSet(target) ? context.repositoryWithSql() : context.repository();
    if (!repository)
        return ExitBadInput;
    const RevisionGraph& graph = repository->graph();

    // Bad input first, before any connection: the revision, or the committed snapshot.
    AuditSubject subject;
    std::optional<CatalogSnapshot> expected;
    // A large head.json parses on a second thread while the catalog is read,
    // with the schemas its first lines name (checked against the whole file).
    std::future<Result<CatalogSnapshot>> parsing;
    QStringList schemasAhead;
    if (parser.isSet(target)) {
        Result<QStringList> revisions = graph.resolve(parser.value(target));
        if (!revisions)
            return context.fail(revisions.error());
    } else {
        const QString path = SchemaAudit::headSnapshotPath(*repository);
        if (!QFileInfo::exists(path))
            return context.fail(Error::input(QStringLiteral(
                "no expected schema: %1 is missing (run 'dbops snapshot', or audit with --target REV)")
                                                 .arg(path)));
        // Large files are mapped and parsed on a second thread while the
        // catalog is read, with the schemas their first lines name.
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.size() >= kParseAheadBytes)
            schemasAhead = CatalogSnapshot::schemasAhead(file.peek(4096));
        file.close();
        if (schemasAhead.isEmpty()) {
            Result<CatalogSnapshot> read = CatalogSnapshot::readFile(path);
            if (!read)
                return context.fail(read.error());
            expected = std::move(read).value();
        } else {
            parsing = std::async(std::launch::async, [path] { return CatalogSnapshot::readFile(path); });
        }
        subject.expectedSource = QDir::cleanPath(path);
    }

    ConnectionTarget connectionTarget;
    Result<std::unique_ptr<DatabaseConnection>> connection = connectTo(context, &connectionTarget);
    std::optional<Result<CatalogSnapshot>> actualAhead;
    if (parsing.valid()) {
        // What the database has as head.json says shares head.json's lists,
        // once parsed: 20,000 tables are not held twice.
        std::shared_future<Result<CatalogSnapshot>> parsed = parsing.share();
        auto expectedOnceParsed = [parsed]() -> const CatalogSnapshot* {
            if (parsed.wait_for(std::chrono::seconds(0)) != std::future_status::ready || !parsed.get())
                return nullptr;
            return &parsed.get().value();
        };
        if (connection)
            actualAhead = SchemaAudit::readActual(
                *connection.value(), schemasAhead, connectionTarget.versionTable, expectedOnceParsed);
        if (!parsed.get()) // still bad input first
            return context.fail(parsed.get().error());
        expected = parsed.get().value();
        if (expected->schemas != schemasAhead)
            actualAhead.reset(); // a file in another layout: read the schemas it does name
    }
    if (!connection)
        return context.fail(connection.error());

    if (!expected) {
        Result<SchemaAudit::ShadowServer> server
            = shadowServer(context, parser.value(shadow), connection.value()->serverInfo().versionNumber);
        if (!server)
            return context.fail(server.error());
        ShadowReplay::Options options;
        options.versionTable = connectionTarget.versionTable;
        options.schemas = schemasOr(parser.values(schema), { QStringLiteral("public") });
        Result<CatalogSnapshot> replayed
            = ShadowReplay::snapshotAt(server->settings, graph, parser.value(target), options);
        if (!replayed)
            return context.fail(replayed.error());
        expected = std::move(replayed).value();
        subject.expectedSource = QStringLiteral("the migrations replayed to %1 on %2")
                                     .arg(parser.value(target), server->describe());
    }
    subject.expectedRevisions = expected->revisions;

    Result<CatalogSnapshot> actual = actualAhead
        ? std::move(*actualAhead)
        : SchemaAudit::readActual(*connection.value(), expected->schemas, connectionTarget.versionTable,
            [&expected] { return &*expected; });
    if (!actual)
        return context.fail(actual.error());
    subject.database = connectionTarget.describe();
    if (Result<VersionState> state = VersionTable::read(*connection.value(), connectionTarget.versionTable)) {
        subject.versionTableExists = state->tableExists;
        subject.databaseRevisions = state->revisions;
    }

    const bool problemsOnly = parser.isSet(onlyProblems);
    std::unique_ptr<QIODevice> device;
    if (parser.isSet(output)) {
        Result<std::unique_ptr<QIODevice>> opened = openOutput(parser.value(output));
        if (!opened)
            return context.fail(opened.error());
        device = std::move(opened).value();
    } else {
        context.out().flush();
        auto standardOutput = std::make_unique<QFile>();
        if (!standardOutput->open(stdout, QIODevice::WriteOnly))
            return context.fail(Error::io(QStringLiteral("cannot write to standard output"), {}));
        device = std::move(standardOutput);
    }
    AuditTotals totals;
    bool written = true;
    if (formatName == QLatin1String("sql")) {
        // The same renderer as the console's schema diff (CorrectiveSql).
        const AuditReport report = SchemaDiff::compare(*expected, *actual);
        const QByteArray text = CorrectiveSql::forItems(report.items).toUtf8();
        written = device->write(text) == text.size();
        totals = report.totals();
    } else if (formatName == QLatin1String("html")) {
        // The page opens with the verdict and the totals: written from the whole report.
        const AuditReport report = SchemaDiff::compare(*expected, *actual);
        const QByteArray page = AuditReportFormatter::html(report, subject, problemsOnly).toUtf8();
        written = device->write(page) == page.size();
        totals = report.totals();
    } else {
        // Written owner by owner while compared: the report is never held whole.
        AuditReportStream stream(*device,
            formatName == QLatin1String("json") ? AuditReportStream::Format::Json
                                                : AuditReportStream::Format::Text,
            subject, problemsOnly);
        SchemaDiff::compareByOwner(
            *expected, *actual, [&stream](QList<AuditItem>& items) { stream.addGroup(items); });
        written = stream.finish();
        totals = stream.totals();
    }

    if (parser.isSet(output)) {
        if (std::optional<Error> failed = commitOutput(*device, parser.value(output), written))
            return context.fail(*failed);
        context.out() << "Wrote " << parser.value(output) << ". Totals: " << totals.text() << '\n'
                      << (totals.hasProblems()
                                 ? "FAILED: the database lacks or differs from the expected schema"
                                 : "OK: the database has every object the migrations create")
                      << Qt::endl;
    } else {
        device->close();
    }
    return totals.hasProblems() ? ExitCheckFailed : ExitOk;
}

} // namespace dbops::cli
