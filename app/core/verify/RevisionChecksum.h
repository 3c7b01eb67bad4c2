#pragma once

#include "common/Result.h"
#include "migrations/RevisionGraph.h"
#include "render/RenderedScript.h"

namespace dbops {

/// The SHA-256 of a revision's upgrade SQL, as the runner executes it: the
/// statements the renderer emits for the revision's step, each as the
/// script shows it ("statement;\n\n"), with line endings normalised.  The
/// runner hashes the script it runs; `dbops verify` renders the revision
/// alone through the same renderer and hashes that: one source of SQL.
class RevisionChecksum
{
public:
    /// What is done to the SQL before hashing.  Stored beside every
    /// checksum, so a later change of the rules is told apart from a changed
    /// file.  1: CRLF and lone CR become LF; the text is hashed as UTF-8.
    static constexpr int kNormalisation = 1;

    /// The checksum of step `stepIndex`'s statements in `script` (hex, 64 characters).
    static QString ofStep(const RenderedScript& script, int stepIndex);
    /// The checksum of `revision`'s upgrade, rendered on its own.  The graph's
    /// revisions must carry their SQL (MigrationRepository::ensureSql).
    static Result<QString> ofUpgrade(const RevisionGraph& graph, const QString& revision);
    /// The bytes hashed for `sql` under kNormalisation.
    static QByteArray normalised(const QString& sql);
};

} // namespace dbops
