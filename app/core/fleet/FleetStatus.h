#pragma once

#include "checks/CheckDefinition.h"
#include "fleet/FleetMembers.h"

#include <QStringList>
#include <optional>

namespace dbops {

class RevisionGraph;

/// Where one database of a fleet stands.
struct FleetDatabaseStatus
{
    enum class State
    {
        UpToDate, ///< at the repository's heads
        Behind, ///< pending revisions
        Base, ///< no revision recorded (no version table, or an empty one)
        Unknown, ///< at a revision the repository does not have
        Unreachable, ///< no connection within the timeout
        Failed, ///< connected, but reading the version table failed
    };

    QString name;
    QString origin;
    QString where; ///< user@host:port/db, never a password
    bool production = false;
    State state = State::Unreachable;
    QString error; ///< Unreachable / Failed: why (passwords redacted)
    QString serverVersion;
    QString versionTable;
    bool versionTableExists = false;
    QStringList revisions;
    QStringList unknownRevisions;
    int pending = -1; ///< -1: unknown
    /// What `dbops verify` finds (changed, not on disk, out of order), one
    /// line each; empty and verified: clean.  Not verified: no report.
    bool verified = false;
    QStringList verifyFindings;
    bool checksRan = false;
    int checksPassed = 0;
    int checksFailed = 0; ///< a failing row or a failed query
    qint64 milliseconds = 0;

    bool reachable() const { return state != State::Unreachable; }
};

QString fleetStateName(FleetDatabaseStatus::State state); ///< "up to date", "behind" ...

struct FleetStatusOptions
{
    int jobs = 8; ///< connections at once
    int connectTimeoutSeconds = 5; ///< per database; libpq's connect_timeout
    std::optional<CheckDefinitionList> checks; ///< also run these (read-only) on each database
    /// Verify what was applied (checksums) on each database; the graph's
    /// revisions must carry their SQL (MigrationRepository::ensureSql).
    bool verifyApplied = false;
};

/// Reads every member's version table (and the checks, if asked) over a
/// bounded pool of connections, each opened and closed in its own thread:
/// an unreachable database costs one thread its connect timeout and never
/// holds up the others.  Results come back in the members' order.
class FleetStatusReader
{
public:
    static QList<FleetDatabaseStatus> read(
        const QList<FleetMember>& members, const RevisionGraph& graph, const FleetStatusOptions& options);
};

} // namespace dbops
