#include "alembic/AlembicOfflineSql.h"

// Placeholder until the offline-mode bridge lands (issue 7).

namespace dbops {

Result<bool> AlembicOfflineSql::fillSections(const AlembicProject& project, RevisionList&, const AlembicRunOptions&)
{
    return Error::input(QStringLiteral("SQL from Alembic's offline mode is not implemented yet"), project.iniPath);
}

} // namespace dbops
