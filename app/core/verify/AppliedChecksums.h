#pragma once

#include "common/Result.h"

#include <QHash>
#include <QString>
#include <optional>

namespace dbops {

class DatabaseConnection;

/// One row of the side table: a revision dbops applied, and what it ran.
struct AppliedChecksum
{
    QString revision;
    QString sha256; ///< RevisionChecksum of the upgrade that ran
    int normalisation = 0; ///< RevisionChecksum::kNormalisation when it ran
    QString appliedAt; ///< ISO 8601, UTC
    QString appliedBy; ///< the database role
    QString dbopsVersion;
    QString acceptedReason; ///< set when a changed file was accepted (--accept-changed)
};

/// What the side table holds, read without writing anything.
struct AppliedChecksumTable
{
    bool exists = false;
    QString table; ///< schema-qualified, as found (empty when the version table is missing)
    QHash<QString, AppliedChecksum> rows; ///< by revision
};

/// The side table `dbops_applied_revisions`, in the version table's schema:
/// the checksum of every revision dbops applied.  The version table itself
/// stays exactly Alembic's.  Writes happen inside the run's transaction (the
/// runner calls them right after the version-table change of each step);
/// read() only reads, so a read-only role can verify.  A stamp records
/// nothing; a downgrade removes the row; the downgrade that drops the
/// version table drops this table too.
class AppliedChecksums
{
public:
    static const QString kTableName; ///< "dbops_applied_revisions"

    static Result<AppliedChecksumTable> read(DatabaseConnection& connection, const QString& versionTable);
    /// Creates the table if needed, then records (or replaces) `revision`'s row.
    static std::optional<Error> recordApplied(DatabaseConnection& connection, const QString& versionTable,
        const QString& revision, const QString& sha256);
    /// Removes `revision`'s row (a downgrade), if the table exists.
    static std::optional<Error> recordRemoved(
        DatabaseConnection& connection, const QString& versionTable, const QString& revision);
    /// Replaces the recorded checksum of an applied revision whose file
    /// changed, with the reason the change was accepted (--accept-changed).
    static std::optional<Error> recordAccepted(DatabaseConnection& connection, const QString& versionTable,
        const QString& revision, const QString& sha256, const QString& reason);
    /// Drops the table (after the version table was dropped), if it exists.
    static std::optional<Error> dropTable(DatabaseConnection& connection, const QString& versionTable);

private:
    struct Location
    {
        QString table; ///< empty: the version table does not exist
        bool exists = false;
    };
    static Result<Location> locate(DatabaseConnection& connection, const QString& versionTable);
};

} // namespace dbops
