// upgrade, downgrade (rollback), stamp and fix: the guarded writes.  Every
// rule that decides whether a write may run lives in GuardedWrite (core); this
// file turns flags into a request and answers, and prints what comes back.
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "InterruptWatcher.h"
#include "connection/DatabaseConnection.h"
#include "guarded/GuardedWrite.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace dbops::cli {

namespace {

QJsonObject eventJson(const RunEvent& e)
{
    static const char* const kinds[]
        = { "lock", "step-started", "statement", "step-finished", "notice", "retry", "info" };
    return QJsonObject { { QStringLiteral("event"), QLatin1String(kinds[static_cast<int>(e.kind)]) },
        { QStringLiteral("step"), e.stepIndex + 1 }, { QStringLiteral("steps"), e.stepCount },
        { QStringLiteral("revision"), e.revision }, { QStringLiteral("text"), e.text },
        { QStringLiteral("elapsed_ms"), static_cast<double>(e.elapsedMs) } };
}

QString rowsText(const AffectedObject& object)
{
    if (!object.exists)
        return QStringLiteral("not in the database");
    if (object.rows < 0)
        return QStringLiteral("rows unknown");
    const QString count = QString::number(object.rows);
    const QString noun = object.column.isEmpty() ? QStringLiteral("rows") : QStringLiteral("values");
    return (object.rowsEstimated ? QStringLiteral("about ") : QString()) + count + QLatin1Char(' ') + noun;
}

/// What the command line says about a write, beside the target.
struct WriteFlags
{
    bool printSql = false;
    bool json = false;
};

int printFixOutcome(CliContext& context, const WriteReview& review, const WriteOutcome& outcome)
{
    QTextStream& out = context.out();
    const FixDefinition& fix = *review.fix;
    out << "Fix:      " << fix.name
        << (fix.description.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(fix.description)) << '\n'
        << "Database: " << outcome.fix->target << '\n';
    for (const FixStatementResult& s : outcome.fix->statements) {
        const QString rows = s.rowsAffected < 0 ? QStringLiteral("done")
            : s.rowsAffected == 1               ? QStringLiteral("1 row")
                                                : QStringLiteral("%1 rows").arg(s.rowsAffected);
        out << "  fixes/" << QFileInfo(fix.filePath).fileName() << ':' << s.line << "  " << s.description
            << ": " << rows << "  " << s.summary << '\n';
    }
    if (!outcome.fix->postconditionHeld) {
        out.flush();
        return ExitCheckFailed;
    }
    out << "Postcondition (fixes/" << QFileInfo(fix.filePath).fileName() << ':' << fix.postcondition.line
        << "): true\n";
    if (outcome.fix->dryRun)
        out << "Dry run: rolled back, nothing changed.\n";
    else
        out << "Committed. Journal: " << RunJournal().filePath() << '\n';
    out.flush();
    return ExitOk;
}

int runGuarded(
    CliContext& context, const WriteRequest& request, const WriteAnswers& answers, WriteFlags flags)
{
    const QString name = writeActionName(request.action);
    const MigrationRepository* graphOnly = context.repository();
    if (!graphOnly)
        return ExitBadInput;
    Result<ConnectionTarget> target = context.target();
    if (!target)
        return context.fail(target.error());
    if (target->profile) {
        const QStringList warnings = target->profile->warnings();
        for (const QString& warning : warnings)
            context.err() << "dbops: warning: " << warning << '\n';
        context.err().flush();
    }

    // Refused before any connection is opened (and for --sql too: a
    // read-only profile has no run to preview).
    if (const ErrorList refused = GuardedWrite::refusalsBeforeConnecting(*target, request);
        !refused.isEmpty())
        return context.fail(refused);

    // The SQL is split on another thread while the connection opens; a fix
    // needs no migration SQL.
    std::optional<Result<std::unique_ptr<DatabaseConnection>>> opened;
    const auto open = [&opened, &target] { opened.emplace(DatabaseConnection::open(target->settings)); };
    const MigrationRepository* repository = graphOnly;
    if (request.action == WriteAction::Fix)
        open();
    else if (!(repository = context.repositoryWithSql(open)))
        return ExitBadInput;
    if (!*opened)
        return context.fail(opened->error());
    DatabaseConnection& connection = *opened->value();

    if (request.action == WriteAction::Stamp && !flags.printSql && !target->isReadOnly())
        context.err() << "Auditing the schema before stamping ..." << Qt::endl;
    Result<WriteReview> reviewed = GuardedWrite::review(connection, *repository, *target, request);
    if (!reviewed)
        return context.fail(reviewed.error());
    const WriteReview& review = reviewed.value();
    if (request.action == WriteAction::Upgrade && !review.rehearsal.text.isEmpty())
        context.err() << "Rehearsal: " << review.rehearsal.text << Qt::endl;

    if (flags.printSql) {
        if (!review.problems.isEmpty())
            return context.fail(review.problems);
        context.out() << review.script.text();
        context.out().flush();
        return ExitOk;
    }
    if (!review.missingObjects.isEmpty()) {
        context.err() << "The audit finds " << review.missingObjects.size() << " object(s) MISSING at "
                      << review.auditTarget << ":\n";
        for (const QString& m : review.missingObjects.mid(0, 20))
            context.err() << "  MISSING " << m << '\n';
        if (review.missingObjects.size() > 20)
            context.err() << "  ... " << review.missingObjects.size() - 20 << " more\n";
        context.err().flush();
    }
    if (review.problems.isEmpty() && review.dropsData()) {
        context.err() << "The " << review.actionName << " drops:\n";
        for (const AffectedObject& object : review.dropped) {
            if (object.removesData)
                context.err() << "  " << object.description << "  (" << rowsText(object) << ", revision "
                              << object.revision << ")\n";
        }
        context.err().flush();
    }
    const ErrorList refused = GuardedWrite::refusals(review, answers);
    if (!refused.isEmpty())
        return context.fail(refused);
    if (review.nothingToDo) {
        if (request.action == WriteAction::Recover)
            context.err() << "Nothing to do: " << review.toText << "." << Qt::endl;
        else
            context.err() << "Nothing to do: the database is at " << review.fromText << "." << Qt::endl;
        return ExitOk;
    }
    if (review.needsOverride())
        context.err() << "Stamping anyway (--force): " << answers.overrideReason << Qt::endl;
    if (const QList<LockSession> blockers = review.blockers(); !blockers.isEmpty()) {
        context.err() << "Running although " << blockers.size()
                      << " session(s) hold or wait for locks it needs (--ignore-blockers):\n";
        for (const LockSession& session : blockers)
            context.err() << "  " << session.describe() << '\n';
        context.err().flush();
    }

    const RevisionGraph& graph = repository->graph();
    if (request.action == WriteAction::Recover)
        context.err() << review.actionName << " " << target->describe() << ": " << review.toText << Qt::endl;
    else if (request.action != WriteAction::Fix)
        context.err() << name << " " << target->describe() << ": " << review.fromText << " -> "
                      << review.toText << " (" << review.plan.steps.size() << " revision(s), transaction "
                      << (request.transactionMode == TransactionMode::PerRevision ? "per-revision" : "all")
                      << ")" << Qt::endl;
    GuardedWrite write;
    write.setProgressHandler([&](const RunEvent& e) {
        if (flags.json) {
            context.out() << QString::fromUtf8(QJsonDocument(eventJson(e)).toJson(QJsonDocument::Compact))
                          << Qt::endl;
            return;
        }
        QTextStream& err = context.err();
        const QString seconds = QString::number(e.elapsedMs / 1000.0, 'f', 2) + QStringLiteral(" s");
        switch (e.kind) {
        case RunEvent::Kind::StepStarted:
            err << "[" << e.stepIndex + 1 << "/" << e.stepCount << "] " << e.revision << " "
                << (graph.contains(e.revision) ? graph.revision(e.revision).message : QString()) << "  ("
                << seconds << ")" << Qt::endl;
            break;
        case RunEvent::Kind::Notice:
        case RunEvent::Kind::Retry:
        case RunEvent::Kind::Info:
            err << "  " << e.text << Qt::endl;
            break;
        default:
            break;
        }
    });
    WriteOutcome outcome;
    QString signalName;
    {
        // Ctrl-C, SIGTERM and SIGHUP cancel the backup or the run (server
        // side) and the state is reported below, exit 5.
        InterruptWatcher watcher([&write] { write.requestCancel(); });
        outcome = write.execute(connection, *repository, review, answers);
        signalName = watcher.signalName();
    }
    if (outcome.status == WriteOutcome::Status::Refused)
        return context.fail(outcome.refusals);
    if (outcome.journalWarning)
        context.err() << "dbops: warning: the run journal was not written: "
                      << outcome.journalWarning->toString() << Qt::endl;

    if (flags.json) {
        context.out() << QString::fromUtf8(QJsonDocument(
            QJsonObject {
                { QStringLiteral("event"), QStringLiteral("finished") },
                { QStringLiteral("outcome"), RunResult::outcomeName(outcome.run.outcome) },
                { QStringLiteral("error"),
                    outcome.run.ok() ? QString() : target->settings.redact(outcome.run.error.toString()) },
                { QStringLiteral("heads"), QJsonArray::fromStringList(outcome.run.finalHeads) },
            })
                                               .toJson(QJsonDocument::Compact))
                      << Qt::endl;
    }
    if (outcome.fix && (outcome.run.ok() || !outcome.fix->postconditionHeld)) {
        const int code = printFixOutcome(context, review, outcome);
        if (code != ExitOk)
            context.err() << "dbops: error: " << outcome.run.error.toString() << Qt::endl;
        return code;
    }
    if (!outcome.run.ok()) {
        if (!signalName.isEmpty())
            context.err() << "dbops: interrupted by " << signalName << Qt::endl;
        context.err() << "dbops: error: " << target->settings.redact(outcome.run.error.toString())
                      << Qt::endl;
        if (!outcome.run.finalHeadsKnown)
            context.err() << "dbops: hint: check the database's state with 'dbops current' before doing "
                             "anything else"
                          << Qt::endl;
        return GuardedWrite::exitCode(outcome);
    }
    context.err() << "Done in " << QString::number(outcome.run.elapsedMs / 1000.0, 'f', 2)
                  << " s: the database is at "
                  << (outcome.run.finalHeads.isEmpty() ? QStringLiteral("base")
                                                       : outcome.run.finalHeads.join(QStringLiteral(", ")))
                  << "." << Qt::endl;
    return ExitOk;
}

/// The options upgrade, downgrade, stamp and fix share.
struct RunOptionSet
{
    QCommandLineOption sql { QStringLiteral("sql"),
        QStringLiteral("Print the SQL that would run instead of running it.") };
    QCommandLineOption transaction { QStringLiteral("transaction"),
        QStringLiteral("'all' (default) or 'per-revision'."), QStringLiteral("MODE"), QStringLiteral("all") };
    QCommandLineOption lockTimeout { QStringLiteral("lock-timeout"),
        QStringLiteral("lock_timeout per transaction, seconds (default: profile, else 10)."),
        QStringLiteral("SECONDS") };
    QCommandLineOption statementTimeout { QStringLiteral("statement-timeout"),
        QStringLiteral("statement_timeout, seconds (default: profile, else none)."),
        QStringLiteral("SECONDS") };
    QCommandLineOption retries { QStringLiteral("retries"),
        QStringLiteral("Retries after a lock timeout (default 3)."), QStringLiteral("N"),
        QStringLiteral("3") };
    QCommandLineOption lockWait { QStringLiteral("lock-wait"),
        QStringLiteral("Wait this long for another run's migration lock (default: fail at once)."),
        QStringLiteral("SECONDS"), QStringLiteral("0") };
    QCommandLineOption confirm { QStringLiteral("confirm"),
        QStringLiteral("The database name, required on production profiles."), QStringLiteral("DBNAME") };
    QCommandLineOption backup { QStringLiteral("backup"),
        QStringLiteral("pg_dump -Fc into DIR first; stop if it fails."), QStringLiteral("DIR") };
    QCommandLineOption json { QStringLiteral("json"), QStringLiteral("Progress as JSON lines on stdout.") };
    QCommandLineOption versionTable { QStringLiteral("version-table"),
        QStringLiteral("Version table (default: profile, else the repository's, else alembic_version)."),
        QStringLiteral("NAME") };
    QCommandLineOption acceptDataLoss { QStringLiteral("accept-data-loss"),
        QStringLiteral("Production: I have read the tables and columns this drops, with their rows.") };
    QCommandLineOption force { QStringLiteral("force"),
        QStringLiteral("Stamp even though the audit finds objects MISSING.") };
    QCommandLineOption reason { QStringLiteral("reason"),
        QStringLiteral("Why --force (stamp) or --accept-changed is needed (recorded)."),
        QStringLiteral("TEXT") };
    QCommandLineOption acceptChanged { QStringLiteral("accept-changed"),
        QStringLiteral(
            "Run although applied revision REV's file changed since it was applied (dbops verify); "
            "needs --reason; its new checksum is recorded after the run (repeatable)."),
        QStringLiteral("REV") };
    QCommandLineOption shadow { QStringLiteral("shadow"),
        QStringLiteral("Server for the audit's throwaway replay when the stamp target is not head."),
        QStringLiteral("URL") };
    QCommandLineOption ignoreBlockers { QStringLiteral("ignore-blockers"),
        QStringLiteral("Run although other sessions hold or wait for locks the SQL needs (it then waits up "
                       "to the lock timeout per try).") };
    QCommandLineOption dryRun { QStringLiteral("dry-run"),
        QStringLiteral("Run the fix and its postcondition, report, then roll back (not journaled).") };
};

/// Reads the flags into a request and answers; std::nullopt after printing a usage error.
/// Whether a write runs migrations (and so has a transaction mode and --accept-changed).
bool runsMigrations(WriteAction action)
{
    return action != WriteAction::Fix && action != WriteAction::Recover;
}

/// Whether a write may drop tables or columns holding data.
bool mayDropData(WriteAction action)
{
    return action == WriteAction::Upgrade || action == WriteAction::Downgrade
        || action == WriteAction::Recover;
}

std::optional<int> readRunFlags(CliContext& context, const QCommandLineParser& parser, const RunOptionSet& o,
    WriteRequest& request, WriteAnswers& answers)
{
    if (runsMigrations(request.action)) {
        Result<TransactionMode> mode = SqlScriptRenderer::parseTransactionMode(parser.value(o.transaction));
        if (!mode)
            return context.fail(mode.error());
        request.transactionMode = *mode;
    }
    bool numbersOk = true;
    auto number = [&](const QCommandLineOption& option, int fallback) {
        if (!parser.isSet(option))
            return fallback;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value < 0) {
            numbersOk = false;
            context.err() << "dbops: --" << option.names().constFirst() << " needs a whole number >= 0"
                          << Qt::endl;
        }
        return value;
    };
    request.lockTimeoutSeconds = number(o.lockTimeout, -1);
    request.statementTimeoutSeconds = number(o.statementTimeout, -1);
    if (request.action != WriteAction::Fix) {
        request.retries = number(o.retries, 3);
        request.lockWaitSeconds = number(o.lockWait, 0);
    }
    if (!numbersOk)
        return ExitBadInput;
    if (parser.isSet(o.backup) && parser.value(o.backup).trimmed().isEmpty())
        return context.fail(Error::usage(QStringLiteral("--backup needs a folder")));
    request.backupDirectory = parser.value(o.backup);
    answers.typedDatabaseName = parser.value(o.confirm);
    if (mayDropData(request.action))
        answers.dataLossAccepted = parser.isSet(o.acceptDataLoss);
    if (request.action != WriteAction::Stamp)
        answers.ignoreBlockers = parser.isSet(o.ignoreBlockers);
    return std::nullopt;
}

/// `fixedTarget`: the target a command names itself (a recovery step), not a positional argument.
int runWrite(
    CliContext& context, const QStringList& arguments, WriteAction action, const QString& fixedTarget = {})
{
    const QString name = writeActionName(action);
    QCommandLineParser parser;
    QStringList args = arguments;
    switch (action) {
    case WriteAction::Upgrade:
        parser.setApplicationDescription(
            QStringLiteral("Upgrade the database to TARGET (default: head), guarded."));
        parser.addPositionalArgument(QStringLiteral("TARGET"),
            QStringLiteral("Revision specifier (default head)."), QStringLiteral("[TARGET]"));
        break;
    case WriteAction::Downgrade:
        parser.setApplicationDescription(QStringLiteral(
            "Roll the database back to TARGET (a revision, -N or base), guarded. On production "
            "profiles, a rollback that drops tables or columns holding data also needs "
            "--accept-data-loss."));
        parser.addPositionalArgument(QStringLiteral("TARGET"), QStringLiteral("Revision specifier."));
        break;
    case WriteAction::Stamp:
        parser.setApplicationDescription(QStringLiteral(
            "Set the version table to REV without running migrations (after a manual migration)."));
        parser.addPositionalArgument(QStringLiteral("REV"), QStringLiteral("Revision specifier."));
        break;
    case WriteAction::Fix:
        parser.setApplicationDescription(QStringLiteral(
            "Run a data fix of migrations/fixes/: its change and postcondition in one transaction, committed "
            "only when the postcondition holds. Read-only profiles refuse; production profiles need "
            "--confirm DBNAME."));
        parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The fix to run."));
        break;
    case WriteAction::Recover:
        parser.setApplicationDescription(QStringLiteral(
            "Recovery step after a failed run (see dbops recover): --rollback-partial drops the objects of "
            "the partial revision that exist, in one transaction; --rebuild-index NAME drops and rebuilds an "
            "INVALID index concurrently.  The version table does not move.  Guarded like every write."));
        break;
    }
    // A relative specifier such as -1 or -2 reads as an option to
    // QCommandLineParser: take it out before parsing.
    QString relative;
    for (int i = 1; i < args.size(); ++i) {
        static const QRegularExpression relativeSpec(QStringLiteral("^-\\d+$"));
        if (relativeSpec.match(args.at(i)).hasMatch()) {
            relative = args.takeAt(i);
            break;
        }
    }
    const RunOptionSet o;
    parser.addOptions({ o.sql, o.lockTimeout, o.statementTimeout, o.confirm, o.backup, o.json });
    if (runsMigrations(action))
        parser.addOption(o.transaction);
    if (action != WriteAction::Fix)
        parser.addOptions({ o.retries, o.lockWait, o.versionTable });
    if (mayDropData(action))
        parser.addOption(o.acceptDataLoss);
    if (action != WriteAction::Stamp)
        parser.addOption(o.ignoreBlockers);
    if (action == WriteAction::Stamp)
        parser.addOptions({ o.force, o.reason, o.shadow });
    if (runsMigrations(action))
        parser.addOption(o.acceptChanged);
    if (action == WriteAction::Upgrade || action == WriteAction::Downgrade)
        parser.addOption(o.reason);
    if (action == WriteAction::Fix)
        parser.addOption(o.dryRun);
    if (auto code = context.parse(parser, args, name))
        return *code;

    QStringList positional = parser.positionalArguments();
    if (!relative.isEmpty())
        positional.append(relative);
    if (!fixedTarget.isEmpty()) {
        if (!positional.isEmpty())
            return context.fail(
                Error::usage(QStringLiteral("unexpected argument '%1'").arg(positional.constFirst())));
        positional.append(fixedTarget);
    }
    if (positional.size() > 1 || (action != WriteAction::Upgrade && positional.isEmpty())) {
        const QString what = action == WriteAction::Upgrade ? QStringLiteral("[TARGET]")
            : action == WriteAction::Fix                    ? QStringLiteral("NAME")
                                                            : QStringLiteral("TARGET");
        return context.fail(Error::usage(QStringLiteral("usage: dbops %1 %2").arg(name, what)));
    }

    WriteRequest request;
    WriteAnswers answers;
    request.action = action;
    request.target = positional.isEmpty() ? QStringLiteral("head") : positional.constFirst();
    if (auto code = readRunFlags(context, parser, o, request, answers))
        return *code;
    if (action == WriteAction::Stamp) {
        answers.force = parser.isSet(o.force);
        answers.overrideReason = parser.value(o.reason);
        if (answers.force && answers.overrideReason.trimmed().isEmpty())
            return context.fail(
                Error::usage(QStringLiteral("--force needs --reason \"why\" (it goes into the journal)")));
        request.shadowUrl = parser.value(o.shadow);
    }
    if (runsMigrations(action) && parser.isSet(o.acceptChanged)) {
        const QString reason = parser.value(o.reason).trimmed();
        if (reason.isEmpty())
            return context.fail(Error::usage(QStringLiteral(
                "--accept-changed needs --reason \"why\" (it is recorded with the new checksum)")));
        for (const QString& revision : parser.values(o.acceptChanged))
            request.acceptedChanges.append({ revision, reason });
    }
    if (action == WriteAction::Fix)
        request.dryRun = parser.isSet(o.dryRun);
    if (action != WriteAction::Fix && parser.isSet(o.versionTable))
        context.versionTableOverride = parser.value(o.versionTable);
    WriteFlags flags;
    flags.printSql = parser.isSet(o.sql);
    flags.json = parser.isSet(o.json);
    return runGuarded(context, request, answers, flags);
}

} // namespace

int runUpgrade(CliContext& context, const QStringList& arguments)
{
    return runWrite(context, arguments, WriteAction::Upgrade);
}

int runDowngrade(CliContext& context, const QStringList& arguments)
{
    return runWrite(context, arguments, WriteAction::Downgrade);
}

int runStamp(CliContext& context, const QStringList& arguments)
{
    return runWrite(context, arguments, WriteAction::Stamp);
}

int runFix(CliContext& context, const QStringList& arguments)
{
    return runWrite(context, arguments, WriteAction::Fix);
}

int runRecoveryStep(CliContext& context, const QStringList& arguments, const RecoveryStep& step)
{
    return runWrite(context, arguments, WriteAction::Recover, step.target());
}

} // namespace dbops::cli
