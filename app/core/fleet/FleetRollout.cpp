#include "fleet/FleetRollout.h"

#include "common/ExitCode.h"
#include "connection/DatabaseConnection.h"
#include "guarded/GuardedWrite.h"
#include "migrations/MigrationRepository.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QMutexLocker>
#include <algorithm>
#include <thread>

namespace dbops {

namespace {

ConnectionSettings withConnectTimeout(ConnectionSettings settings, int seconds)
{
    const int own = settings.value(QStringLiteral("connect_timeout")).toInt();
    settings.setValue(QStringLiteral("connect_timeout"),
        QString::number(std::max(1, own > 0 ? std::min(own, seconds) : seconds)));
    return settings;
}

QString joinedErrors(const ErrorList& errors)
{
    QStringList texts;
    for (const Error& error : errors)
        texts.append(error.toString());
    return texts.join(QStringLiteral("; "));
}

bool isFailure(FleetRolloutEntry::Outcome outcome)
{
    return outcome == FleetRolloutEntry::Outcome::Failed || outcome == FleetRolloutEntry::Outcome::Refused
        || outcome == FleetRolloutEntry::Outcome::Unreachable;
}

} // namespace

QString rolloutOutcomeName(FleetRolloutEntry::Outcome outcome)
{
    switch (outcome) {
    case FleetRolloutEntry::Outcome::Upgraded:
        return QStringLiteral("upgraded");
    case FleetRolloutEntry::Outcome::NothingToDo:
        return QStringLiteral("nothing to do");
    case FleetRolloutEntry::Outcome::Failed:
        return QStringLiteral("failed");
    case FleetRolloutEntry::Outcome::Refused:
        return QStringLiteral("refused");
    case FleetRolloutEntry::Outcome::Unreachable:
        return QStringLiteral("unreachable");
    case FleetRolloutEntry::Outcome::NotStarted:
        return QStringLiteral("not started");
    }
    return QString();
}

int FleetRolloutReport::count(FleetRolloutEntry::Outcome outcome) const
{
    return static_cast<int>(std::count_if(entries.cbegin(), entries.cend(),
        [outcome](const FleetRolloutEntry& e) { return e.outcome == outcome; }));
}

QString FleetRolloutReport::summaryText() const
{
    QStringList counts;
    for (auto outcome : { FleetRolloutEntry::Outcome::Upgraded, FleetRolloutEntry::Outcome::NothingToDo,
             FleetRolloutEntry::Outcome::Failed, FleetRolloutEntry::Outcome::Refused,
             FleetRolloutEntry::Outcome::Unreachable, FleetRolloutEntry::Outcome::NotStarted }) {
        if (const int n = count(outcome))
            counts.append(QStringLiteral("%1 %2").arg(n).arg(rolloutOutcomeName(outcome)));
    }
    return counts.join(QStringLiteral(", "));
}

bool FleetRolloutReport::ok() const
{
    return std::all_of(entries.cbegin(), entries.cend(), [](const FleetRolloutEntry& e) {
        return e.outcome == FleetRolloutEntry::Outcome::Upgraded
            || e.outcome == FleetRolloutEntry::Outcome::NothingToDo;
    });
}

int FleetRolloutReport::exitCode() const
{
    for (const FleetRolloutEntry& entry : entries) {
        if (isFailure(entry.outcome))
            return entry.exitCode != ExitOk ? entry.exitCode : ExitRunFailed;
    }
    return ok() ? ExitOk : ExitRunFailed;
}

QJsonObject FleetRolloutReport::toJson() const
{
    QJsonArray databases;
    QJsonObject summary;
    for (const FleetRolloutEntry& e : entries) {
        databases.append(QJsonObject { { QStringLiteral("name"), e.name },
            { QStringLiteral("origin"), e.origin }, { QStringLiteral("where"), e.where },
            { QStringLiteral("production"), e.production }, { QStringLiteral("batch"), e.batch },
            { QStringLiteral("outcome"), rolloutOutcomeName(e.outcome) },
            { QStringLiteral("before"), QJsonArray::fromStringList(e.before) },
            { QStringLiteral("after"), QJsonArray::fromStringList(e.after) },
            { QStringLiteral("error"), e.error.isEmpty() ? QJsonValue() : QJsonValue(e.error) },
            { QStringLiteral("exit_code"), e.exitCode },
            { QStringLiteral("milliseconds"), e.milliseconds } });
        const QString key = rolloutOutcomeName(e.outcome);
        summary.insert(key, summary.value(key).toInt() + 1);
    }
    return QJsonObject { { QStringLiteral("fleet"), fleet }, { QStringLiteral("target"), target },
        { QStringLiteral("started_at"), startedAt.toString(Qt::ISODateWithMs) },
        { QStringLiteral("finished_at"), finishedAt.toString(Qt::ISODateWithMs) },
        { QStringLiteral("stopped"), stopped },
        { QStringLiteral("stopped_because"),
            stoppedBecause.isEmpty() ? QJsonValue() : QJsonValue(stoppedBecause) },
        { QStringLiteral("summary"), summary }, { QStringLiteral("exit_code"), exitCode() },
        { QStringLiteral("databases"), databases } };
}

QString FleetRolloutReport::toHtml() const
{
    const auto esc = [](const QString& text) { return text.toHtmlEscaped(); };
    QString html;
    html += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                           "<title>Fleet upgrade of %1</title>\n<style>"
                           "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                           "td,th{border:1px solid #999;padding:4px 8px;text-align:left}"
                           ".upgraded{background:#e3f5e1}.failed,.refused,.unreachable{background:#fbe3e1}"
                           ".not-started{color:#777}</style></head><body>\n")
                .arg(esc(fleet));
    html += QStringLiteral("<h1>Fleet upgrade of %1 to %2</h1>\n<p>%3 to %4. ")
                .arg(esc(fleet), esc(target), startedAt.toString(Qt::ISODate),
                    finishedAt.toString(Qt::ISODate));
    html += stopped ? QStringLiteral("<strong>Stopped:</strong> %1").arg(esc(stoppedBecause))
                    : QStringLiteral("Ran to the end.");
    html += QStringLiteral("</p>\n<table><tr><th>Batch</th><th>Database</th><th>Where</th><th>Before</th>"
                           "<th>After</th><th>Outcome</th><th>Time</th><th>Error</th></tr>\n");
    for (const FleetRolloutEntry& e : entries) {
        const QString outcome = rolloutOutcomeName(e.outcome);
        html += QStringLiteral("<tr class=\"%1\"><td>%2</td><td>%3%4</td><td>%5</td><td>%6</td><td>%7</td>"
                               "<td>%8</td><td>%9 s</td><td>%10</td></tr>\n")
                    .arg(QString(outcome).replace(QLatin1Char(' '), QLatin1Char('-')),
                        e.batch == 0 ? QStringLiteral("canary") : QString::number(e.batch), esc(e.name),
                        e.production ? QStringLiteral(" (production)") : QString(), esc(e.where),
                        esc(e.before.join(QStringLiteral(", "))), esc(e.after.join(QStringLiteral(", "))),
                        outcome, QString::number(e.milliseconds / 1000.0, 'f', 2), esc(e.error));
    }
    html += QStringLiteral("</table>\n</body></html>\n");
    return html;
}

FleetRollout::FleetRollout() = default;
FleetRollout::~FleetRollout() = default;

ErrorList FleetRollout::refusalsBeforeStarting(
    const QList<FleetMember>& members, const FleetRolloutOptions& options)
{
    ErrorList refusals;
    if (options.canaries < 0 || options.batchSize < 1)
        refusals.append(Error::usage(QStringLiteral("--canary must be 0 or more and --batch 1 or more")));
    if (options.request.action != WriteAction::Upgrade && options.request.action != WriteAction::Downgrade)
        refusals.append(Error::usage(QStringLiteral("a fleet rollout upgrades or downgrades")));
    QStringList production;
    for (const FleetMember& member : members) {
        for (const Error& error : GuardedWrite::refusalsBeforeConnecting(member.target, options.request))
            refusals.append(Error::usage(QStringLiteral("%1: %2").arg(member.name, error.message)));
        if (member.target.isProduction())
            production.append(member.name);
    }
    // The whole fleet is confirmed once, before anything runs: a refusal
    // half way would leave it half upgraded.
    if (!production.isEmpty() && options.typedFleetName != options.fleetName)
        refusals.append(Error::usage(
            QStringLiteral("%1 production database(s) in '%2' (%3): confirm the rollout for all of them by "
                           "typing the fleet's name, '%2'%4")
                .arg(QString::number(production.size()), options.fleetName,
                    production.mid(0, 5).join(QStringLiteral(", "))
                        + (production.size() > 5 ? QStringLiteral(" ...") : QString()),
                    options.typedFleetName.isEmpty()
                        ? QString()
                        : QStringLiteral("; '%1' does not match").arg(options.typedFleetName))));
    return refusals;
}

void FleetRollout::report(const QString& line)
{
    if (!m_progress)
        return;
    QMutexLocker lock(&m_progressMutex);
    m_progress(line);
}

void FleetRollout::requestCancel()
{
    m_cancel = true;
    QMutexLocker lock(&m_writesMutex);
    for (GuardedWrite* write : m_runningWrites)
        write->requestCancel();
}

void FleetRollout::upgradeOne(const FleetMember& member, const MigrationRepository& repository,
    const FleetRolloutOptions& options, GuardedWrite& write, FleetRolloutEntry& entry)
{
    QElapsedTimer timer;
    timer.start();
    const auto finish = [&](FleetRolloutEntry::Outcome outcome, const QString& error, int code) {
        entry.outcome = outcome;
        entry.error = member.target.settings.redact(error);
        entry.exitCode = code;
        entry.milliseconds = timer.elapsed();
        report(QStringLiteral("%1: %2%3")
                   .arg(member.name, rolloutOutcomeName(outcome),
                       error.isEmpty()
                           ? QString()
                           : QStringLiteral(" (%1)").arg(entry.error.section(QLatin1Char('\n'), 0, 0))));
    };
    if (m_cancel)
        return finish(FleetRolloutEntry::Outcome::NotStarted, QStringLiteral("cancelled"), ExitCancelled);

    ConnectionTarget target = member.target;
    target.settings = withConnectTimeout(target.settings, options.connectTimeoutSeconds);
    Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(target.settings);
    if (!connection)
        return finish(FleetRolloutEntry::Outcome::Unreachable, connection.error().message, ExitDatabaseError);
    Result<WriteReview> review
        = GuardedWrite::review(*connection.value(), repository, target, options.request);
    if (!review)
        return finish(FleetRolloutEntry::Outcome::Refused, review.error().toString(),
            GuardedWrite::exitCode(ErrorList { review.error() }));
    entry.before = review->state.revisions;
    entry.after = entry.before;
    WriteAnswers answers;
    // refusalsBeforeStarting() checked the fleet's name; it stands for this
    // database's name, which the review knows.
    if (review->needsTypedName() && options.typedFleetName == options.fleetName)
        answers.typedDatabaseName = review->databaseName;
    answers.dataLossAccepted = options.dataLossAccepted;
    if (const ErrorList refused = GuardedWrite::refusals(*review, answers); !refused.isEmpty())
        return finish(
            FleetRolloutEntry::Outcome::Refused, joinedErrors(refused), GuardedWrite::exitCode(refused));
    if (review->nothingToDo)
        return finish(FleetRolloutEntry::Outcome::NothingToDo, QString(), ExitOk);

    report(QStringLiteral("%1: %2 -> %3 (%4 revision(s))")
               .arg(member.name, review->fromText, review->toText)
               .arg(review->plan.steps.size()));
    {
        QMutexLocker lock(&m_writesMutex);
        m_runningWrites.push_back(&write);
    }
    if (m_cancel)
        write.requestCancel();
    write.setJournal(m_journal);
    const WriteOutcome outcome = write.execute(*connection.value(), repository, review.value(), answers);
    {
        QMutexLocker lock(&m_writesMutex);
        m_runningWrites.erase(
            std::remove(m_runningWrites.begin(), m_runningWrites.end(), &write), m_runningWrites.end());
    }
    const int code = GuardedWrite::exitCode(outcome);
    if (outcome.status == WriteOutcome::Status::Refused)
        return finish(FleetRolloutEntry::Outcome::Refused, joinedErrors(outcome.refusals), code);
    if (!outcome.ok())
        return finish(FleetRolloutEntry::Outcome::Failed, outcome.run.error.toString(), code);
    entry.after = review->plan.endHeads;
    finish(outcome.status == WriteOutcome::Status::NothingToDo ? FleetRolloutEntry::Outcome::NothingToDo
                                                               : FleetRolloutEntry::Outcome::Upgraded,
        QString(), ExitOk);
}

FleetRolloutReport FleetRollout::run(const QList<FleetMember>& members, const MigrationRepository& repository,
    const FleetRolloutOptions& options)
{
    FleetRolloutReport result;
    result.fleet = options.fleetName;
    result.target = options.request.target;
    result.startedAt = QDateTime::currentDateTime();
    std::vector<FleetRolloutEntry> entries(static_cast<size_t>(members.size()));
    for (size_t i = 0; i < entries.size(); ++i) {
        const FleetMember& member = members.at(static_cast<qsizetype>(i));
        FleetRolloutEntry& entry = entries[i];
        entry.name = member.name;
        entry.origin = member.origin;
        entry.where = member.target.settings.describe();
        entry.production = member.target.isProduction();
        const qsizetype afterCanaries = static_cast<qsizetype>(i) - options.canaries;
        entry.batch = afterCanaries < 0 ? 0 : static_cast<int>(afterCanaries / options.batchSize) + 1;
    }

    size_t first = 0;
    while (first < entries.size()) {
        const int batch = entries[first].batch;
        size_t end = first;
        while (end < entries.size() && entries[end].batch == batch)
            ++end;
        report(batch == 0 ? QStringLiteral("canary: %1 database(s)").arg(end - first)
                          : QStringLiteral("batch %1: %2 database(s)").arg(batch).arg(end - first));
        // One thread and one GuardedWrite per database of the batch; each
        // opens its own connection.
        std::vector<std::unique_ptr<GuardedWrite>> writes;
        std::vector<std::thread> threads;
        for (size_t i = first; i < end; ++i) {
            writes.push_back(std::make_unique<GuardedWrite>());
            GuardedWrite* write = writes.back().get();
            threads.emplace_back([this, &members, &repository, &options, &entries, write, i] {
                upgradeOne(members.at(static_cast<qsizetype>(i)), repository, options, *write, entries[i]);
            });
        }
        for (std::thread& thread : threads)
            thread.join();

        const auto failed = std::find_if(entries.begin() + static_cast<std::ptrdiff_t>(first),
            entries.begin() + static_cast<std::ptrdiff_t>(end),
            [](const FleetRolloutEntry& e) { return isFailure(e.outcome); });
        first = end;
        if (m_cancel && first < entries.size()) {
            result.stopped = true;
            result.stoppedBecause = QStringLiteral("cancelled");
            break;
        }
        if (failed != entries.begin() + static_cast<std::ptrdiff_t>(end) && !options.keepGoing) {
            if (first < entries.size()) {
                result.stopped = true;
                result.stoppedBecause = QStringLiteral("%1 %2 in %3; the rest was not started (--keep-going "
                                                       "goes on past failures; run again to resume)")
                                            .arg(failed->name, rolloutOutcomeName(failed->outcome),
                                                batch == 0 ? QStringLiteral("the canary batch")
                                                           : QStringLiteral("batch %1").arg(batch));
            }
            break;
        }
    }
    for (FleetRolloutEntry& entry : entries)
        result.entries.append(std::move(entry));
    result.finishedAt = QDateTime::currentDateTime();

    // The rollout's own record: what was confirmed for the whole fleet, and how it ended.
    JournalRecord record;
    record.startedAt = result.startedAt;
    record.finishedAt = result.finishedAt;
    const int production = static_cast<int>(std::count_if(
        members.cbegin(), members.cend(), [](const FleetMember& m) { return m.target.isProduction(); }));
    record.action
        = QStringLiteral("fleet %1 of '%2' (%3 database(s)%4)")
              .arg(writeActionName(options.request.action), options.fleetName)
              .arg(members.size())
              .arg(production > 0 ? QStringLiteral("; %1 production, confirmed by typing the fleet's name")
                                        .arg(production)
                                  : QString());
    record.osUser = RunJournal::currentOsUser();
    record.target = options.fleetName;
    record.toRevisions = QStringList { options.request.target };
    record.transactionMode = options.request.transactionMode == TransactionMode::PerRevision
        ? QStringLiteral("per-revision")
        : QStringLiteral("all");
    record.outcome = result.ok() ? QStringLiteral("success") : QStringLiteral("failed");
    record.error = result.summaryText()
        + (result.stoppedBecause.isEmpty() ? QString()
                                           : QStringLiteral("; stopped: ") + result.stoppedBecause);
    if (std::optional<Error> error = m_journal.append(record))
        report(QStringLiteral("warning: the rollout's journal record was not written: ") + error->message);
    return result;
}

} // namespace dbops
