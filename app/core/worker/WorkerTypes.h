#pragma once

#include "catalog/AuditReport.h"
#include "catalog/AuditReportFormatter.h"
#include "checks/CheckRunner.h"
#include "checks/FixRunner.h"
#include "common/Error.h"
#include "connection/ConnectionTarget.h"
#include "connection/DatabaseConnection.h"
#include "database/VersionTable.h"
#include "guarded/WriteTypes.h"
#include "migrations/MigrationPlan.h"
#include "migrations/MigrationRepository.h"
#include "recover/RecoveryReport.h"
#include "rehearse/Rehearsal.h"
#include "render/RenderedScript.h"
#include "runner/MigrationRunner.h"
#include "verify/VerifyReport.h"
#include "worker/AuditOutline.h"

#include <QMetaType>
#include <memory>
#include <optional>

namespace dbops {

/// Where a connected database stands: the answer to "connect" and "refresh".
struct DatabaseStatus
{
    ServerInfo server;
    VersionState version;
    /// ChecksumVerifier::verify with the repository the worker last worked
    /// with (an audit, a review or a write brought it); none before that, or
    /// when the read failed (a status never fails because of it).
    std::optional<VerifyReport> verify;

    /// "2 applied revisions changed since applied: dbops verify"; empty when clean or unknown.
    QString verifyWarning() const;
};

/// Where the console's connection stands, as the database worker sees it: a
/// value the worker sends whenever it changes (connected, lost, a reconnect
/// that failed, reconnected).  "Lost" is noticed by a failed query or by the
/// keepalive the worker runs while idle; the worker then reconnects on its
/// own with backoff, and at once when a refresh is asked for.
struct ConnectionState
{
    enum class Phase
    {
        Disconnected, ///< never connected, disconnected, or the connect failed or was cancelled
        Connecting,
        Connected,
        Lost, ///< was connected; the server went away; reconnecting
    };

    Phase phase = Phase::Disconnected;
    QString target; ///< the target's description, no password
    Error error; ///< Lost: why, the last failed reconnect's reason once there was one
    int failedReconnects = 0; ///< Lost: reconnects that failed since the connection was lost
    int nextReconnectMs = 0; ///< Lost: the next automatic reconnect, in milliseconds from now

    bool isConnected() const { return phase == Phase::Connected; }
    bool isLost() const { return phase == Phase::Lost; }
};

/// A migration repository read and parsed off the GUI thread.  Nothing in a
/// loaded repository changes, so it is shared read-only from then on (the
/// session shows it, the database worker audits with it) instead of copied.
struct LoadedRepository
{
    QString directory; ///< as requested
    std::shared_ptr<const MigrationRepository> repository; ///< null when loading failed
    Error error; ///< why it failed, with file:line
};

/// Registers the value types that cross threads in queued signals.
void registerWorkerMetaTypes();

} // namespace dbops

Q_DECLARE_METATYPE(dbops::Error)
Q_DECLARE_METATYPE(dbops::RehearsalReport)
Q_DECLARE_METATYPE(dbops::RehearsalOptions)
Q_DECLARE_METATYPE(dbops::DatabaseStatus)
Q_DECLARE_METATYPE(dbops::ConnectionState)
Q_DECLARE_METATYPE(dbops::RunEvent)
Q_DECLARE_METATYPE(dbops::RunResult)
Q_DECLARE_METATYPE(dbops::ConnectionSettings)
Q_DECLARE_METATYPE(dbops::ServerNotice)
Q_DECLARE_METATYPE(dbops::ConnectionTarget)
Q_DECLARE_METATYPE(dbops::AuditReport)
Q_DECLARE_METATYPE(dbops::AuditSubject)
Q_DECLARE_METATYPE(dbops::CheckReport)
Q_DECLARE_METATYPE(dbops::FixOutcome)
Q_DECLARE_METATYPE(dbops::AuditOutline)
Q_DECLARE_METATYPE(dbops::LoadedRepository)
Q_DECLARE_METATYPE(dbops::RecoveryReport)
