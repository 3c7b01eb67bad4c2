// upgrade, downgrade (rollback) and stamp: the guarded write commands.
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "catalog/SchemaAudit.h"
#include "connection/DatabaseConnection.h"
#include "database/VersionTable.h"
#include "journal/RunJournal.h"
#include "migrations/MigrationValidator.h"
#include "render/SqlScriptRenderer.h"
#include "runner/BackupRunner.h"
#include "runner/MigrationRunner.h"
#include "runner/RunGuard.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

namespace dbops::cli {

Result<std::unique_ptr<DatabaseConnection>> connectTo(CliContext& context, ConnectionTarget* targetOut);

namespace {

std::atomic<bool> g_interrupted { false };

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true); // async-signal-safe; a watcher thread does the rest
}

// Ctrl-C cancels the run: the signal handler only sets a flag, and this
// watcher turns it into a server-side cancel from an ordinary thread.  It
// polls every 50 ms, but waits on a condition variable, so the end of the run
// wakes it at once instead of costing up to one more polling interval.
class InterruptWatcher
{
public:
    explicit InterruptWatcher(MigrationRunner& runner)
        : m_thread([this, &runner] {
            std::unique_lock<std::mutex> lock(m_mutex);
            while (!m_stop) {
                if (g_interrupted.exchange(false))
                    runner.requestCancel();
                m_wake.wait_for(lock, std::chrono::milliseconds(50));
            }
        })
    {
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
    }
    ~InterruptWatcher()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_one();
        m_thread.join();
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false; // guarded by m_mutex
    std::thread m_thread; // last: starts after the members it uses
};

enum class Action
{
    Upgrade,
    Downgrade,
    Stamp
};

QString actionName(Action action)
{
    switch (action) {
    case Action::Upgrade:
        return QStringLiteral("upgrade");
    case Action::Downgrade:
        return QStringLiteral("downgrade");
    case Action::Stamp:
        return QStringLiteral("stamp");
    }
    return {};
}

QString headsText(const QStringList& heads)
{
    return heads.isEmpty() ? QStringLiteral("base") : heads.join(QStringLiteral(", "));
}

int exitCodeFor(RunResult::Outcome outcome)
{
    switch (outcome) {
    case RunResult::Outcome::Success:
        return ExitOk;
    case RunResult::Outcome::Cancelled:
        return ExitCancelled;
    case RunResult::Outcome::LockHeld:
        return ExitLockTimeout;
    case RunResult::Outcome::ConnectionLost:
        return ExitDatabaseError;
    case RunResult::Outcome::Failed:
    case RunResult::Outcome::VersionMismatch:
        return ExitRunFailed;
    }
    return ExitRunFailed;
}

QJsonObject eventJson(const RunEvent& e)
{
    static const char* const kinds[]
        = { "lock", "step-started", "statement", "step-finished", "notice", "retry", "info" };
    return QJsonObject { { QStringLiteral("event"), QLatin1String(kinds[static_cast<int>(e.kind)]) },
        { QStringLiteral("step"), e.stepIndex + 1 }, { QStringLiteral("steps"), e.stepCount },
        { QStringLiteral("revision"), e.revision }, { QStringLiteral("text"), e.text },
        { QStringLiteral("elapsed_ms"), static_cast<double>(e.elapsedMs) } };
}

int runWrite(CliContext& context, const QStringList& arguments, Action action)
{
    const QString name = actionName(action);
    QCommandLineParser parser;
    switch (action) {
    case Action::Upgrade:
        parser.setApplicationDescription(
            QStringLiteral("Upgrade the database to TARGET (default: head), guarded."));
        parser.addPositionalArgument(QStringLiteral("TARGET"),
            QStringLiteral("Revision specifier (default head)."), QStringLiteral("[TARGET]"));
        break;
    case Action::Downgrade:
        parser.setApplicationDescription(
            QStringLiteral("Roll the database back to TARGET (a revision, -N or base), guarded."));
        parser.addPositionalArgument(QStringLiteral("TARGET"), QStringLiteral("Revision specifier."));
        break;
    case Action::Stamp:
        parser.setApplicationDescription(QStringLiteral(
            "Set the version table to REV without running migrations (after a manual migration)."));
        parser.addPositionalArgument(QStringLiteral("REV"), QStringLiteral("Revision specifier."));
        break;
    }
    const QCommandLineOption sql(
        QStringLiteral("sql"), QStringLiteral("Print the SQL that would run instead of running it."));
    const QCommandLineOption transaction(QStringLiteral("transaction"),
        QStringLiteral("'all' (default) or 'per-revision'."), QStringLiteral("MODE"), QStringLiteral("all"));
    const QCommandLineOption lockTimeout(QStringLiteral("lock-timeout"),
        QStringLiteral("lock_timeout per transaction, seconds (default: profile, else 10)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption statementTimeout(QStringLiteral("statement-timeout"),
        QStringLiteral("statement_timeout, seconds (default: profile, else none)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption retries(QStringLiteral("retries"),
        QStringLiteral("Retries after a lock timeout (default 3)."), QStringLiteral("N"),
        QStringLiteral("3"));
    const QCommandLineOption lockWait(QStringLiteral("lock-wait"),
        QStringLiteral("Wait this long for another run's migration lock (default: fail at once)."),
        QStringLiteral("SECONDS"), QStringLiteral("0"));
    const QCommandLineOption confirm(QStringLiteral("confirm"),
        QStringLiteral("The database name, required on production profiles."), QStringLiteral("DBNAME"));
    const QCommandLineOption backup(QStringLiteral("backup"),
        QStringLiteral("pg_dump -Fc into DIR first; stop if it fails."), QStringLiteral("DIR"));
    const QCommandLineOption json(
        QStringLiteral("json"), QStringLiteral("Progress as JSON lines on stdout."));
    const QCommandLineOption versionTable(QStringLiteral("version-table"),
        QStringLiteral("Version table (default: profile, else alembic_version)."), QStringLiteral("NAME"));
    parser.addOptions({ sql, transaction, lockTimeout, statementTimeout, retries, lockWait, confirm, backup,
        json, versionTable });
    const QCommandLineOption force(
        QStringLiteral("force"), QStringLiteral("Stamp even though the audit finds objects MISSING."));
    const QCommandLineOption reason(QStringLiteral("reason"),
        QStringLiteral("Why --force is needed (journaled)."), QStringLiteral("TEXT"));
    const QCommandLineOption shadow(QStringLiteral("shadow"),
        QStringLiteral("Server for the audit's throwaway replay when the stamp target is not head."),
        QStringLiteral("URL"));
    if (action == Action::Stamp)
        parser.addOptions({ force, reason, shadow });
    if (auto code = context.parse(parser, arguments, name))
        return *code;

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1 || (action != Action::Upgrade && positional.isEmpty()))
        return context.fail(Error::usage(
            QStringLiteral("usage: dbops %1 %2")
                .arg(name,
                    action == Action::Upgrade ? QStringLiteral("[TARGET]") : QStringLiteral("TARGET"))));
    const QString targetSpec = positional.isEmpty() ? QStringLiteral("head") : positional.constFirst();

    Result<TransactionMode> mode = SqlScriptRenderer::parseTransactionMode(parser.value(transaction));
    if (!mode)
        return context.fail(mode.error());
    bool numbersOk = true;
    auto number = [&](const QCommandLineOption& option, int fallback) {
        if (!parser.isSet(option))
            return fallback;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value < 0) {
            numbersOk = false;
            context.err() << "dbops " << name << ": --" << option.names().constFirst()
                          << " needs a whole number >= 0" << Qt::endl;
        }
        return value;
    };

    // The graph first (the target's version table may come from an Alembic
    // project); the SQL is split below while the connection opens.
    if (!context.repository())
        return ExitBadInput;
    Result<ConnectionTarget> target = context.target();
    if (!target)
        return context.fail(target.error());
    if (parser.isSet(versionTable))
        target.value().versionTable = parser.value(versionTable);
    if (!SqlScriptRenderer::isValidVersionTable(target->versionTable))
        return context.fail(Error::usage(QStringLiteral("bad version table '%1'").arg(target->versionTable)));

    RunOptions runOptions;
    runOptions.versionTable = target->versionTable;
    runOptions.retries = number(retries, 3);
    runOptions.lockWaitSeconds = number(lockWait, 0);
    SqlScriptRenderer::Options renderOptions;
    renderOptions.transactionMode = *mode;
    renderOptions.versionTable = target->versionTable;
    renderOptions.lockTimeoutMs
        = number(lockTimeout, target->profile ? target->profile->lockTimeoutSeconds : 10) * 1000;
    renderOptions.statementTimeoutMs
        = number(statementTimeout, target->profile ? target->profile->statementTimeoutSeconds : 0) * 1000;
    if (!numbersOk)
        return ExitBadInput;

    // Guards come before any connection that could write.
    if (!parser.isSet(sql)) {
        if (auto refused = RunGuard::checkWriteAllowed(*target, name, parser.value(confirm)))
            return context.fail(*refused);
    }

    std::optional<Result<std::unique_ptr<DatabaseConnection>>> opened;
    const MigrationRepository* repository = context.repositoryWithSql(
        [&opened, &target] { opened.emplace(DatabaseConnection::open(target->settings)); });
    if (!repository)
        return ExitBadInput;
    const RevisionGraph& graph = repository->graph();
    if (!*opened)
        return context.fail(opened->error());
    DatabaseConnection& connection = *opened->value();
    Result<VersionState> state = VersionTable::read(connection, target->versionTable);
    if (!state)
        return context.fail(state.error());
    for (const QString& id : std::as_const(state->revisions)) {
        if (!graph.contains(id))
            return context.fail(
                Error::input(QStringLiteral("the database is at revision %1, which the migration repository "
                                            "%2 does not know; nothing was run")
                                 .arg(id, repository->directory())));
    }
    renderOptions.createVersionTable = !state->tableExists;

    MigrationPlan plan;
    RenderedScript script;
    if (action == Action::Stamp) {
        Result<QStringList> stampTo = graph.resolve(targetSpec, state->revisions);
        if (!stampTo)
            return context.fail(stampTo.error());
        plan.upgrade = true;
        plan.startHeads = state->revisions;
        plan.endHeads = *stampTo;
        script
            = SqlScriptRenderer::renderStamp(state->revisions, state->tableExists, *stampTo, renderOptions);
        if (!parser.isSet(sql) && !stampTo->isEmpty()) {
            // Stamping claims the schema is at the target: check that first.
            if (parser.isSet(force) && parser.value(reason).trimmed().isEmpty())
                return context.fail(Error::usage(
                    QStringLiteral("--force needs --reason \"why\" (it goes into the journal)")));
            QStringList heads = graph.heads();
            QStringList wanted = *stampTo;
            heads.sort();
            wanted.sort();
            const QString auditTarget = stampTo->size() == 1
                ? stampTo->constFirst()
                : (wanted == heads ? QStringLiteral("heads") : QString());
            if (auditTarget.isEmpty())
                return context.fail(Error::usage(
                    QStringLiteral("stamp to several revisions that are not the heads is not supported")));
            context.err() << "Auditing the schema against " << auditTarget << " before stamping ..."
                          << Qt::endl;
            Result<CatalogSnapshot> expected
                = SchemaAudit::expectedAt(*repository, auditTarget, *target, parser.value(shadow));
            if (!expected)
                return context.fail(expected.error());
            Result<AuditReport> report = SchemaAudit::compare(connection, *expected, target->versionTable);
            if (!report)
                return context.fail(report.error());
            const QStringList missing = SchemaAudit::missingObjects(*report);
            if (!missing.isEmpty()) {
                context.err() << "The audit finds " << missing.size() << " object(s) MISSING at "
                              << auditTarget << ":\n";
                for (const QString& m : missing.mid(0, 20))
                    context.err() << "  MISSING " << m << '\n';
                if (missing.size() > 20)
                    context.err() << "  ... " << missing.size() - 20 << " more\n";
                if (!parser.isSet(force))
                    return context.fail(
                        Error::usage(QStringLiteral("stamp refused: the database does not have what %1 "
                                                    "creates; run 'dbops upgrade' instead, "
                                                    "or stamp anyway with --force --reason \"...\"")
                                         .arg(auditTarget)));
                context.err() << "Stamping anyway (--force): " << parser.value(reason) << Qt::endl;
            }
        }
    } else {
        Result<MigrationPlan> planned = action == Action::Upgrade
            ? graph.upgradePlan(state->revisions, targetSpec)
            : graph.downgradePlan(state->revisions, targetSpec);
        if (!planned)
            return context.fail(planned.error());
        plan = planned.value();
        RevisionList revisions;
        for (const MigrationStep& step : std::as_const(plan.steps))
            revisions.append(graph.revision(step.revision));
        const ErrorList problems = MigrationValidator::validate(revisions);
        if (!problems.isEmpty())
            return context.fail(problems);
        script = SqlScriptRenderer::render(plan, graph, renderOptions);
    }

    const QString scriptText = script.text();
    if (parser.isSet(sql)) {
        context.out() << scriptText;
        context.out().flush();
        return ExitOk;
    }
    if (action != Action::Stamp && plan.steps.isEmpty()) {
        context.err() << "Nothing to do: the database is at " << headsText(state->revisions) << "."
                      << Qt::endl;
        return ExitOk;
    }

    JournalRecord record;
    record.startedAt = QDateTime::currentDateTime();
    record.action = action == Action::Stamp && parser.isSet(force)
        ? QStringLiteral("stamp (forced: %1)").arg(parser.value(reason))
        : name;
    record.osUser = RunJournal::currentOsUser();
    record.profile = target->profile ? target->profile->name : QString();
    record.target = target->settings.describe();
    record.fromRevisions = state->revisions;
    record.toRevisions = plan.endHeads;
    record.transactionMode = parser.value(transaction);
    record.sqlSha256 = QString::fromLatin1(
        QCryptographicHash::hash(scriptText.toUtf8(), QCryptographicHash::Sha256).toHex());
    const ServerInfo server = connection.serverInfo();
    record.databaseUser = server.user;

    if (parser.isSet(backup)) {
        context.err() << "Backing up " << target->settings.describe() << " with pg_dump ..." << Qt::endl;
        Result<QString> dump
            = BackupRunner::run(target->settings, parser.value(backup), server.versionNumber);
        if (!dump)
            return context.fail(dump.error());
        record.backupPath = dump.value();
        context.err() << "Backup: " << dump.value() << Qt::endl;
    }

    const bool jsonEvents = parser.isSet(json);
    context.err() << name << " " << target->describe() << ": " << headsText(state->revisions) << " -> "
                  << headsText(plan.endHeads) << " (" << plan.steps.size() << " revision(s), transaction "
                  << parser.value(transaction) << ")" << Qt::endl;
    MigrationRunner runner(connection, runOptions);
    runner.setProgressHandler([&](const RunEvent& e) {
        if (jsonEvents) {
            context.out() << QString::fromUtf8(QJsonDocument(eventJson(e)).toJson(QJsonDocument::Compact))
                          << Qt::endl;
            return;
        }
        QTextStream& err = context.err();
        const QString seconds = QString::number(e.elapsedMs / 1000.0, 'f', 2) + QStringLiteral(" s");
        switch (e.kind) {
        case RunEvent::Kind::StepStarted:
            err << "[" << e.stepIndex + 1 << "/" << e.stepCount << "] " << e.revision << " "
                << graph.revision(e.revision).message << "  (" << seconds << ")" << Qt::endl;
            break;
        case RunEvent::Kind::Notice:
        case RunEvent::Kind::Retry:
            err << "  " << e.text << Qt::endl;
            break;
        default:
            break;
        }
    });
    RunResult result;
    {
        InterruptWatcher watcher(runner);
        result = runner.run(plan, script);
    }
    record.finishedAt = QDateTime::currentDateTime();
    record.steps = result.steps;
    record.outcome = RunResult::outcomeName(result.outcome);
    record.error = result.ok() ? QString() : target->settings.redact(result.error.toString());
    if (auto journalError = RunJournal().append(record))
        context.err() << "dbops: warning: " << journalError->toString() << Qt::endl;
    if (target->profile && target->profile->journalInDatabase && result.finalHeadsKnown) {
        if (auto dbJournalError = RunJournal::appendToDatabase(runner.connection(), record))
            context.err() << "dbops: warning: journal table: " << dbJournalError->toString() << Qt::endl;
    }

    if (jsonEvents) {
        context.out() << QString::fromUtf8(
            QJsonDocument(QJsonObject {
                              { QStringLiteral("event"), QStringLiteral("finished") },
                              { QStringLiteral("outcome"), record.outcome },
                              { QStringLiteral("error"), record.error },
                              { QStringLiteral("heads"), QJsonArray::fromStringList(result.finalHeads) },
                          })
                .toJson(QJsonDocument::Compact))
                      << Qt::endl;
    }
    if (!result.ok()) {
        context.fail(result.error);
        return exitCodeFor(result.outcome);
    }
    context.err() << "Done in " << QString::number(result.elapsedMs / 1000.0, 'f', 2)
                  << " s: the database is at " << headsText(result.finalHeads) << "." << Qt::endl;
    return ExitOk;
}

} // namespace

int runUpgrade(CliContext& context, const QStringList& arguments)
{
    return runWrite(context, arguments, Action::Upgrade);
}

int runDowngrade(CliContext& context, const QStringList& arguments)
{
    return runWrite(context, arguments, Action::Downgrade);
}

int runStamp(CliContext& context, const QStringList& arguments)
{
    return runWrite(context, arguments, Action::Stamp);
}

} // namespace dbops::cli
