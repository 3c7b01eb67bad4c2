#pragma once

#include "catalog/ShadowDatabase.h"
#include "common/Result.h"

#include <QStringList>
#include <atomic>
#include <memory>

namespace dbops {

/// A throwaway copy of a database for a rehearsal: its schema, and the rows
/// of a few tables (the version table, lookup tables the migrations read),
/// in a new ShadowDatabase on another server (or another database of the
/// same one).  pg_dump reads the source (read-only: no lock beyond ACCESS
/// SHARE, nothing written); pg_restore writes the copy: the pre-data
/// section (tables, types, functions), the rows, then the post-data section
/// (indexes, constraints, triggers), so foreign keys see their rows.
class DatabaseCopy
{
public:
    /// `tables` that do not exist in the source are left out (not an error).
    static Result<std::unique_ptr<ShadowDatabase>> create(const ConnectionSettings& source,
        int sourceServerVersion, const ConnectionSettings& server, const QStringList& tables,
        const std::atomic<bool>* cancel = nullptr);
};

} // namespace dbops
