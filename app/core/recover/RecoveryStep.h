#pragma once

#include <QString>
#include <optional>

namespace dbops {

/// A recovery step that writes, as WriteRequest::target of a
/// WriteAction::Recover request.  Resuming is an upgrade and stamping is a
/// stamp (their own guarded writes); these are the two steps only recovery has.
struct RecoveryStep
{
    enum class Kind
    {
        /// Drop the objects of the partial (failed) revision that exist, newest
        /// first, in one transaction; the version table does not move.
        RollbackPartial,
        /// DROP INDEX CONCURRENTLY then CREATE INDEX CONCURRENTLY of an INVALID index.
        RebuildIndex,
    };
    Kind kind = Kind::RollbackPartial;
    QString index; ///< RebuildIndex: "schema.name", as RecoveryReport lists it

    /// "rollback-partial" or "rebuild-index schema.name".
    QString target() const;
    /// The inverse of target(); nullopt for anything else.
    static std::optional<RecoveryStep> parse(const QString& target);

    static RecoveryStep rollbackPartial() { return RecoveryStep {}; }
    static RecoveryStep rebuildIndex(const QString& qualifiedIndex)
    {
        return RecoveryStep { Kind::RebuildIndex, qualifiedIndex };
    }
};

} // namespace dbops
