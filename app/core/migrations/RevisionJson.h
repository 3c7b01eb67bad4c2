#pragma once

#include "migrations/MigrationPlan.h"
#include "migrations/RevisionGraph.h"

#include <QJsonObject>

namespace dbops {

/// The stable JSON shapes of `dbops --json` (documented in docs/cli.md).
class RevisionJson
{
public:
    static QJsonObject revision(const RevisionGraph& graph, const QString& id);
    static QJsonObject plan(const MigrationPlan& plan);
};

} // namespace dbops
