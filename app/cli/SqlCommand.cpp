// `dbops sql upgrade|downgrade`: the offline script, in Alembic's --sql format.
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "migrations/MigrationValidator.h"
#include "migrations/RevisionJson.h"
#include "render/SqlScriptRenderer.h"

namespace dbops::cli {

namespace {

// "--from a --from b" and "--from a,b" both name several current heads.
Result<QStringList> resolveHeads(const RevisionGraph& graph, const QStringList& specifiers)
{
    QStringList heads;
    for (const QString& value : specifiers) {
        const QStringList parts = value.split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString& part : parts) {
            Result<QStringList> ids = graph.resolve(part.trimmed());
            if (!ids)
                return ids.error();
            for (const QString& id : *ids) {
                if (!heads.contains(id))
                    heads.append(id);
            }
        }
    }
    return heads;
}

} // namespace

int runSql(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Print the SQL of an upgrade or downgrade plan without "
                                                    "touching a database (like 'alembic upgrade --sql').\n"
                                                    "Examples:\n"
                                                    "  dbops sql upgrade --from 19c513d3bf90 --to head\n"
                                                    "  dbops sql upgrade 19c513d3bf90:head\n"
                                                    "  dbops sql downgrade --from head --to base"));
    parser.addPositionalArgument(QStringLiteral("direction"), QStringLiteral("upgrade or downgrade"));
    parser.addPositionalArgument(QStringLiteral("range"),
        QStringLiteral("Optional FROM:TO, as Alembic takes it."), QStringLiteral("[FROM:TO]"));
    const QCommandLineOption from(QStringLiteral("from"),
        QStringLiteral(
            "Current revision(s); repeat or comma-separate for several heads (upgrade default: base, "
            "downgrade default: heads)."),
        QStringLiteral("REV"));
    const QCommandLineOption to(QStringLiteral("to"),
        QStringLiteral("Target revision (upgrade default: head; downgrade: required)."),
        QStringLiteral("REV"));
    const QCommandLineOption transaction(QStringLiteral("transaction"),
        QStringLiteral("'all' (one transaction, default) or 'per-revision'."), QStringLiteral("MODE"),
        QStringLiteral("all"));
    const QCommandLineOption versionTable(QStringLiteral("version-table"),
        QStringLiteral("Version table (default alembic_version, or the Alembic project's)."),
        QStringLiteral("NAME"), QStringLiteral("alembic_version"));
    const QCommandLineOption planJson(
        QStringLiteral("plan-json"), QStringLiteral("Print the plan as JSON instead of SQL."));
    parser.addOptions({ from, to, transaction, versionTable, planJson });
    if (auto code = context.parse(parser, arguments, QStringLiteral("sql")))
        return *code;

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() || positional.size() > 2
        || (positional.constFirst() != QLatin1String("upgrade")
            && positional.constFirst() != QLatin1String("downgrade")))
        return context.fail(Error::usage(
            QStringLiteral("usage: dbops sql upgrade|downgrade [FROM:TO] [--from REV] [--to REV]")));
    const bool upgrade = positional.constFirst() == QLatin1String("upgrade");

    QStringList fromSpecs = parser.values(from);
    QString target = parser.value(to);
    if (positional.size() == 2) {
        const QString range = positional.at(1);
        const int colon = static_cast<int>(range.indexOf(QLatin1Char(':')));
        if (colon < 0) {
            target = range;
        } else {
            if (!fromSpecs.isEmpty() || !target.isEmpty())
                return context.fail(
                    Error::usage(QStringLiteral("give either FROM:TO or --from/--to, not both")));
            fromSpecs = QStringList { range.left(colon) };
            target = range.mid(colon + 1);
        }
    }
    if (fromSpecs.isEmpty())
        fromSpecs = QStringList { upgrade ? QStringLiteral("base") : QStringLiteral("heads") };
    if (target.isEmpty()) {
        if (!upgrade)
            return context.fail(Error::usage(
                QStringLiteral("sql downgrade needs --to REV (for example --to base or --to -1)")));
        target = QStringLiteral("head");
    }

    Result<TransactionMode> mode = SqlScriptRenderer::parseTransactionMode(parser.value(transaction));
    if (!mode)
        return context.fail(mode.error());
    if (!SqlScriptRenderer::isValidVersionTable(parser.value(versionTable)))
        return context.fail(
            Error::usage(QStringLiteral("bad --version-table '%1': use [schema.]name in lower case")
                             .arg(parser.value(versionTable))));

    const MigrationRepository* repository = context.repositoryWithSql();
    if (!repository)
        return ExitBadInput;
    const RevisionGraph& graph = repository->graph();
    Result<QStringList> current = resolveHeads(graph, fromSpecs);
    if (!current)
        return context.fail(current.error());
    Result<MigrationPlan> plan
        = upgrade ? graph.upgradePlan(*current, target) : graph.downgradePlan(*current, target);
    if (!plan)
        return context.fail(plan.error());

    // The plan alone prints no SQL, so it needs no statement checks.
    if (parser.isSet(planJson)) {
        context.printJson(RevisionJson::plan(*plan));
        return ExitOk;
    }

    // Nothing is printed unless every statement of the plan passes the parser.
    RevisionList planned;
    for (const MigrationStep& step : plan->steps)
        planned.append(graph.revision(step.revision));
    const ErrorList problems = MigrationValidator::validate(planned);
    if (!problems.isEmpty())
        return context.fail(problems);
    SqlScriptRenderer::Options options;
    options.transactionMode = *mode;
    options.versionTable
        = parser.isSet(versionTable) ? parser.value(versionTable) : context.defaultVersionTable();
    context.out() << SqlScriptRenderer::render(*plan, graph, options).text();
    context.out().flush();
    return ExitOk;
}

} // namespace dbops::cli
