#include "rehearse/Rehearsal.h"

#include "catalog/LocalShadowServer.h"
#include "catalog/SchemaAudit.h"
#include "connection/DatabaseConnection.h"
#include "guarded/GuardedWrite.h"
#include "lint/LockModel.h"
#include "migrations/MigrationRepository.h"
#include "rehearse/DatabaseCopy.h"
#include "sql/SchemaChanges.h"
#include "sql/SqlParser.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <map>

namespace dbops {

namespace {

QJsonArray toArray(const QStringList& list)
{
    return QJsonArray::fromStringList(list);
}

QStringList fromArray(const QJsonValue& value)
{
    QStringList list;
    for (const QJsonValue& item : value.toArray())
        list.append(item.toString());
    return list;
}

// The locks and the objects a plan's upgrades request, per revision, from
// the lock model; in one transaction (All) a revision's objects made by an
// earlier revision are new to everyone else, hence exempt.
void describeRevisions(const MigrationPlan& plan, const RevisionGraph& graph, TransactionMode mode,
    QList<RehearsedRevision>& out)
{
    LockModel model;
    const bool oneTransaction = mode == TransactionMode::All;
    if (oneTransaction)
        model.beginTransaction();
    for (const MigrationStep& step : plan.steps) {
        const Revision& revision = graph.revision(step.revision);
        RehearsedRevision entry;
        entry.id = revision.id;
        entry.message = revision.message;
        entry.file = revision.filePath;
        entry.outcome = QStringLiteral("not run");
        const bool ownTransaction = !oneTransaction && revision.transactional;
        if (ownTransaction)
            model.beginTransaction();
        std::map<QString, LockMode> strongest;
        for (const SqlStatement& statement : revision.upgrade.statements) {
            for (const SchemaChange& change : SchemaChanges::of(statement.text)) {
                if (!change.createsObject())
                    continue;
                if (const QString text = change.describe(); !entry.created.contains(text))
                    entry.created.append(text);
            }
            if (statement.noParse)
                continue;
            const QJsonArray stmts = QJsonDocument::fromJson(SqlParser::parseTreeJson(statement.text))
                                         .object()
                                         .value(QLatin1String("stmts"))
                                         .toArray();
            for (const QJsonValue& stmt : stmts) {
                const QJsonObject node = stmt.toObject().value(QLatin1String("stmt")).toObject();
                for (const RelationEffect& effect : model.effects(node).relations) {
                    if (effect.lock == LockMode::None || effect.createdInTransaction)
                        continue;
                    LockMode& mode = strongest[effect.relation];
                    mode = std::max(mode, effect.lock);
                }
                model.apply(node);
            }
        }
        if (ownTransaction)
            model.endTransaction();
        std::vector<std::pair<QString, LockMode>> locks(strongest.begin(), strongest.end());
        std::stable_sort(
            locks.begin(), locks.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        for (const auto& [relation, lock] : locks)
            entry.locks.append(QStringLiteral("%1 on %2").arg(lockModeName(lock), relation));
        out.append(entry);
    }
}

RehearsalPhase runPhase(const QString& name, DatabaseConnection& connection, const RunOptions& options,
    const MigrationPlan& plan, const RenderedScript& script, RunResult* resultOut = nullptr)
{
    QElapsedTimer timer;
    timer.start();
    MigrationRunner runner(connection, options);
    const RunResult result = runner.run(plan, script);
    RehearsalPhase phase;
    phase.name = name;
    phase.ok = result.ok();
    phase.milliseconds = timer.elapsed();
    if (!result.ok())
        phase.error = result.error.toString();
    if (resultOut)
        *resultOut = result;
    return phase;
}

// Where the copy goes; never a production or read-only profile's own server.
Result<SchemaAudit::ShadowServer> copyServer(
    const ConnectionTarget& target, const QString& shadowUrl, int serverVersion)
{
    const bool ownServerAllowed = !target.isProduction() && !target.isReadOnly();
    const bool named = !shadowUrl.isEmpty() || (target.profile && !target.profile->shadowUrl.isEmpty());
    if (named || ownServerAllowed)
        return SchemaAudit::shadowServer(target, shadowUrl, serverVersion);
    Result<std::unique_ptr<LocalShadowServer>> local = LocalShadowServer::start(serverVersion / 10000);
    if (!local) {
        Error error = local.error();
        error.message
            = QStringLiteral("a rehearsal of a production or read-only profile never runs on its own "
                             "server, and no throwaway local server could be started: %1")
                  .arg(error.message);
        error.hint
            = QStringLiteral("give --shadow URL, set the profile's shadow URL, or install the PostgreSQL "
                             "server package (Debian: postgresql)");
        return error;
    }
    SchemaAudit::ShadowServer server;
    server.local = std::move(local).value();
    server.settings = server.local->settings();
    return server;
}

bool cancelled(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load();
}

} // namespace

QJsonObject RehearsalReport::toJson() const
{
    QJsonArray phaseArray;
    for (const RehearsalPhase& p : phases)
        phaseArray.append(QJsonObject { { QStringLiteral("name"), p.name }, { QStringLiteral("ok"), p.ok },
            { QStringLiteral("milliseconds"), p.milliseconds },
            { QStringLiteral("error"), p.error.isEmpty() ? QJsonValue() : QJsonValue(p.error) } });
    QJsonArray revisionArray;
    for (const RehearsedRevision& r : revisions)
        revisionArray.append(
            QJsonObject { { QStringLiteral("revision"), r.id }, { QStringLiteral("message"), r.message },
                { QStringLiteral("file"), r.file }, { QStringLiteral("milliseconds"), r.milliseconds },
                { QStringLiteral("outcome"), r.outcome }, { QStringLiteral("locks"), toArray(r.locks) },
                { QStringLiteral("created"), toArray(r.created) } });
    return QJsonObject { { QStringLiteral("started_at"), startedAt.toString(Qt::ISODateWithMs) },
        { QStringLiteral("target"), target }, { QStringLiteral("database"), databaseName },
        { QStringLiteral("profile"), profile }, { QStringLiteral("shadow"), shadow },
        { QStringLiteral("copied_tables"), toArray(copiedTables) },
        { QStringLiteral("from"), toArray(fromRevisions) }, { QStringLiteral("to"), toText },
        { QStringLiteral("end_heads"), toArray(endHeads) }, { QStringLiteral("sql_sha256"), sqlSha256 },
        { QStringLiteral("transaction_mode"), transactionMode },
        { QStringLiteral("copy_milliseconds"), copyMilliseconds },
        { QStringLiteral("round_trip"), roundTrip }, { QStringLiteral("nothing_to_do"), nothingToDo },
        { QStringLiteral("ok"), ok },
        { QStringLiteral("problem"), problem.isEmpty() ? QJsonValue() : QJsonValue(problem) },
        { QStringLiteral("phases"), phaseArray }, { QStringLiteral("revisions"), revisionArray } };
}

RehearsalReport RehearsalReport::fromJson(const QJsonObject& o)
{
    RehearsalReport r;
    r.startedAt = QDateTime::fromString(o.value(QStringLiteral("started_at")).toString(), Qt::ISODateWithMs);
    r.target = o.value(QStringLiteral("target")).toString();
    r.databaseName = o.value(QStringLiteral("database")).toString();
    r.profile = o.value(QStringLiteral("profile")).toString();
    r.shadow = o.value(QStringLiteral("shadow")).toString();
    r.copiedTables = fromArray(o.value(QStringLiteral("copied_tables")));
    r.fromRevisions = fromArray(o.value(QStringLiteral("from")));
    r.toText = o.value(QStringLiteral("to")).toString();
    r.endHeads = fromArray(o.value(QStringLiteral("end_heads")));
    r.sqlSha256 = o.value(QStringLiteral("sql_sha256")).toString();
    r.transactionMode = o.value(QStringLiteral("transaction_mode")).toString();
    r.copyMilliseconds = static_cast<qint64>(o.value(QStringLiteral("copy_milliseconds")).toDouble());
    r.roundTrip = o.value(QStringLiteral("round_trip")).toBool();
    r.nothingToDo = o.value(QStringLiteral("nothing_to_do")).toBool();
    r.ok = o.value(QStringLiteral("ok")).toBool();
    r.problem = o.value(QStringLiteral("problem")).toString();
    for (const QJsonValue& value : o.value(QStringLiteral("phases")).toArray()) {
        const QJsonObject p = value.toObject();
        r.phases.append({ p.value(QStringLiteral("name")).toString(), p.value(QStringLiteral("ok")).toBool(),
            static_cast<qint64>(p.value(QStringLiteral("milliseconds")).toDouble()),
            p.value(QStringLiteral("error")).toString() });
    }
    for (const QJsonValue& value : o.value(QStringLiteral("revisions")).toArray()) {
        const QJsonObject v = value.toObject();
        RehearsedRevision revision;
        revision.id = v.value(QStringLiteral("revision")).toString();
        revision.message = v.value(QStringLiteral("message")).toString();
        revision.file = v.value(QStringLiteral("file")).toString();
        revision.milliseconds = static_cast<qint64>(v.value(QStringLiteral("milliseconds")).toDouble());
        revision.outcome = v.value(QStringLiteral("outcome")).toString();
        revision.locks = fromArray(v.value(QStringLiteral("locks")));
        revision.created = fromArray(v.value(QStringLiteral("created")));
        r.revisions.append(revision);
    }
    return r;
}

QStringList Rehearsal::configuredTables(const MigrationRepository& repository)
{
    QStringList tables;
    QFile file(repository.directory() + QStringLiteral("/rehearse.conf"));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return tables;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).section(QLatin1Char('#'), 0, 0).trimmed();
        if (!line.isEmpty() && !tables.contains(line))
            tables.append(line);
    }
    return tables;
}

Result<RehearsalReport> Rehearsal::run(DatabaseConnection& target, const MigrationRepository& repository,
    const ConnectionTarget& connectionTarget, const WriteRequest& request, const RehearsalOptions& options,
    const std::atomic<bool>* cancel)
{
    if (request.action != WriteAction::Upgrade)
        return Error::usage(QStringLiteral("a rehearsal rehearses an upgrade (its downgrade is part of it)"));
    RehearsalReport report;
    report.startedAt = QDateTime::currentDateTime();
    report.target = connectionTarget.settings.describe();
    report.profile = connectionTarget.profile ? connectionTarget.profile->name : QString();
    report.roundTrip = options.roundTrip;

    // The review the real run would make, on the target, read-only.  A
    // read-only profile refuses writes, not rehearsals: its refusal is left
    // out here, the write itself still meets it.
    ConnectionTarget reviewTarget = connectionTarget;
    if (reviewTarget.profile)
        reviewTarget.profile->readOnly = false;
    Result<WriteReview> review = GuardedWrite::review(target, repository, reviewTarget, request);
    if (!review)
        return review.error();
    report.databaseName = review->databaseName;
    report.fromRevisions = review->state.revisions;
    report.toText = review->toText;
    report.endHeads = review->plan.endHeads;
    report.sqlSha256 = review->sqlSha256;
    report.transactionMode = request.transactionMode == TransactionMode::PerRevision
        ? QStringLiteral("per-revision")
        : QStringLiteral("all");
    if (!review->problems.isEmpty()) {
        QStringList texts;
        for (const Error& error : review->problems)
            texts.append(error.toString());
        report.problem = texts.join(QStringLiteral("; "));
        return report;
    }
    if (review->nothingToDo) {
        report.nothingToDo = true;
        report.ok = true;
        return report;
    }
    const RevisionGraph& graph = repository.graph();
    describeRevisions(review->plan, graph, request.transactionMode, report.revisions);

    // The copy.
    const int serverVersion = target.serverInfo().versionNumber;
    Result<SchemaAudit::ShadowServer> server = copyServer(connectionTarget, options.shadowUrl, serverVersion);
    if (!server)
        return server.error();
    report.shadow = server->describe();
    report.copiedTables = QStringList { connectionTarget.versionTable };
    for (const QString& table : options.copyRowsOf) {
        // Only tables that are there: pg_dump refuses a --table that matches nothing.
        Result<QVariant> exists
            = target.scalar(QStringLiteral("SELECT to_regclass($1) IS NOT NULL"), { table });
        if (exists && exists->toBool() && !report.copiedTables.contains(table))
            report.copiedTables.append(table);
    }
    Result<QVariant> hasVersionTable = target.scalar(
        QStringLiteral("SELECT to_regclass($1) IS NOT NULL"), { connectionTarget.versionTable });
    if (!hasVersionTable || !hasVersionTable->toBool())
        report.copiedTables.removeAll(connectionTarget.versionTable);
    QElapsedTimer copyTimer;
    copyTimer.start();
    Result<std::unique_ptr<ShadowDatabase>> copy = DatabaseCopy::create(
        target.settings(), serverVersion, server->settings, report.copiedTables, cancel);
    if (!copy)
        return copy.error();
    report.copyMilliseconds = copyTimer.elapsed();
    Result<DatabaseConnection*> shadow = copy.value()->connection();
    if (!shadow)
        return shadow.error();

    RunOptions runOptions;
    runOptions.versionTable = connectionTarget.versionTable;
    runOptions.retries = request.retries;
    RunResult first;
    report.phases.append(
        runPhase(QStringLiteral("upgrade"), **shadow, runOptions, review->plan, review->script, &first));
    for (RehearsedRevision& revision : report.revisions) {
        for (const JournalRecord::Step& step : std::as_const(first.steps)) {
            if (step.revision == revision.id) {
                revision.milliseconds = step.milliseconds;
                revision.outcome = step.outcome;
            }
        }
    }
    if (report.roundTrip && report.fromRevisions.size() > 1)
        report.roundTrip = false; // a downgrade to several heads at once has no single target
    if (first.ok() && report.roundTrip && !cancelled(cancel)) {
        const QString back
            = report.fromRevisions.isEmpty() ? QStringLiteral("base") : report.fromRevisions.constFirst();
        Result<MigrationPlan> down = graph.downgradePlan(review->plan.endHeads, back);
        if (!down) {
            report.phases.append({ QStringLiteral("downgrade"), false, 0, down.error().toString() });
        } else {
            WriteRequest downRequest = request;
            downRequest.action = WriteAction::Downgrade;
            downRequest.target = back;
            VersionState after;
            after.tableExists = true;
            after.revisions = review->plan.endHeads;
            const RenderedScript downScript = SqlScriptRenderer::render(
                *down, graph, GuardedWrite::renderOptions(connectionTarget, downRequest, after));
            const RehearsalPhase downPhase
                = runPhase(QStringLiteral("downgrade"), **shadow, runOptions, *down, downScript);
            report.phases.append(downPhase);
            if (downPhase.ok && !cancelled(cancel))
                report.phases.append(runPhase(
                    QStringLiteral("upgrade again"), **shadow, runOptions, review->plan, review->script));
        }
    }
    if (cancelled(cancel))
        report.problem = QStringLiteral("cancelled");
    report.ok = !cancelled(cancel);
    for (const RehearsalPhase& phase : std::as_const(report.phases)) {
        if (!phase.ok && report.ok) {
            report.ok = false;
            report.problem = QStringLiteral("the %1 failed on the copy: %2").arg(phase.name, phase.error);
        }
    }
    if (std::optional<Error> error = copy.value()->drop())
        report.problem += (report.problem.isEmpty() ? QString() : QStringLiteral("; "))
            + QStringLiteral("the copy was not dropped: ") + error->message;
    return report;
}

} // namespace dbops
