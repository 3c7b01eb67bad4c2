// history, heads, show, check, new: commands that read (or add to) the
// migration repository and never touch a database.
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "checks/CheckRepository.h"
#include "lint/LintConfig.h"
#include "lint/Linter.h"
#include "migrations/MigrationFileParser.h"
#include "migrations/MigrationFileWriter.h"
#include "migrations/MigrationValidator.h"
#include "migrations/RevisionJson.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace dbops::cli {

QCommandLineOption jsonOption()
{
    return QCommandLineOption(QStringLiteral("json"), QStringLiteral("Print JSON (shape in docs/cli.md)."));
}

namespace {

QString formatDown(const Revision& r)
{
    return r.downRevisions.isEmpty() ? QStringLiteral("<base>") : r.downRevisions.join(QStringLiteral(", "));
}

// " (label, ...)": the labels of the revision's branch, as Alembic shows
// them on every revision of a branch, not only where they are declared.
QString labelsSuffix(const RevisionGraph& graph, const QString& id)
{
    const QStringList labels = graph.effectiveBranchLabels(id);
    return labels.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(labels.join(QStringLiteral(", ")));
}

// One line in the form `alembic history` prints.
QString historyLine(const RevisionGraph& graph, const QString& id)
{
    const Revision& r = graph.revision(id);
    // depends_on as written (a branch label stays a label), as Alembic prints it.
    QString text = r.dependsOn.isEmpty()
        ? QStringLiteral("%1 -> %2").arg(formatDown(r), id)
        : QStringLiteral("%1 (%2) -> %3").arg(formatDown(r), r.dependsOn.join(QStringLiteral(", ")), id);
    text += labelsSuffix(graph, id);
    if (graph.isHead(id))
        text += graph.dependents(id).isEmpty() ? QStringLiteral(" (head)")
                                               : QStringLiteral(" (effective head)");
    if (graph.isBranchPoint(id))
        text += QStringLiteral(" (branchpoint)");
    if (graph.isMergePoint(id))
        text += QStringLiteral(" (mergepoint)");
    return text + QStringLiteral(", ") + r.message;
}

// The block `alembic history --verbose` prints.
QString verboseEntry(const RevisionGraph& graph, const QString& id)
{
    const Revision& r = graph.revision(id);
    QString entry = QStringLiteral("Rev: %1%2%3%4\n")
                        .arg(id, graph.isHead(id) ? QStringLiteral(" (head)") : QString(),
                            graph.isBranchPoint(id) ? QStringLiteral(" (branchpoint)") : QString(),
                            graph.isMergePoint(id) ? QStringLiteral(" (mergepoint)") : QString());
    entry += (r.isMerge() ? QStringLiteral("Merges: ") : QStringLiteral("Parent: ")) + formatDown(r)
        + QLatin1Char('\n');
    if (!r.dependsOn.isEmpty())
        entry += QStringLiteral("Also depends on: ") + r.dependsOn.join(QStringLiteral(", "))
            + QLatin1Char('\n');
    if (graph.isBranchPoint(id))
        entry += QStringLiteral("Branches into: ") + graph.children(id).join(QStringLiteral(", "))
            + QLatin1Char('\n');
    if (const QStringList labels = graph.effectiveBranchLabels(id); !labels.isEmpty())
        entry += QStringLiteral("Branch names: ") + labels.join(QStringLiteral(", ")) + QLatin1Char('\n');
    if (!r.createDate.isEmpty())
        entry += QStringLiteral("Create Date: ") + r.createDate + QLatin1Char('\n');
    if (!r.transactional)
        entry += QStringLiteral("Transactional: false\n");
    entry += QStringLiteral("Path: ") + r.filePath + QLatin1Char('\n');
    entry += QStringLiteral("\n    ") + r.message + QLatin1Char('\n');
    return entry;
}

} // namespace

int runHistory(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("List revisions, newest first (like 'alembic history')."));
    const QCommandLineOption verbose(
        { QStringLiteral("v"), QStringLiteral("verbose") }, QStringLiteral("Show full entries."));
    parser.addOptions({ verbose, jsonOption() });
    if (auto code = context.parse(parser, arguments, QStringLiteral("history")))
        return *code;
    const MigrationRepository* repository = context.repository();
    if (!repository)
        return ExitBadInput;
    const RevisionGraph& graph = repository->graph();
    const QStringList order = graph.historyOrder();
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray revisions;
        for (const QString& id : order)
            revisions.append(RevisionJson::revision(graph, id));
        context.printJson(QJsonObject { { QStringLiteral("revisions"), revisions } });
        return ExitOk;
    }
    for (const QString& id : order)
        context.out() << (parser.isSet(verbose) ? verboseEntry(graph, id) : historyLine(graph, id)) << '\n';
    context.out().flush();
    return ExitOk;
}

int runHeads(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the head revisions (like 'alembic heads')."));
    const QCommandLineOption verbose(
        { QStringLiteral("v"), QStringLiteral("verbose") }, QStringLiteral("Show full entries."));
    parser.addOptions({ verbose, jsonOption() });
    if (auto code = context.parse(parser, arguments, QStringLiteral("heads")))
        return *code;
    const MigrationRepository* repository = context.repository();
    if (!repository)
        return ExitBadInput;
    const RevisionGraph& graph = repository->graph();
    const QStringList heads = graph.heads();
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const QString& id : heads)
            list.append(RevisionJson::revision(graph, id));
        context.printJson(QJsonObject { { QStringLiteral("heads"), list } });
        return ExitOk;
    }
    for (const QString& id : heads) {
        if (parser.isSet(verbose)) {
            context.out() << verboseEntry(graph, id) << '\n';
            continue;
        }
        QString line = id + labelsSuffix(graph, id);
        line += graph.dependents(id).isEmpty() ? QStringLiteral(" (head)")
                                               : QStringLiteral(" (effective head)");
        context.out() << line << '\n';
    }
    context.out().flush();
    return ExitOk;
}

int runShow(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Show one or more revisions: id, unique prefix, head, label ..."));
    parser.addOption(jsonOption());
    parser.addPositionalArgument(QStringLiteral("REV"), QStringLiteral("Revision specifier."));
    if (auto code = context.parse(parser, arguments, QStringLiteral("show")))
        return *code;
    if (parser.positionalArguments().size() != 1)
        return context.fail(
            Error::usage(QStringLiteral("show takes one revision, for example 'dbops show head'")));
    const MigrationRepository* repository = context.repository();
    if (!repository)
        return ExitBadInput;
    const RevisionGraph& graph = repository->graph();
    Result<QStringList> ids = graph.resolve(parser.positionalArguments().constFirst());
    if (!ids)
        return context.fail(ids.error());
    if (ids->isEmpty())
        return context.fail(Error::input(QStringLiteral("'base' is not a revision")));
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const QString& id : *ids)
            list.append(RevisionJson::revision(graph, id));
        context.printJson(QJsonObject { { QStringLiteral("revisions"), list } });
        return ExitOk;
    }
    for (const QString& id : *ids)
        context.out() << verboseEntry(graph, id) << '\n';
    context.out().flush();
    return ExitOk;
}

int runCheck(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Validate the whole repository: file format, revision "
                                                    "graph, and every statement with PostgreSQL's parser."));
    parser.addOption(jsonOption());
    if (auto code = context.parse(parser, arguments, QStringLiteral("check")))
        return *code;
    const QString directory = !context.alembicProject.isEmpty() ? context.alembicProject
        : context.migrationsDirectory.isEmpty()                 ? MigrationRepository::defaultDirectory()
                                                                : context.migrationsDirectory;
    ErrorList errors;
    // load() splits a native repository's SQL with its headers, so every
    // file's problems are listed together; ensureSql() then gives an Alembic
    // project its SQL (a no-op for a native one).
    Result<MigrationRepository> repository = MigrationRepository::load(directory, &errors);
    Result<bool> withSql
        = repository ? repository.value().ensureSql(&errors) : Result<bool>(repository.error());
    if (withSql)
        errors = MigrationValidator::validate(repository->graph().revisions());
    else if (errors.isEmpty())
        errors.append(withSql.error());
    // The data checks and fixes are part of the repository: what `dbops
    // checks` would refuse (a side-effect function, a malformed file) is
    // found here too, before anyone runs them.
    if (repository && !repository->isAlembic()) {
        ErrorList checkErrors;
        Result<CheckRepository> checks = CheckRepository::load(repository->directory(), &checkErrors);
        if (!checks)
            errors.append(checkErrors.isEmpty() ? ErrorList { checks.error() } : checkErrors);
    }

    // The lint rules (docs/lint.md), offline: findings at error severity
    // (the repository's lint.conf decides which) fail the check with exit 1.
    LintFindingList lint;
    if (errors.isEmpty()) {
        const Result<LintConfig> lintConfig = LintConfig::forRepository(repository->directory());
        if (lintConfig)
            lint = Linter::lintRepository(repository->graph(), *lintConfig);
        else
            errors.append(lintConfig.error());
    }
    const bool lintFails = Linter::hasErrors(lint);

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray lintFindings;
        for (const LintFinding& f : std::as_const(lint)) {
            lintFindings.append(
                QJsonObject { { QStringLiteral("file"), f.file }, { QStringLiteral("line"), f.line },
                    { QStringLiteral("column"), f.column }, { QStringLiteral("rule"), f.rule },
                    { QStringLiteral("severity"), lintSeverityName(f.severity) },
                    { QStringLiteral("message"), f.message } });
        }
        QJsonArray problems;
        for (const Error& e : std::as_const(errors)) {
            problems.append(
                QJsonObject { { QStringLiteral("file"), e.file }, { QStringLiteral("line"), e.line },
                    { QStringLiteral("column"), e.column }, { QStringLiteral("message"), e.message } });
        }
        context.printJson(QJsonObject { { QStringLiteral("ok"), errors.isEmpty() },
            { QStringLiteral("revisions"), repository ? repository->graph().size() : 0 },
            { QStringLiteral("problems"), problems }, { QStringLiteral("lint"), lintFindings } });
        return !errors.isEmpty() ? ExitBadInput : lintFails ? ExitCheckFailed : ExitOk;
    }
    if (!errors.isEmpty()) {
        context.fail(errors);
        context.err() << errors.size() << " problem(s) found" << Qt::endl;
        return ExitBadInput;
    }
    int lintErrors = 0;
    for (const LintFinding& f : std::as_const(lint)) {
        if (f.severity == LintSeverity::Error) {
            context.err() << "dbops: error: " << f.toText() << Qt::endl;
            ++lintErrors;
        }
    }
    if (!lint.isEmpty())
        context.err() << "lint: " << lintErrors << " error(s), " << lint.size() - lintErrors
                      << " warning(s) (dbops lint lists them)" << Qt::endl;
    if (lintFails)
        return ExitCheckFailed;
    int statements = 0;
    for (const Revision& r : repository->graph().revisions())
        statements += static_cast<int>(r.upgrade.statements.size() + r.downgrade.statements.size());
    context.out() << "OK: " << repository->graph().size() << " revisions, " << statements << " statements, "
                  << repository->graph().heads().size() << " head(s)" << Qt::endl;
    return ExitOk;
}

int runNew(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Create a new migration file with a fresh revision id."));
    const QCommandLineOption message({ QStringLiteral("m"), QStringLiteral("message") },
        QStringLiteral("Message."), QStringLiteral("TEXT"));
    const QCommandLineOption head(QStringLiteral("head"),
        QStringLiteral("Parent revision (default: the single head; 'base' for a new base)."),
        QStringLiteral("REV"));
    const QCommandLineOption label(QStringLiteral("branch-label"),
        QStringLiteral("Branch label for the new revision."), QStringLiteral("LABEL"));
    const QCommandLineOption dependsOn(QStringLiteral("depends-on"),
        QStringLiteral("Revision or label it depends on."), QStringLiteral("REV"));
    parser.addOptions({ message, head, label, dependsOn });
    if (auto code = context.parse(parser, arguments, QStringLiteral("new")))
        return *code;
    if (parser.value(message).trimmed().isEmpty())
        return context.fail(
            Error::usage(QStringLiteral("new needs a message: dbops new -m \"add customer index\"")));
    const MigrationRepository* repository = context.repository();
    if (!repository)
        return ExitBadInput;
    if (repository->isAlembic())
        return context.fail(
            Error::usage(QStringLiteral("an Alembic project: create revisions with 'alembic revision'")));
    const RevisionGraph& graph = repository->graph();

    MigrationFileWriter::NewRevision revision;
    revision.message = parser.value(message).trimmed();
    revision.createDate = QDateTime::currentDateTime();
    revision.branchLabels = parser.values(label);
    revision.dependsOn = parser.values(dependsOn);
    do {
        revision.id = MigrationFileWriter::generateRevisionId();
    } while (graph.contains(revision.id));
    Result<QStringList> parent
        = graph.resolve(parser.isSet(head) ? parser.value(head) : QStringLiteral("head"));
    if (!parent)
        return context.fail(parent.error());
    revision.downRevisions = *parent;
    for (const QString& l : std::as_const(revision.branchLabels)) {
        if (!MigrationFileParser::isValidBranchLabel(l))
            return context.fail(Error::usage(QStringLiteral("bad branch label '%1'").arg(l)));
    }

    Result<QString> path
        = MigrationFileWriter::write(revision, repository->versionsDirectory(), graph.size() + 1);
    if (!path)
        return context.fail(path.error());
    context.out()
        << "Created " << revision.id << ": " << QDir::current().relativeFilePath(*path) << "\n"
        << "Write its upgrade and downgrade statements: until then the repository reports it as an empty "
           "upgrade section, so a draft can never run."
        << Qt::endl;
    return ExitOk;
}

} // namespace dbops::cli
