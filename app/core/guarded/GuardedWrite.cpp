#include "guarded/GuardedWrite.h"

#include "catalog/SchemaAudit.h"
#include "checks/CheckRepository.h"
#include "common/ExitCode.h"
#include "connection/DatabaseConnection.h"
#include "guarded/RecoveryWrite.h"
#include "guarded/WriteImpact.h"
#include "lint/LockRequests.h"
#include "migrations/MigrationRepository.h"
#include "migrations/MigrationValidator.h"
#include "rehearse/RehearsalRecords.h"
#include "runner/BackupRunner.h"
#include "runner/RunGuard.h"
#include "verify/AppliedChecksums.h"
#include "verify/ChecksumVerifier.h"

#include <QCryptographicHash>

namespace dbops {

namespace {

QString headsText(const QStringList& heads)
{
    return heads.isEmpty() ? QStringLiteral("base") : heads.join(QStringLiteral(", "));
}

QString sha256Of(const QString& text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

// The newest rehearsal of exactly this SQL failed on a copy: it would fail here too.
Error failedRehearsalRefusal(const RehearsalStatus& rehearsal)
{
    return Error::input(QStringLiteral("this exact SQL failed its rehearsal on a copy of the database (%1); "
                                       "nothing was run: fix the migrations, or rehearse again")
                            .arg(rehearsal.text));
}

// The rehearsal status of `review`, and its refusal when this exact SQL failed
// on a copy (in place of one an earlier status gave).
void applyRehearsal(WriteReview& review, const RehearsalStatus& status)
{
    const QString refusalStart
        = failedRehearsalRefusal(RehearsalStatus()).message.section(QLatin1Char('('), 0, 0);
    review.problems.erase(std::remove_if(review.problems.begin(), review.problems.end(),
                              [&](const Error& e) { return e.message.startsWith(refusalStart); }),
        review.problems.end());
    review.rehearsal = status;
    if (status.failed)
        review.problems.append(failedRehearsalRefusal(status));
}

// After a successful run: the accepted changed revisions' current checksums
// (and the reasons) replace the recorded ones, so the next run is not refused.
std::optional<Error> recordAcceptedChanges(DatabaseConnection& connection, const WriteReview& review)
{
    if (!review.applied)
        return std::nullopt;
    for (const AcceptedChange& accepted : review.request.acceptedChanges) {
        for (const VerifyFinding& finding : review.applied->ofKind(VerifyFinding::Kind::Changed)) {
            if (finding.revision != accepted.revision)
                continue;
            if (std::optional<Error> error = AppliedChecksums::recordAccepted(connection,
                    review.target.versionTable, finding.revision, finding.currentSha256, accepted.reason)) {
                error->message = QStringLiteral("the accepted change of %1 was not recorded: %2")
                                     .arg(finding.revision, error->message);
                return error;
            }
        }
    }
    return std::nullopt;
}

QString transactionModeName(TransactionMode mode)
{
    return mode == TransactionMode::PerRevision ? QStringLiteral("per-revision") : QStringLiteral("all");
}

/// "upgrade", "fix NAME", "recover rollback-partial": what messages and the journal call the write.
QString actionNameOf(const WriteRequest& request)
{
    if (request.action == WriteAction::Fix || request.action == WriteAction::Recover)
        return writeActionName(request.action) + QLatin1Char(' ') + request.target;
    return writeActionName(request.action);
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

SqlScriptRenderer::Options GuardedWrite::renderOptions(
    const ConnectionTarget& target, const WriteRequest& request, const VersionState& state)
{
    SqlScriptRenderer::Options options;
    options.transactionMode = request.transactionMode;
    options.versionTable = target.versionTable;
    options.createVersionTable = !state.tableExists;
    const int lockTimeout = request.lockTimeoutSeconds >= 0 ? request.lockTimeoutSeconds
        : target.profile                                    ? target.profile->lockTimeoutSeconds
                                                            : 10;
    const int statementTimeout = request.statementTimeoutSeconds >= 0 ? request.statementTimeoutSeconds
        : target.profile ? target.profile->statementTimeoutSeconds
                         : 0;
    options.lockTimeoutMs = lockTimeout * 1000;
    options.statementTimeoutMs = statementTimeout * 1000;
    return options;
}

namespace {

FixRunner::Options fixOptionsFor(const WriteRequest& request)
{
    FixRunner::Options options;
    options.lockTimeoutSeconds = request.lockTimeoutSeconds;
    options.statementTimeoutSeconds = request.statementTimeoutSeconds;
    options.dryRun = request.dryRun;
    return options;
}

/// The part of a review that needs no database: plan, validation, SQL.
/// execute() derives it again to prove the reviewed script is still the one.
void planAndRender(WriteReview& review, const MigrationRepository& repository)
{
    const WriteRequest& request = review.request;
    const ConnectionTarget& target = review.target;
    review.script = RenderedScript();
    review.nonTransactionalSteps.clear();

    if (request.action == WriteAction::Recover) {
        RecoveryWrite::render(review);
        return;
    }
    if (request.action == WriteAction::Fix) {
        if (!review.fix)
            return;
        FixRunner::Options options = fixOptionsFor(request);
        review.script = FixRunner::script(*review.fix, FixRunner::effectiveLockTimeout(target, options),
            FixRunner::effectiveStatementTimeout(target, options));
        review.sqlSha256 = sha256Of(review.script.text());
        return;
    }

    const RevisionGraph& graph = repository.graph();
    const SqlScriptRenderer::Options options = GuardedWrite::renderOptions(target, request, review.state);
    if (request.action == WriteAction::Stamp) {
        review.script = SqlScriptRenderer::renderStamp(
            review.state.revisions, review.state.tableExists, review.plan.endHeads, options);
    } else {
        for (const MigrationStep& step : std::as_const(review.plan.steps)) {
            const Revision& r = graph.revision(step.revision);
            if (!r.transactional)
                review.nonTransactionalSteps.append(QStringLiteral("%1: %2").arg(r.id, r.message));
        }
        review.script = SqlScriptRenderer::render(review.plan, graph, options);
    }
    review.sqlSha256 = sha256Of(review.script.text());
}

/// Plans a migration action and checks its SQL; problems go into the review.
bool planMigration(WriteReview& review, const MigrationRepository& repository)
{
    const RevisionGraph& graph = repository.graph();
    const WriteRequest& request = review.request;
    const QStringList& current = review.state.revisions;
    if (request.action == WriteAction::Stamp) {
        Result<QStringList> stampTo = graph.resolve(request.target, current);
        if (!stampTo) {
            review.problems.append(stampTo.error());
            return false;
        }
        review.plan = MigrationPlan();
        review.plan.upgrade = true;
        review.plan.startHeads = current;
        review.plan.endHeads = *stampTo;
        return true;
    }
    Result<MigrationPlan> planned = request.action == WriteAction::Upgrade
        ? graph.upgradePlan(current, request.target)
        : graph.downgradePlan(current, request.target);
    if (!planned) {
        review.problems.append(planned.error());
        return false;
    }
    review.plan = planned.value();
    RevisionList revisions;
    for (const MigrationStep& step : std::as_const(review.plan.steps))
        revisions.append(graph.revision(step.revision));
    review.problems.append(MigrationValidator::validate(revisions));
    return true;
}

/// Stamping claims the schema is at the target: the audit says whether it is.
std::optional<Error> auditBeforeStamp(
    WriteReview& review, DatabaseConnection& connection, const MigrationRepository& repository)
{
    const QStringList& stampTo = review.plan.endHeads;
    if (stampTo.isEmpty())
        return std::nullopt; // stamping base claims nothing exists
    if (stampTo.size() == 1) {
        review.auditTarget = stampTo.constFirst();
    } else if (sorted(stampTo) == sorted(repository.graph().heads())) {
        review.auditTarget = QStringLiteral("heads");
    } else {
        review.problems.append(Error::usage(
            QStringLiteral("stamp to several revisions that are not the heads is not supported")));
        return std::nullopt;
    }
    Result<CatalogSnapshot> expected
        = SchemaAudit::expectedAt(repository, review.auditTarget, review.target, review.request.shadowUrl);
    if (!expected)
        return expected.error();
    Result<AuditReport> report = SchemaAudit::compare(connection, *expected, review.target.versionTable);
    if (!report)
        return report.error();
    review.missingObjects = SchemaAudit::missingObjects(*report);
    return std::nullopt;
}

/// The live lock figures of what the script locks (one read-only round trip).
/// A server that does not answer leaves a warning, not a refusal: the run's
/// own lock_timeout still guards it.
void readLocks(WriteReview& review, DatabaseConnection& connection)
{
    review.locks = LockImpactReport();
    const QList<RelationLockRequest> requests = LockRequests::fromScript(review.script);
    if (requests.isEmpty()) {
        review.locks.available = true;
        return;
    }
    Result<LockImpactReport> report = LiveLockImpact::read(connection, requests);
    if (report)
        review.locks = report.value();
    else
        review.warnings.append(QStringLiteral("the live lock check failed: %1").arg(report.error().message));
}

/// Who the script would wait for, relation by relation, for the refusal.
QString blockersText(const WriteReview& review)
{
    QStringList parts;
    for (const RelationImpact& relation : review.locks.relations) {
        const QList<LockSession> blockers = relation.blockers();
        if (blockers.isEmpty())
            continue;
        QStringList sessions;
        for (const LockSession& session : blockers)
            sessions.append(session.describe());
        parts.append(QStringLiteral("on %1 (the %2 asks for %3): %4")
                         .arg(relation.name, review.actionName, lockModeName(relation.request.strongest),
                             sessions.join(QStringLiteral("; "))));
    }
    QStringList dumps;
    for (const LockSession& session : review.blockers()) {
        if (session.isDump && !session.blocks)
            dumps.append(session.describe());
    }
    if (!dumps.isEmpty())
        parts.append(QStringLiteral("pg_dump is running: %1").arg(dumps.join(QStringLiteral("; "))));
    return parts.join(QStringLiteral("; "));
}

QString productionDatabaseName(const ConnectionTarget& target)
{
    const QString name = target.settings.value(QStringLiteral("dbname"));
    if (!name.isEmpty())
        return name;
    return target.profile ? target.profile->database : QString();
}

} // namespace

bool WriteReview::dropsData() const
{
    for (const AffectedObject& object : dropped) {
        if (object.removesData && object.exists)
            return true;
    }
    return false;
}

QString writeActionName(WriteAction action)
{
    switch (action) {
    case WriteAction::Upgrade:
        return QStringLiteral("upgrade");
    case WriteAction::Downgrade:
        return QStringLiteral("downgrade");
    case WriteAction::Stamp:
        return QStringLiteral("stamp");
    case WriteAction::Fix:
        return QStringLiteral("fix");
    case WriteAction::Recover:
        return QStringLiteral("recover");
    }
    return {};
}

ErrorList GuardedWrite::refusalsBeforeConnecting(const ConnectionTarget& target, const WriteRequest& request)
{
    if (!target.isReadOnly())
        return {};
    return { *RunGuard::checkWriteAllowed(target, actionNameOf(request), {}) };
}

Result<WriteReview> GuardedWrite::review(DatabaseConnection& connection,
    const MigrationRepository& repository, const ConnectionTarget& target, const WriteRequest& request)
{
    WriteReview review;
    review.request = request;
    review.target = target;
    review.actionName = actionNameOf(request);
    review.databaseName = productionDatabaseName(target);
    if (target.profile)
        review.warnings = target.profile->warnings();

    // Read-only first: such a profile gets no further than this, not even a
    // shadow replay for a stamp audit.
    review.problems = refusalsBeforeConnecting(target, request);
    if (!review.problems.isEmpty())
        return review;
    if (!SqlScriptRenderer::isValidVersionTable(target.versionTable)) {
        review.problems.append(
            Error::usage(QStringLiteral("bad version table '%1'").arg(target.versionTable)));
        return review;
    }
    Result<VersionState> state = VersionTable::read(connection, target.versionTable);
    if (!state)
        return state.error();
    review.state = state.value();
    review.fromText = headsText(review.state.revisions);
    if (request.action == WriteAction::Fix) {
        ErrorList errors;
        Result<CheckRepository> checks = CheckRepository::load(repository.directory(), &errors);
        if (!checks) {
            review.problems.append(errors.isEmpty() ? ErrorList { checks.error() } : errors);
            return review;
        }
        const FixDefinition* fix = checks->fix(request.target);
        if (!fix) {
            const QStringList names = checks->fixNames();
            review.problems.append(Error::usage(
                QStringLiteral("no fix named '%1' in %2/fixes%3")
                    .arg(request.target, checks->directory(),
                        names.isEmpty()
                            ? QStringLiteral(" (there are none)")
                            : QStringLiteral(" (fixes: %1)").arg(names.join(QStringLiteral(", "))))));
            return review;
        }
        review.fix = *fix;
        review.toText
            = QStringLiteral("fix %1 applied, its postcondition true, in one transaction").arg(fix->name);
        planAndRender(review, repository);
        readLocks(review, connection);
        return review;
    }

    // A fix never moves the version table; every other write starts from it.
    for (const QString& id : std::as_const(review.state.revisions)) {
        if (!repository.graph().contains(id)) {
            review.problems.append(Error::input(
                QStringLiteral("the database is at revision %1, which the migration repository %2 does not "
                               "know; nothing was run")
                    .arg(id, repository.directory())));
            return review;
        }
    }

    // A recovery step reads what a failed run left; an edited applied file
    // does not change what it drops or rebuilds, so no checksum refusal.
    if (request.action == WriteAction::Recover) {
        if (std::optional<Error> failed = RecoveryWrite::review(review, connection, repository))
            return *failed;
        if (review.problems.isEmpty() && !review.nothingToDo)
            readLocks(review, connection);
        return review;
    }

    // What was applied must still be what the files say (`dbops verify`):
    // an edited applied revision refuses the run until it is accepted.
    if (Result<VerifyReport> verified
        = ChecksumVerifier::verify(connection, repository.graph(), target.versionTable)) {
        review.applied = verified.value();
        review.problems += ChecksumVerifier::refusals(verified.value(), request.acceptedChanges);
    } else {
        review.problems.append(verified.error());
    }

    if (!planMigration(review, repository))
        return review;
    review.toText = headsText(review.plan.endHeads);
    review.nothingToDo = request.action != WriteAction::Stamp && review.plan.steps.isEmpty();
    planAndRender(review, repository);
    if (request.action == WriteAction::Stamp) {
        if (review.problems.isEmpty()) {
            if (std::optional<Error> failed = auditBeforeStamp(review, connection, repository))
                return *failed;
        }
        return review;
    }
    if (request.action == WriteAction::Upgrade && !review.nothingToDo) {
        // Rehearsed on a copy? A rehearsal that failed with exactly this SQL
        // says this run would fail too.
        applyRehearsal(review, RehearsalRecords().match(review));
    }
    WriteImpact::collect(review, repository.graph());
    WriteImpact::countRows(connection, review.dropped);
    if (review.problems.isEmpty())
        readLocks(review, connection);
    return review;
}

WriteReview GuardedWrite::withSettings(
    const WriteReview& review, const MigrationRepository& repository, const WriteRequest& request)
{
    WriteReview changed = review;
    // Only the run settings may change: what the write is stays as reviewed.
    changed.request.transactionMode = request.transactionMode;
    changed.request.lockTimeoutSeconds = request.lockTimeoutSeconds;
    changed.request.statementTimeoutSeconds = request.statementTimeoutSeconds;
    changed.request.retries = request.retries;
    changed.request.lockWaitSeconds = request.lockWaitSeconds;
    changed.request.backupDirectory = request.backupDirectory;
    changed.request.dryRun = request.dryRun;
    if (changed.problems.isEmpty() || !changed.script.items.isEmpty())
        planAndRender(changed, repository);
    // Other settings are other SQL: the rehearsal that matches may change.
    if (changed.request.action == WriteAction::Upgrade && !changed.nothingToDo)
        applyRehearsal(changed, RehearsalRecords().match(changed));
    return changed;
}

WriteReview GuardedWrite::withRehearsal(const WriteReview& review, const RehearsalReport& rehearsal)
{
    WriteReview changed = review;
    if (changed.request.action == WriteAction::Upgrade && !changed.nothingToDo)
        applyRehearsal(changed, RehearsalRecords::statusOf(rehearsal, changed));
    return changed;
}

ErrorList GuardedWrite::refusals(const WriteReview& review, const WriteAnswers& answers)
{
    ErrorList refusals = review.problems;
    if (!refusals.isEmpty())
        return refusals;
    if (review.request.dryRun && review.request.action != WriteAction::Fix)
        refusals.append(Error::usage(QStringLiteral("a dry run is for fixes only")));
    // The typed name, before anything else a person must answer.
    if (auto refused
        = RunGuard::checkWriteAllowed(review.target, review.actionName, answers.typedDatabaseName))
        refusals.append(*refused);
    if (review.needsOverride()) {
        if (!answers.force) {
            const QString text = QStringLiteral(
                "stamp refused: the database does not have what %1 creates (%2 object(s) "
                "MISSING, e.g. %3); run the upgrade instead, or stamp anyway with an override "
                "and its reason (--force --reason \"...\")")
                                     .arg(review.auditTarget, QString::number(review.missingObjects.size()),
                                         review.missingObjects.constFirst());
            refusals.append(Error::usage(text));
        } else if (answers.overrideReason.trimmed().size() < 8) {
            refusals.append(Error::usage(QStringLiteral(
                "the override needs a reason of a few words (--reason \"why\"); it is journaled")));
        }
    }
    if (review.needsDataLossAcceptance() && !answers.dataLossAccepted) {
        int tables = 0;
        int columns = 0;
        qint64 rows = 0;
        bool unknown = false;
        for (const AffectedObject& object : review.dropped) {
            if (!object.removesData || !object.exists)
                continue;
            (object.column.isEmpty() ? tables : columns) += 1;
            unknown = unknown || object.rows < 0;
            rows += std::max<qint64>(object.rows, 0);
        }
        const QString held = unknown ? QStringLiteral("at least %1 row(s) or value(s)").arg(rows)
                                     : QStringLiteral("%1 row(s) or value(s)").arg(rows);
        refusals.append(Error::usage(QStringLiteral(
            "the %1 drops %2 table(s) and %3 column(s) holding %4 on production profile '%5': read "
            "the list and accept the data loss (--accept-data-loss)")
                                         .arg(review.actionName, QString::number(tables),
                                             QString::number(columns), held, review.target.profile->name)));
    }
    if (!answers.ignoreBlockers && !review.blockers().isEmpty()) {
        refusals.append(Error::usage(
            QStringLiteral("the %1 would wait for %2 other session(s) that hold or wait for locks it needs, "
                           "%3: let them finish or end them, or run anyway and wait up to the lock timeout "
                           "(--ignore-blockers)")
                .arg(review.actionName, QString::number(review.blockers().size()), blockersText(review))));
    }
    return refusals;
}

int GuardedWrite::exitCode(const ErrorList& refusals)
{
    for (const Error& error : refusals) {
        if (error.kind == Error::Kind::Database)
            return ExitDatabaseError;
    }
    return refusals.isEmpty() ? ExitOk : ExitBadInput;
}

int GuardedWrite::exitCode(const WriteOutcome& outcome)
{
    switch (outcome.status) {
    case WriteOutcome::Status::Refused:
        return exitCode(outcome.refusals);
    case WriteOutcome::Status::NothingToDo:
        return ExitOk;
    case WriteOutcome::Status::Finished:
        break;
    }
    if (outcome.fix && !outcome.run.ok() && !outcome.fix->postconditionHeld)
        return ExitCheckFailed; // a fix whose postcondition did not hold: rolled back
    switch (outcome.run.outcome) {
    case RunResult::Outcome::Success:
        return ExitOk;
    case RunResult::Outcome::Cancelled:
        return ExitCancelled;
    case RunResult::Outcome::LockHeld:
        return ExitLockTimeout;
    case RunResult::Outcome::ConnectionLost:
        return ExitDatabaseError;
    case RunResult::Outcome::VersionMismatch:
        return ExitDatabaseMoved;
    case RunResult::Outcome::Failed:
        return outcome.run.error.kind == Error::Kind::Database ? ExitRunFailed : ExitBadInput;
    }
    return ExitRunFailed;
}

void GuardedWrite::requestCancel()
{
    m_cancel.store(true);
    QMutexLocker lock(&m_runnerMutex);
    if (m_runner)
        m_runner->requestCancel();
    if (m_fixCanceller)
        m_fixCanceller->cancel();
}

void GuardedWrite::report(const QString& text)
{
    if (!m_progress)
        return;
    RunEvent event;
    event.kind = RunEvent::Kind::Info;
    event.text = text;
    m_progress(event);
}

WriteOutcome GuardedWrite::execute(DatabaseConnection& connection, const MigrationRepository& repository,
    const WriteReview& review, const WriteAnswers& answers)
{
    WriteOutcome outcome;
    outcome.refusals = refusals(review, answers);
    if (!outcome.refusals.isEmpty())
        return outcome;

    // Derive the script again from the repository and the database as they
    // are now: what runs is what was reviewed, byte for byte, or nothing.
    if (review.request.action != WriteAction::Fix) {
        Result<VersionState> state = VersionTable::read(connection, review.target.versionTable);
        if (!state) {
            outcome.refusals.append(state.error());
            return outcome;
        }
        WriteReview again = review;
        again.state = state.value();
        again.problems.clear();
        again.nothingToDo = false;
        if (review.request.action == WriteAction::Recover) {
            if (std::optional<Error> failed = RecoveryWrite::review(again, connection, repository)) {
                outcome.refusals.append(*failed);
                return outcome;
            }
        } else if (planMigration(again, repository)) {
            planAndRender(again, repository);
        }
        if (!again.problems.isEmpty()) {
            outcome.refusals = again.problems;
            return outcome;
        }
        if (again.script.text() != review.script.text()) {
            outcome.refusals.append(
                Error::input(QString::fromLatin1(review.recovery
                        ? "the objects %2 reads changed since it was reviewed (the database is at %1, "
                          "from %3): nothing was run; review it again"
                        : "the database is at %1 now, or the migrations changed, since the %2 was "
                          "reviewed (from %3): nothing was run; review it again")
                                 .arg(headsText(again.state.revisions), review.actionName, review.fromText)));
            return outcome;
        }
    }
    if (review.nothingToDo) {
        outcome.status = WriteOutcome::Status::NothingToDo;
        return outcome;
    }
    // A rehearsal may have failed since the review (the console's Rehearse button).
    if (review.request.action == WriteAction::Upgrade) {
        if (const RehearsalStatus rehearsal = RehearsalRecords().match(review); rehearsal.failed) {
            outcome.refusals.append(failedRehearsalRefusal(rehearsal));
            return outcome;
        }
    }
    // The sessions in the way, as they are now: the review may be minutes old.
    if (!answers.ignoreBlockers) {
        WriteReview now = review;
        readLocks(now, connection);
        outcome.refusals = refusals(now, answers);
        if (!outcome.refusals.isEmpty())
            return outcome;
    }

    outcome.status = WriteOutcome::Status::Finished;
    JournalRecord& record = outcome.record;
    record.startedAt = QDateTime::currentDateTime();
    record.action = review.needsOverride()
        ? QStringLiteral("%1 (forced: %2)").arg(review.actionName, answers.overrideReason.trimmed())
        : review.actionName;
    record.osUser = RunJournal::currentOsUser();
    record.profile = review.target.profile ? review.target.profile->name : QString();
    record.target = review.target.settings.describe();
    record.fromRevisions = review.state.revisions;
    record.toRevisions
        = review.request.action == WriteAction::Fix ? review.state.revisions : review.plan.endHeads;
    record.transactionMode = review.request.action == WriteAction::Fix ? QStringLiteral("all")
        : review.recovery
        ? (review.recovery->inTransaction ? QStringLiteral("all") : QStringLiteral("autocommit"))
        : transactionModeName(review.request.transactionMode);
    record.sqlSha256 = review.sqlSha256;
    const ServerInfo server = connection.serverInfo();
    record.databaseUser = server.user;

    if (!review.request.backupDirectory.isEmpty() && !review.request.dryRun) {
        report(QStringLiteral("Backing up %1 with pg_dump ...").arg(review.target.settings.describe()));
        Result<QString> dump = BackupRunner::run(
            connection.settings(), review.request.backupDirectory, server.versionNumber, &m_cancel);
        if (!dump) {
            // Nothing reached the database: no journal record, as for a refusal.
            outcome.status = WriteOutcome::Status::Finished;
            outcome.run.outcome
                = m_cancel.load() ? RunResult::Outcome::Cancelled : RunResult::Outcome::Failed;
            outcome.run.error = dump.error();
            outcome.run.error.message
                += QStringLiteral("; nothing was run, the database is still at %1").arg(review.fromText);
            outcome.run.finalHeads = review.state.revisions;
            outcome.run.finalHeadsKnown = true;
            return outcome;
        }
        outcome.backupPath = dump.value();
        record.backupPath = dump.value();
        report(QStringLiteral("Backup: %1").arg(dump.value()));
    }
    if (m_cancel.load()) {
        outcome.run.outcome = RunResult::Outcome::Cancelled;
        outcome.run.error = Error::database(
            QStringLiteral("cancelled before the run: nothing was run, the database is still at %1")
                .arg(review.fromText));
        outcome.run.finalHeads = review.state.revisions;
        outcome.run.finalHeadsKnown = true;
        return outcome;
    }

    if (review.request.action == WriteAction::Fix)
        return executeFix(review, answers, record);

    RunOptions runOptions;
    runOptions.versionTable = review.target.versionTable;
    runOptions.retries = review.request.retries;
    runOptions.lockWaitSeconds = review.request.lockWaitSeconds;
    MigrationRunner runner(connection, runOptions);
    runner.setProgressHandler(m_progress);
    {
        QMutexLocker lock(&m_runnerMutex);
        m_runner = &runner;
    }
    if (m_cancel.load())
        runner.requestCancel();
    RunResult result = runner.run(review.plan, review.script);
    {
        QMutexLocker lock(&m_runnerMutex);
        m_runner = nullptr;
    }
    outcome.run = result;
    if (result.ok()) {
        // The changes accepted for this run become what was applied.
        if (std::optional<Error> error = recordAcceptedChanges(runner.connection(), review))
            outcome.journalWarning = error;
    }
    record.finishedAt = QDateTime::currentDateTime();
    record.steps = result.steps;
    record.outcome = RunResult::outcomeName(result.outcome);
    record.error = result.ok() ? QString() : review.target.settings.redact(result.error.toString());
    if (std::optional<Error> error = m_journal.append(record))
        outcome.journalWarning = error;
    outcome.journaled = !outcome.journalWarning;
    if (review.target.profile && review.target.profile->journalInDatabase && result.finalHeadsKnown) {
        if (auto tableError = RunJournal::appendToDatabase(runner.connection(), record)) {
            Error warning = *tableError;
            warning.message = QStringLiteral("journal table: ") + warning.message;
            if (!outcome.journalWarning)
                outcome.journalWarning = warning;
        }
    }
    return outcome;
}

WriteOutcome GuardedWrite::executeFix(
    const WriteReview& review, const WriteAnswers& answers, JournalRecord record)
{
    WriteOutcome outcome;
    outcome.status = WriteOutcome::Status::Finished;
    outcome.backupPath = record.backupPath;
    FixRunner::Options options = fixOptionsFor(review.request);
    options.confirmation = answers.typedDatabaseName;
    options.backupPath = record.backupPath;
    options.cancel = &m_cancel;
    options.connected = [this](std::shared_ptr<QueryCanceller> canceller) {
        QMutexLocker lock(&m_runnerMutex);
        m_fixCanceller = std::move(canceller);
        if (m_cancel.load())
            m_fixCanceller->cancel();
    };
    Result<FixOutcome> fixed = FixRunner(m_journal).run(review.target, *review.fix, options);
    {
        QMutexLocker lock(&m_runnerMutex);
        m_fixCanceller.reset();
    }
    outcome.run.finalHeads = review.state.revisions;
    outcome.run.finalHeadsKnown = true;
    if (!fixed) {
        outcome.run.outcome = m_cancel.load() ? RunResult::Outcome::Cancelled : RunResult::Outcome::Failed;
        outcome.run.error = fixed.error();
        outcome.journaled = !review.request.dryRun;
        return outcome;
    }
    outcome.fix = fixed.value();
    outcome.journalWarning = fixed->journalError;
    outcome.journaled = !review.request.dryRun && !fixed->journalError;
    if (fixed->postconditionHeld) {
        outcome.run.outcome = RunResult::Outcome::Success;
    } else {
        outcome.run.outcome = RunResult::Outcome::Failed;
        outcome.run.error = Error::input(
            QStringLiteral("the postcondition of fix '%1' is not true: rolled back, nothing changed")
                .arg(review.fix->name),
            review.fix->filePath, review.fix->postcondition.line);
    }
    return outcome;
}

} // namespace dbops
