#pragma once

#include "common/Error.h"
#include "common/Result.h"
#include "database/VersionTable.h"
#include "migrations/RevisionGraph.h"
#include "verify/AppliedChecksums.h"
#include "verify/VerifyReport.h"

namespace dbops {

class DatabaseConnection;

/// Compares what was applied (the version table and the side table of
/// checksums) with the repository on disk: `dbops verify`, and the refusal
/// the guarded path raises while an applied revision's file has changed.
class ChecksumVerifier
{
public:
    /// Reads the version table and the side table (SELECT only: a read-only
    /// role can verify) and compares them with `graph`, whose revisions must
    /// carry their SQL (MigrationRepository::ensureSql).
    static Result<VerifyReport> verify(
        DatabaseConnection& connection, const RevisionGraph& graph, const QString& versionTable);
    /// The comparison itself, on what was read.
    static Result<VerifyReport> compare(const RevisionGraph& graph, const QString& versionTable,
        const VersionState& versions, const AppliedChecksumTable& checksums);

    /// What stops a run: every changed revision not accepted with a reason.
    /// Missing and out-of-order revisions do not refuse (the plan itself
    /// names a missing revision; an out-of-order one is what the run applies).
    static ErrorList refusals(const VerifyReport& report, const QList<AcceptedChange>& acceptedChanges);
};

} // namespace dbops
