#pragma once

#include <QString>

namespace dbops {

/// PostgreSQL's table-level lock modes, weakest first (explicit-locking.html,
/// "Table-Level Locks"), so the strongest of several is the largest.
enum class LockMode
{
    None,
    AccessShare,
    RowShare,
    RowExclusive,
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    Exclusive,
    AccessExclusive,
};

/// "ACCESS EXCLUSIVE", as the documentation and LOCK TABLE write it; empty for None.
QString lockModeName(LockMode mode);
/// The name pg_locks.mode shows: "AccessExclusiveLock".
QString lockModePgLocksName(LockMode mode);
/// The mode of a name as lockModeName writes it (case-insensitive); None when unknown.
LockMode lockModeFromName(const QString& name);
/// True when the mode makes ordinary writes (INSERT, UPDATE, DELETE: ROW
/// EXCLUSIVE) wait: SHARE and stronger.  What the SQL preview calls a strong lock.
bool blocksWrites(LockMode mode);
/// True when the mode makes plain reads (SELECT: ACCESS SHARE) wait.
bool blocksReads(LockMode mode);

} // namespace dbops
