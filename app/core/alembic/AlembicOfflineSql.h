#pragma once

#include "alembic/AlembicCommand.h"
#include "alembic/AlembicOfflineScript.h"
#include "alembic/AlembicProject.h"
#include "common/Result.h"
#include "migrations/Revision.h"

#include <QMap>
#include <optional>

namespace dbops {

/// SQL from Alembic's offline mode: runs `alembic upgrade heads --sql` and
/// `alembic downgrade heads:base --sql` (else `alembic downgrade REV:base
/// --sql` from each head) in a subprocess and splits the output at the
/// `-- Running upgrade X -> Y` / `-- Running downgrade Y -> X` markers into
/// per-revision sections.  Alembic's own version-table lines and
/// its BEGIN/COMMIT framing are dropped: DbOps's renderer writes its own
/// checked version-table updates.
class AlembicOfflineSql
{
public:
    /// Fills the upgrade and downgrade sections (and `transactional`) of every
    /// revision in `revisions` (those of `project`).  The upgrades must all
    /// render: a revision whose upgrade needs a live connection fails the
    /// whole call with Alembic's message and the revision file's path and
    /// line.  A downgrade Alembic cannot render (it raises, needs a
    /// connection, or Alembic refuses the graph) leaves that revision without
    /// a downgrade section, so it cannot be rolled back; `downgradeErrors`
    /// (by revision id) then gets Alembic's reason, in the same form.
    /// Statements keep Alembic's text exactly; their line is that of the
    /// revision's `def upgrade()` / `def downgrade()` in its .py file, since
    /// the generated script exists nowhere on disk.
    static Result<bool> fillSections(const AlembicProject& project, RevisionList& revisions,
        const AlembicRunOptions& options = {}, QMap<QString, Error>* downgradeErrors = nullptr);

    /// Puts parsed blocks into the sections of `revisions`, matched by id.
    /// Every revision needs an upgrade block and, when `downgradeBlocks` is
    /// given, a downgrade block; a block for a revision not in the list is an
    /// error.  `scriptNames` name the two scripts in errors.
    static Result<bool> applyBlocks(const AlembicScriptBlockList& upgradeBlocks,
        const std::optional<AlembicScriptBlockList>& downgradeBlocks, RevisionList& revisions,
        const QString& upgradeScriptName, const QString& downgradeScriptName);

    /// Revisions from scripts someone generated with `alembic upgrade heads
    /// --sql` (and optionally `alembic downgrade heads:base --sql`): ids and
    /// parents from the markers, in the script's order, statements with
    /// lines in the scripts.  A revision the downgrade script does not cover
    /// has no downgrade section.  `depends_on` is recovered where Alembic's
    /// version-table update shows it (the dependency was a head when the
    /// revision ran).  Messages, labels and dates are not in the scripts.
    /// `filePath` is the upgrade script.  Errors name the script's file:line.
    static Result<RevisionList> revisionsFromScripts(const QString& upgradeText, const QString& upgradeFile,
        const std::optional<QString>& downgradeText = std::nullopt, const QString& downgradeFile = {},
        const QString& versionTable = QStringLiteral("alembic_version"));
};

} // namespace dbops
