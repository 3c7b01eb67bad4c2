// dbops lint: the lint rules (app/core/lint) on SQL files or on the
// repository's migrations, offline.  Text, JSON or SARIF; exit 1 when a
// finding is at error severity, 2 on bad input.
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "connection/DatabaseConnection.h"
#include "lint/LintConfig.h"
#include "lint/LintRules.h"
#include "lint/Linter.h"
#include "lint/LiveLockImpact.h"
#include "lint/LockRequests.h"
#include "lint/LockTable.h"
#include "render/SqlScriptRenderer.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

namespace dbops::cli {

namespace {

QJsonObject findingJson(const LintFinding& f)
{
    return QJsonObject { { QStringLiteral("file"), f.file }, { QStringLiteral("line"), f.line },
        { QStringLiteral("column"), f.column }, { QStringLiteral("rule"), f.rule },
        { QStringLiteral("severity"), lintSeverityName(f.severity) },
        { QStringLiteral("message"), f.message }, { QStringLiteral("suggestion"), f.suggestion },
        { QStringLiteral("statement"), f.statement } };
}

// SARIF 2.1.0, the shape code-scanning services read.
QJsonObject sarif(const LintFindingList& findings, const LintConfig& config)
{
    QJsonArray rules;
    for (const LintRule& rule : LintRules::all()) {
        rules.append(QJsonObject { { QStringLiteral("id"), rule.id },
            { QStringLiteral("shortDescription"), QJsonObject { { QStringLiteral("text"), rule.summary } } },
            { QStringLiteral("defaultConfiguration"),
                QJsonObject { { QStringLiteral("level"),
                    config.severity(rule.id) == LintSeverity::Error     ? QStringLiteral("error")
                        : config.severity(rule.id) == LintSeverity::Off ? QStringLiteral("none")
                                                                        : QStringLiteral("warning") } } } });
    }
    QJsonArray results;
    for (const LintFinding& f : findings) {
        QString text = f.message;
        if (!f.suggestion.isEmpty())
            text += QStringLiteral(". Safe form: ") + f.suggestion;
        results.append(QJsonObject { { QStringLiteral("ruleId"), f.rule },
            { QStringLiteral("level"),
                f.severity == LintSeverity::Error ? QStringLiteral("error") : QStringLiteral("warning") },
            { QStringLiteral("message"), QJsonObject { { QStringLiteral("text"), text } } },
            { QStringLiteral("locations"),
                QJsonArray { QJsonObject { { QStringLiteral("physicalLocation"),
                    QJsonObject {
                        { QStringLiteral("artifactLocation"),
                            QJsonObject { { QStringLiteral("uri"), QDir::fromNativeSeparators(f.file) } } },
                        { QStringLiteral("region"),
                            QJsonObject { { QStringLiteral("startLine"), f.line },
                                { QStringLiteral("startColumn"), f.column } } } } } } } } });
    }
    return QJsonObject { { QStringLiteral("$schema"),
                             QStringLiteral("https://json.schemastore.org/sarif-2.1.0.json") },
        { QStringLiteral("version"), QStringLiteral("2.1.0") },
        { QStringLiteral("runs"),
            QJsonArray {
                QJsonObject { { QStringLiteral("tool"),
                                  QJsonObject { { QStringLiteral("driver"),
                                      QJsonObject { { QStringLiteral("name"), QStringLiteral("dbops") },
                                          { QStringLiteral("version"), QStringLiteral(DBOPS_VERSION) },
                                          { QStringLiteral("rules"), rules } } } } },
                    { QStringLiteral("results"), results } } } } };
}

/// Adds `more` to `requests`, one entry per relation.
void merge(QList<RelationLockRequest>& requests, const QList<RelationLockRequest>& more)
{
    for (const RelationLockRequest& request : more) {
        auto it = std::find_if(requests.begin(), requests.end(),
            [&](const RelationLockRequest& r) { return r.relation == request.relation; });
        if (it == requests.end()) {
            requests.append(request);
            continue;
        }
        it->strongest = std::max(it->strongest, request.strongest);
        for (LockMode mode : request.modes) {
            if (!it->modes.contains(mode))
                it->modes.append(mode);
        }
        it->rewrites = it->rewrites || request.rewrites;
        it->scans = it->scans || request.scans;
        it->statements += request.statements;
    }
}

void printImpact(QTextStream& out, const LockImpactReport& report, const QString& where)
{
    out << "\nLive impact on " << where;
    if (report.bytesPerSecond > 0)
        out << " (estimates at " << LiveLockImpact::bytesText(static_cast<qint64>(report.bytesPerSecond))
            << "/s, " << (report.throughputCached ? "measured earlier" : "measured now") << ")";
    out << ":\n";
    if (report.relations.isEmpty())
        out << "  none of the relations it locks exists there\n";
    for (const RelationImpact& r : report.relations) {
        QString what = lockModeName(r.request.strongest);
        if (r.request.rewrites)
            what += QStringLiteral(", rewrites");
        else if (r.request.scans)
            what += QStringLiteral(", scans");
        out << "  " << r.name << ": " << what << "; " << LiveLockImpact::bytesText(r.totalBytes) << ", "
            << (r.rows < 0 ? QStringLiteral("rows unknown (never analyzed)")
                           : QStringLiteral("about %1 rows").arg(r.rows))
            << ", " << r.indexes.size() << " index(es)" << Qt::endl;
        if (!r.indexes.isEmpty())
            out << "    indexes: " << r.indexes.join(QStringLiteral(", ")) << '\n';
        if (r.estimatedSeconds >= 0)
            out << "    estimated " << (r.request.rewrites ? "rewrite" : "scan") << ": "
                << LiveLockImpact::durationText(r.estimatedSeconds) << " (an estimate)\n";
        if (r.oldestTransactionPid > 0)
            out << "    oldest open transaction: pid " << r.oldestTransactionPid << ", "
                << LiveLockImpact::durationText(r.oldestTransactionSeconds).remove(QStringLiteral("about "))
                << '\n';
        for (const LockSession& session : r.sessions)
            out << "    " << (session.blocks ? "blocked by " : "also locked by ") << session.describe()
                << '\n';
    }
    for (const LockSession& dump : report.dumps)
        out << "  pg_dump running: " << dump.describe() << '\n';
    out.flush();
}

} // namespace

int runLint(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lint SQL for locks, rewrites and breaking changes (offline; rules and severities in docs/lint.md).\n"
        "  dbops lint migrations/versions/0042_x.sql other.sql\n"
        "  dbops lint --from 19c513d3bf90 --to head\n"
        "  dbops lint                      (every revision of the repository)\n"
        "With -d URL or -p PROFILE, also the live impact there: size, rows, indexes, the sessions\n"
        "holding or waiting for conflicting locks, the estimated time of a rewrite or scan."));
    parser.addPositionalArgument(
        QStringLiteral("files"), QStringLiteral("SQL files to lint."), QStringLiteral("[FILE.sql...]"));
    const QCommandLineOption from(QStringLiteral("from"),
        QStringLiteral("Lint the revisions after REV (default: base)."), QStringLiteral("REV"));
    const QCommandLineOption to(
        QStringLiteral("to"), QStringLiteral("... up to REV (default: heads)."), QStringLiteral("REV"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption sarifOption(QStringLiteral("sarif"), QStringLiteral("Print SARIF 2.1.0."));
    const QCommandLineOption config(QStringLiteral("config"),
        QStringLiteral("Severities file (default: lint.conf of the repository)."), QStringLiteral("FILE"));
    const QCommandLineOption rulesOption(
        QStringLiteral("rules"), QStringLiteral("List the rules and their severities."));
    const QCommandLineOption locksOption(QStringLiteral("locks"), QStringLiteral("Print the lock table."));
    parser.addOptions({ from, to, json, sarifOption, config, rulesOption, locksOption });
    if (auto code = context.parse(parser, arguments, QStringLiteral("lint")))
        return *code;
    if (parser.isSet(json) && parser.isSet(sarifOption))
        return context.fail(Error::usage(QStringLiteral("give --json or --sarif, not both")));
    const QStringList files = parser.positionalArguments();
    const bool range = parser.isSet(from) || parser.isSet(to);
    if (!files.isEmpty() && range)
        return context.fail(Error::usage(QStringLiteral("give FILE.sql ... or --from/--to, not both")));

    // Severities: --config, else the repository's lint.conf (when linting it
    // or when --migrations names it), else the defaults.
    Result<LintConfig> lintConfig = LintConfig();
    if (parser.isSet(config)) {
        QFile file(parser.value(config));
        if (!file.open(QIODevice::ReadOnly))
            return context.fail(Error::input(QStringLiteral("cannot read %1").arg(parser.value(config))));
        lintConfig = LintConfig::parse(QString::fromUtf8(file.readAll()), parser.value(config));
    } else if (files.isEmpty() || !context.migrationsDirectory.isEmpty()) {
        lintConfig = LintConfig::forRepository(context.migrationsDirectory.isEmpty()
                ? MigrationRepository::defaultDirectory()
                : context.migrationsDirectory);
    }
    if (!lintConfig)
        return context.fail(lintConfig.error());

    if (parser.isSet(rulesOption)) {
        for (const LintRule& rule : LintRules::all())
            context.out() << rule.id << '\t' << lintSeverityName(lintConfig->severity(rule.id)) << '\t'
                          << rule.summary << Qt::endl;
        return ExitOk;
    }
    if (parser.isSet(locksOption)) {
        for (const LockTableRow& row : LockTable::instance().rows())
            context.out() << row.statement << '\t' << lockModeName(row.lock)
                          << (row.otherLock != LockMode::None
                                     ? QStringLiteral(" / ") + lockModeName(row.otherLock)
                                     : QString())
                          << "\trewrites: " << row.rewrites << "\tscans: " << row.scans << '\t' << row.doc
                          << Qt::endl;
        return ExitOk;
    }

    // Connected (-d / -p given here, not only in the environment): the live figures too.
    const bool live = !context.databaseUrl.isEmpty() || !context.profileName.isEmpty();
    QList<RelationLockRequest> lockRequests;
    LintFindingList findings;
    if (!files.isEmpty()) {
        for (const QString& file : files) {
            Linter linter(*lintConfig);
            Result<LintFindingList> found = linter.lintFile(file);
            if (!found)
                return context.fail(found.error());
            findings += *found;
            if (live) {
                Result<QList<RelationLockRequest>> requests = LockRequests::fromFile(file);
                if (!requests)
                    return context.fail(requests.error());
                merge(lockRequests, *requests);
            }
        }
    } else {
        const MigrationRepository* repository = context.repositoryWithSql();
        if (!repository)
            return ExitBadInput;
        findings = Linter::lintRepository(repository->graph(), *lintConfig);
        if (range) {
            // Read everything (the model needs what earlier revisions made), report the range.
            const RevisionGraph& graph = repository->graph();
            QStringList heads;
            const QString fromSpec = parser.value(from);
            if (!fromSpec.isEmpty() && fromSpec != QLatin1String("base")) {
                Result<QStringList> resolved = graph.resolve(fromSpec);
                if (!resolved)
                    return context.fail(resolved.error());
                heads = *resolved;
            }
            Result<MigrationPlan> plan
                = graph.upgradePlan(heads, parser.isSet(to) ? parser.value(to) : QStringLiteral("heads"));
            if (!plan)
                return context.fail(plan.error());
            QSet<QString> inRange;
            for (const MigrationStep& step : plan->steps)
                inRange.insert(graph.revision(step.revision).filePath);
            LintFindingList kept;
            for (const LintFinding& f : std::as_const(findings)) {
                if (inRange.contains(f.file))
                    kept.append(f);
            }
            findings = kept;
            if (live)
                lockRequests = LockRequests::fromScript(SqlScriptRenderer::render(*plan, graph));
        } else if (live) {
            const RevisionGraph& graph = repository->graph();
            Result<MigrationPlan> plan = graph.upgradePlan({}, QStringLiteral("heads"));
            if (plan)
                lockRequests = LockRequests::fromScript(SqlScriptRenderer::render(*plan, graph));
        }
    }

    std::optional<LockImpactReport> impact;
    QString where;
    if (live) {
        Result<ConnectionTarget> target = context.target();
        if (!target)
            return context.fail(target.error());
        Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(target->settings);
        if (!connection)
            return context.fail(connection.error());
        Result<LockImpactReport> report = LiveLockImpact::read(*connection.value(), lockRequests);
        if (!report)
            return context.fail(report.error());
        impact = report.value();
        where = target->describe();
    }

    int errors = 0;
    for (const LintFinding& f : std::as_const(findings))
        errors += f.severity == LintSeverity::Error ? 1 : 0;
    const int warnings = static_cast<int>(findings.size()) - errors;
    if (parser.isSet(sarifOption)) {
        context.printJson(sarif(findings, *lintConfig));
    } else if (parser.isSet(json)) {
        QJsonArray list;
        for (const LintFinding& f : std::as_const(findings))
            list.append(findingJson(f));
        QJsonObject result { { QStringLiteral("findings"), list }, { QStringLiteral("errors"), errors },
            { QStringLiteral("warnings"), warnings } };
        if (impact)
            result.insert(QStringLiteral("live"), impact->toJson());
        context.printJson(result);
    } else {
        for (const LintFinding& f : std::as_const(findings)) {
            context.out() << f.toText() << Qt::endl;
            if (!f.suggestion.isEmpty())
                context.out() << "  safe form: " << f.suggestion << Qt::endl;
        }
        if (impact)
            printImpact(context.out(), *impact, where);
        context.err() << errors << " error(s), " << warnings << " warning(s)" << Qt::endl;
    }
    return errors > 0 ? ExitCheckFailed : ExitOk;
}

} // namespace dbops::cli
