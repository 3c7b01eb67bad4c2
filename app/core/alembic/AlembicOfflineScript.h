#pragma once

#include "common/Result.h"
#include "sql/SqlStatement.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dbops {

/// The SQL Alembic's offline mode printed for one revision: the statements
/// between its `-- Running upgrade X -> Y` (or `-- Running downgrade Y -> X`)
/// marker and the next one.
struct AlembicScriptBlock
{
    enum class Direction
    {
        Upgrade,
        Downgrade
    };

    Direction direction = Direction::Upgrade;
    QString revisionId; ///< the revision this block upgrades to or downgrades from
    QStringList parentIds; ///< its down revisions, as the marker names them (empty for a base)
    int markerLine = 0; ///< line of the marker in the script
    SqlStatementList statements; ///< Alembic's text exactly, lines and offsets in the script
    /// False when Alembic ended its transaction inside the block (an
    /// `autocommit_block()`: `COMMIT;` ... `BEGIN;`), or a statement cannot run
    /// in a transaction block.
    bool transactional = true;
    /// The ids Alembic's own UPDATE / DELETE on the version table took out of
    /// it in this block: in an upgrade, the parents and any `depends_on`
    /// revision that was a head at that moment.
    QStringList versionsReplaced;
};

using AlembicScriptBlockList = QList<AlembicScriptBlock>;

/// Parses the output of `alembic upgrade ... --sql` or `alembic downgrade
/// ... --sql` into per-revision blocks.  Alembic's own version-table
/// statements (CREATE TABLE, INSERT, UPDATE, DELETE, DROP TABLE on the
/// version table) and its BEGIN/COMMIT framing are recognised from the parse
/// tree and dropped: DbOps writes its own checked version-table updates and
/// owns the transactions.
class AlembicOfflineScript
{
public:
    /// `fileName` names the script in errors (file:line); `versionTable` is
    /// the version table's name without schema.  Fails on SQL before the first
    /// marker (other than BEGIN and the version table's CREATE TABLE), a
    /// `-- Running ...` comment that is not a marker, a marker inside a
    /// statement, and text PostgreSQL's scanner rejects.  Statements are not
    /// syntax-checked here (that is MigrationValidator's job).
    static Result<AlembicScriptBlockList> parse(const QString& text, const QString& fileName = {},
        const QString& versionTable = QStringLiteral("alembic_version"));

    /// The revision ids of every marker in `text`, in order, without parsing
    /// the statements: what a failed run got through.  Upgrade markers give
    /// the target, downgrade markers the revision being downgraded.
    static QStringList markerRevisions(const QString& text);
};

} // namespace dbops
