#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace dbops {

/// One thing `dbops verify` found about an applied or pending revision.
struct VerifyFinding
{
    enum class Kind
    {
        Changed, ///< the file's upgrade SQL differs from what was applied
        NotOnDisk, ///< applied (version table or side table), but no file has it
        OutOfOrder, ///< pending, yet older than what is applied (a merged branch skipped)
        NoChecksum, ///< applied before dbops kept checksums, or by another tool: not an error
    };
    Kind kind = Kind::NoChecksum;
    QString revision;
    QString recordedSha256; ///< empty when none was recorded
    QString currentSha256; ///< empty when the revision is not on disk
    QString appliedAt;
    QString appliedBy;
    QString acceptedReason; ///< a change accepted earlier (--accept-changed)
    QString message; ///< one line for people

    static QString kindName(Kind kind); ///< "changed", "not-on-disk", "out-of-order", "no-checksum"
};

/// What `dbops verify` reports: a value that crosses threads and front ends.
struct VerifyReport
{
    QString versionTable;
    bool versionTableExists = false;
    QString checksumTable; ///< the side table's name, empty when the version table is missing
    bool checksumTableExists = false;
    QStringList databaseRevisions; ///< the version table's rows
    int verified = 0; ///< applied revisions whose checksum matches
    QList<VerifyFinding> findings;

    QList<VerifyFinding> ofKind(VerifyFinding::Kind kind) const
    {
        QList<VerifyFinding> out;
        for (const VerifyFinding& finding : findings) {
            if (finding.kind == kind)
                out.append(finding);
        }
        return out;
    }
    /// No changed, missing or out-of-order revision ("no checksum" is not a problem).
    bool clean() const
    {
        for (const VerifyFinding& finding : findings) {
            if (finding.kind != VerifyFinding::Kind::NoChecksum)
                return false;
        }
        return true;
    }
};

/// A changed revision a person accepted for one run: `--accept-changed REV --reason TEXT`.
struct AcceptedChange
{
    QString revision;
    QString reason;
};

} // namespace dbops
