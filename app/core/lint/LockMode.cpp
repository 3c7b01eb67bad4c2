#include "lint/LockMode.h"

namespace dbops {

namespace {

struct LockModeNames
{
    LockMode mode;
    const char* sql;
    const char* pgLocks;
};

const LockModeNames kNames[] = {
    { LockMode::AccessShare, "ACCESS SHARE", "AccessShareLock" },
    { LockMode::RowShare, "ROW SHARE", "RowShareLock" },
    { LockMode::RowExclusive, "ROW EXCLUSIVE", "RowExclusiveLock" },
    { LockMode::ShareUpdateExclusive, "SHARE UPDATE EXCLUSIVE", "ShareUpdateExclusiveLock" },
    { LockMode::Share, "SHARE", "ShareLock" },
    { LockMode::ShareRowExclusive, "SHARE ROW EXCLUSIVE", "ShareRowExclusiveLock" },
    { LockMode::Exclusive, "EXCLUSIVE", "ExclusiveLock" },
    { LockMode::AccessExclusive, "ACCESS EXCLUSIVE", "AccessExclusiveLock" },
};

} // namespace

QString lockModeName(LockMode mode)
{
    for (const LockModeNames& names : kNames) {
        if (names.mode == mode)
            return QLatin1String(names.sql);
    }
    return {};
}

QString lockModePgLocksName(LockMode mode)
{
    for (const LockModeNames& names : kNames) {
        if (names.mode == mode)
            return QLatin1String(names.pgLocks);
    }
    return {};
}

LockMode lockModeFromName(const QString& name)
{
    const QString wanted = name.simplified().toUpper();
    for (const LockModeNames& names : kNames) {
        if (wanted == QLatin1String(names.sql))
            return names.mode;
    }
    return LockMode::None;
}

bool blocksWrites(LockMode mode)
{
    return mode >= LockMode::Share;
}

bool blocksReads(LockMode mode)
{
    return mode >= LockMode::AccessExclusive;
}

} // namespace dbops
