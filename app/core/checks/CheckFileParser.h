#pragma once

#include "checks/CheckDefinition.h"
#include "common/Result.h"

namespace dbops {

/// Reads one check or fix file (format in docs/cli.md, "Checks and fixes").
/// Every statement goes through PostgreSQL's parser here, so a broken file is
/// reported with file:line before anything connects; checks and
/// postconditions must be plain queries (SelectStmt) that call none of the
/// SideEffectFunctions (pg_terminate_backend, set_config, dblink ...).
class CheckFileParser
{
public:
    static Result<CheckDefinition> parseCheckFile(const QString& path);
    static Result<CheckDefinition> parseCheckText(const QString& text, const QString& path);
    static Result<FixDefinition> parseFixFile(const QString& path);
    static Result<FixDefinition> parseFixText(const QString& text, const QString& path);

    /// Check and fix names: lower-case letters, digits, '-' and '_', at most 64.
    static bool isValidName(const QString& name);
};

} // namespace dbops
