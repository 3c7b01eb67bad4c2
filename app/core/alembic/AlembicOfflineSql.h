#pragma once

#include "alembic/AlembicProject.h"
#include "common/Result.h"
#include "migrations/Revision.h"

namespace dbops {

/// How Alembic is run for its offline (`--sql`) mode.
struct AlembicRunOptions
{
    QString program; ///< empty: $DBOPS_ALEMBIC, else /usr/bin/alembic, else `alembic` on PATH
    int timeoutMs = 120000;
};

/// SQL from Alembic's offline mode: runs `alembic upgrade heads --sql` and
/// `alembic downgrade heads:base --sql` in a subprocess and splits the output
/// at the `-- Running upgrade X -> Y` / `-- Running downgrade Y -> X`
/// markers into per-revision sections.  Alembic's own version-table lines and
/// its BEGIN/COMMIT framing are dropped: DbOps's renderer writes its own
/// checked version-table updates.
class AlembicOfflineSql
{
public:
    /// Fills the upgrade and downgrade sections (and `transactional`) of every
    /// revision in `revisions` (those of `project`).  A revision whose Python
    /// needs a live connection fails with Alembic's message and the revision
    /// file's path and line.
    static Result<bool> fillSections(const AlembicProject& project, RevisionList& revisions,
        const AlembicRunOptions& options = {});
};

} // namespace dbops
