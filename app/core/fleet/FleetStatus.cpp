#include "fleet/FleetStatus.h"

#include "checks/CheckRunner.h"
#include "connection/DatabaseConnection.h"
#include "database/VersionTable.h"
#include "migrations/RevisionGraph.h"
#include "verify/ChecksumVerifier.h"

#include <QElapsedTimer>
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace dbops {

namespace {

// What a pool thread finds: the connection's part only.  The graph is read
// afterwards on the calling thread.
void readOne(const FleetMember& member, const RevisionGraph& graph, const FleetStatusOptions& options,
    FleetDatabaseStatus& status)
{
    QElapsedTimer timer;
    timer.start();
    ConnectionSettings settings = member.target.settings;
    const int profileTimeout = settings.value(QStringLiteral("connect_timeout")).toInt();
    const int timeout = profileTimeout > 0 ? std::min(profileTimeout, options.connectTimeoutSeconds)
                                           : options.connectTimeoutSeconds;
    settings.setValue(QStringLiteral("connect_timeout"), QString::number(std::max(1, timeout)));
    Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(settings);
    if (!connection) {
        status.state = FleetDatabaseStatus::State::Unreachable;
        status.error = settings.redact(connection.error().message);
        status.milliseconds = timer.elapsed();
        return;
    }
    status.serverVersion = connection.value()->serverInfo().version;
    Result<VersionState> version = VersionTable::read(*connection.value(), member.target.versionTable);
    if (!version) {
        status.state = FleetDatabaseStatus::State::Failed;
        status.error = settings.redact(version.error().message);
    } else {
        status.versionTableExists = version->tableExists;
        status.revisions = version->revisions;
        status.state = FleetDatabaseStatus::State::Behind; // settled by the graph afterwards
    }
    if (options.verifyApplied && version) {
        if (Result<VerifyReport> report
            = ChecksumVerifier::verify(*connection.value(), graph, member.target.versionTable)) {
            status.verified = true;
            for (const VerifyFinding& finding : std::as_const(report->findings)) {
                if (finding.kind != VerifyFinding::Kind::NoChecksum)
                    status.verifyFindings.append(finding.message);
            }
        }
    }
    if (options.checks) {
        if (Result<CheckReport> report = CheckRunner::run(*connection.value(), *options.checks)) {
            status.checksRan = true;
            for (const CheckOutcome& outcome : std::as_const(report->outcomes))
                (outcome.ok() ? status.checksPassed : status.checksFailed)++;
        }
    }
    status.milliseconds = timer.elapsed();
}

// Up to date, behind, base or unknown, from the revisions read.
void placeOnGraph(const RevisionGraph& graph, FleetDatabaseStatus& status)
{
    if (status.state != FleetDatabaseStatus::State::Behind)
        return;
    for (const QString& id : std::as_const(status.revisions)) {
        if (!graph.contains(id))
            status.unknownRevisions.append(id);
    }
    if (!status.unknownRevisions.isEmpty()) {
        status.state = FleetDatabaseStatus::State::Unknown;
        return;
    }
    if (Result<MigrationPlan> plan = graph.upgradePlan(status.revisions, QStringLiteral("heads")))
        status.pending = static_cast<int>(plan->steps.size());
    if (status.revisions.isEmpty())
        status.state = FleetDatabaseStatus::State::Base;
    else if (status.pending == 0)
        status.state = FleetDatabaseStatus::State::UpToDate;
}

} // namespace

QString fleetStateName(FleetDatabaseStatus::State state)
{
    switch (state) {
    case FleetDatabaseStatus::State::UpToDate:
        return QStringLiteral("up to date");
    case FleetDatabaseStatus::State::Behind:
        return QStringLiteral("behind");
    case FleetDatabaseStatus::State::Base:
        return QStringLiteral("base");
    case FleetDatabaseStatus::State::Unknown:
        return QStringLiteral("unknown revision");
    case FleetDatabaseStatus::State::Unreachable:
        return QStringLiteral("unreachable");
    case FleetDatabaseStatus::State::Failed:
        return QStringLiteral("failed");
    }
    return QString();
}

QList<FleetDatabaseStatus> FleetStatusReader::read(
    const QList<FleetMember>& members, const RevisionGraph& graph, const FleetStatusOptions& options)
{
    std::vector<FleetDatabaseStatus> results(static_cast<size_t>(members.size()));
    for (size_t i = 0; i < results.size(); ++i) {
        const FleetMember& member = members.at(static_cast<qsizetype>(i));
        FleetDatabaseStatus& status = results[i];
        status.name = member.name;
        status.origin = member.origin;
        status.where = member.target.settings.describe();
        status.production = member.target.isProduction();
        status.versionTable = member.target.versionTable;
    }
    // Each thread takes the next database until none is left; each result
    // slot is written by exactly one thread and read after the joins.
    std::atomic<size_t> next { 0 };
    const auto work = [&] {
        for (size_t i = next++; i < results.size(); i = next++)
            readOne(members.at(static_cast<qsizetype>(i)), graph, options, results[i]);
    };
    const size_t threads = std::min(results.size(), static_cast<size_t>(std::max(1, options.jobs)));
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (size_t t = 0; t < threads; ++t)
        pool.emplace_back(work);
    for (std::thread& thread : pool)
        thread.join();

    QList<FleetDatabaseStatus> list;
    list.reserve(static_cast<qsizetype>(results.size()));
    for (FleetDatabaseStatus& status : results) {
        placeOnGraph(graph, status);
        list.append(std::move(status));
    }
    return list;
}

} // namespace dbops
