#pragma once

#include "common/Result.h"
#include "lint/LockMode.h"
#include "render/RenderedScript.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dbops {

/// What a script asks of one relation that exists before it runs: every
/// lock mode it requests there (PostgreSQL's conflict table is not ordered
/// by strength, so all of them count), whether it rewrites or scans it, and
/// the statements that do.  Relations the script created earlier in the same
/// transaction are left out: nobody else can see them.
struct RelationLockRequest
{
    QString relation; ///< "schema.name" or "name", as the parse tree names it
    LockMode strongest = LockMode::None;
    QList<LockMode> modes; ///< distinct, in the order first requested
    bool rewrites = false;
    bool scans = false;
    QStringList statements; ///< "file:line DESCRIPTION", the first few

    /// True when a session holding or awaiting `held` makes one of these requests wait.
    bool conflictsWith(LockMode held) const;
};

/// True when PostgreSQL makes a request for `requested` wait while another
/// transaction holds (or waits ahead for) `held`: the conflict table of
/// "Table-Level Locks" (explicit-locking.html, table 13.2).
bool lockModesConflict(LockMode requested, LockMode held);
/// The mode of a pg_locks.mode name ("AccessExclusiveLock"); None when unknown.
LockMode lockModeFromPgLocksName(const QString& name);

/// The relations a script or SQL file locks, from the lock model (LockModel):
/// what the live figures (LiveLockImpact) and the pre-flight check of the
/// guarded path are about.
class LockRequests
{
public:
    /// Per relation, in the order the script first touches it.
    static QList<RelationLockRequest> fromScript(const RenderedScript& script);
    /// A plain SQL file as written (BEGIN ... COMMIT as transactions), or a
    /// dbops migration file's upgrade section as dbops runs it.
    static Result<QList<RelationLockRequest>> fromFile(const QString& path);
    /// `sql` as a script: BEGIN / START / COMMIT / ROLLBACK / END become
    /// the script's transaction items.
    static Result<RenderedScript> scriptFromSql(const QString& sql, const QString& fileName);
};

} // namespace dbops
