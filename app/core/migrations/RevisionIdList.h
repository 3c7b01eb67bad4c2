#pragma once

#include <QStringList>

namespace dbops {

/// Revision ids for a message: all of them, or the first `limit` and how many
/// there are in all (a repository may list thousands).
inline QString joinIds(const QStringList& ids, int limit = 10)
{
    if (ids.size() <= limit)
        return ids.join(QStringLiteral(", "));
    return QStringList(ids.mid(0, limit)).join(QStringLiteral(", "))
        + QStringLiteral(", ... (%1 in all)").arg(ids.size());
}

} // namespace dbops
