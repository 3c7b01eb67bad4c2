#include "alembic/AlembicProject.h"

// Placeholder until the static reader lands (issue 7).

namespace dbops {

bool AlembicProject::looksLikeAlembicProject(const QString&)
{
    return false;
}

Result<AlembicProject> AlembicProject::load(const QString& path, ErrorList*)
{
    return Error::input(QStringLiteral("reading Alembic projects is not implemented yet"), path);
}

} // namespace dbops
