#pragma once

#include "catalog/AuditReport.h"
#include "catalog/AuditReportFormatter.h"
#include "checks/CheckRunner.h"
#include "checks/FixRunner.h"
#include "common/Error.h"
#include "connection/ConnectionTarget.h"
#include "connection/DatabaseConnection.h"
#include "database/VersionTable.h"
#include "migrations/MigrationPlan.h"
#include "render/RenderedScript.h"
#include "runner/MigrationRunner.h"

#include <QMetaType>

namespace dbops {

/// Where a connected database stands: the answer to "connect" and "refresh".
struct DatabaseStatus
{
    ServerInfo server;
    VersionState version;
};

/// A write run for the worker: the plan, the exact script the preview
/// showed, and how to run it.
struct RunRequest
{
    MigrationPlan plan;
    RenderedScript script;
    RunOptions options;
    QString action; ///< "upgrade", "downgrade", "stamp", for the journal
    QString profileName;
    QString backupDirectory; ///< empty: no backup
    bool journalInDatabase = false;
};

/// Registers the value types that cross threads in queued signals.
void registerWorkerMetaTypes();

} // namespace dbops

Q_DECLARE_METATYPE(dbops::Error)
Q_DECLARE_METATYPE(dbops::DatabaseStatus)
Q_DECLARE_METATYPE(dbops::RunEvent)
Q_DECLARE_METATYPE(dbops::RunResult)
Q_DECLARE_METATYPE(dbops::RunRequest)
Q_DECLARE_METATYPE(dbops::ConnectionSettings)
Q_DECLARE_METATYPE(dbops::ServerNotice)
Q_DECLARE_METATYPE(dbops::ConnectionTarget)
Q_DECLARE_METATYPE(dbops::AuditReport)
Q_DECLARE_METATYPE(dbops::AuditSubject)
Q_DECLARE_METATYPE(dbops::CheckReport)
Q_DECLARE_METATYPE(dbops::FixOutcome)
