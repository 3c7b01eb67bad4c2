#include "guarded/RecoveryWrite.h"

#include "catalog/DdlText.h"
#include "guarded/GuardedWrite.h"
#include "guarded/WriteImpact.h"
#include "migrations/MigrationRepository.h"
#include "recover/RecoveryInspector.h"
#include "recover/RecoveryStep.h"

#include <QCryptographicHash>

namespace dbops {

namespace {

QString headsText(const QStringList& heads)
{
    return heads.isEmpty() ? QStringLiteral("base") : heads.join(QStringLiteral(", "));
}

const InvalidIndex* findIndex(const RecoveryReport& report, const QString& wanted)
{
    for (const InvalidIndex& index : report.invalidIndexes) {
        if (DdlText::qualified(index.schema, index.name) == wanted
            || index.schema + QLatin1Char('.') + index.name == wanted || index.name == wanted)
            return &index;
    }
    return nullptr;
}

QString invalidIndexList(const RecoveryReport& report)
{
    QStringList names;
    for (const InvalidIndex& index : report.invalidIndexes)
        names.append(DdlText::qualified(index.schema, index.name));
    return names.isEmpty() ? QStringLiteral("there are none") : names.join(QStringLiteral(", "));
}

} // namespace

void RecoveryWrite::render(WriteReview& review)
{
    review.script = RenderedScript();
    if (!review.recovery)
        return;
    SqlScriptRenderer::Options options
        = GuardedWrite::renderOptions(review.target, review.request, review.state);
    review.script = SqlScriptRenderer::renderRecovery(
        review.recovery->comments, review.recovery->statements, review.recovery->inTransaction, options);
    review.sqlSha256 = QString::fromLatin1(
        QCryptographicHash::hash(review.script.text().toUtf8(), QCryptographicHash::Sha256).toHex());
}

std::optional<Error> RecoveryWrite::review(
    WriteReview& review, DatabaseConnection& connection, const MigrationRepository& repository)
{
    review.recovery.reset();
    review.script = RenderedScript();
    review.created.clear();
    review.dropped.clear();
    const std::optional<RecoveryStep> step = RecoveryStep::parse(review.request.target);
    if (!step) {
        review.problems.append(Error::usage(QStringLiteral(
            "unknown recovery step '%1' (the steps: rollback-partial, rebuild-index SCHEMA.INDEX)")
                                                .arg(review.request.target)));
        return std::nullopt;
    }
    // The plan of a recovery: no revision, the version table where it is
    // (the runner checks that under the migration lock before running).
    review.plan = MigrationPlan();
    review.plan.upgrade = true;
    review.plan.startHeads = review.state.revisions;
    review.plan.endHeads = review.state.revisions;

    Result<QList<JournalRecord>> journal = RunJournal().read();
    if (!journal)
        review.warnings.append(
            QStringLiteral("the run journal could not be read (%1): the failed revision is "
                           "taken to be the first pending one")
                .arg(journal.error().message));
    Result<RecoveryReport> inspected
        = RecoveryInspector::inspect(connection, repository.graph(), review.target.versionTable,
            review.target.settings.describe(), journal ? journal.value() : QList<JournalRecord>());
    if (!inspected)
        return inspected.error();
    const RecoveryReport& report = inspected.value();

    RecoveryStatements recovery;
    QString revision;
    if (step->kind == RecoveryStep::Kind::RollbackPartial) {
        if (!report.planProblem.isEmpty()) {
            review.problems.append(Error::input(
                QStringLiteral("which revision is partial is unknown: %1").arg(report.planProblem)));
            return std::nullopt;
        }
        revision = report.checkedRevision;
        recovery.statements = report.rollbackStatements();
        if (recovery.statements.isEmpty()) {
            review.nothingToDo = true;
            review.toText = revision.isEmpty()
                ? QStringLiteral("nothing to roll back: no revision is pending")
                : QStringLiteral("nothing to roll back: no object %1 creates exists").arg(revision);
            return std::nullopt;
        }
        for (const RecoveryObject& object : report.checkedObjects) {
            if (object.exists && object.dropStatement.isEmpty())
                review.warnings.append(
                    QStringLiteral("%1 (line %2) exists but cannot be dropped by name: drop "
                                   "it by hand")
                        .arg(object.change.describe())
                        .arg(object.line));
        }
        recovery.comments = QStringList {
            QStringLiteral("Roll back what %1 left: its objects that exist, newest first, in one transaction")
                .arg(revision),
            QStringLiteral("The version table stays at %1").arg(headsText(review.state.revisions)),
        };
        review.toText = QStringLiteral("%1's objects dropped, still at %2")
                            .arg(revision, headsText(review.state.revisions));
    } else {
        const InvalidIndex* index = findIndex(report, step->index);
        if (!index) {
            review.problems.append(
                Error::input(QStringLiteral("no INVALID index %1 (INVALID indexes: %2); nothing was run")
                                 .arg(step->index, invalidIndexList(report))));
            return std::nullopt;
        }
        recovery.statements = index->rebuildStatements();
        recovery.inTransaction = false;
        recovery.comments = QStringList { QStringLiteral(
            "Rebuild the INVALID index %1: drop it and build it again concurrently, outside a transaction")
                                              .arg(DdlText::qualified(index->schema, index->name)) };
        review.toText
            = QStringLiteral("index %1 valid, still at %2")
                  .arg(DdlText::qualified(index->schema, index->name), headsText(review.state.revisions));
    }
    review.recovery = recovery;
    render(review);
    for (const QString& statement : std::as_const(recovery.statements))
        WriteImpact::collectStatement(review, statement, revision);
    WriteImpact::countRows(connection, review.dropped);
    return std::nullopt;
}

} // namespace dbops
