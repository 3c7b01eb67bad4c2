#pragma once

#include "common/Error.h"
#include "connection/ConnectionTarget.h"

#include <optional>

namespace dbops {

/// The checks every writing action passes before it connects for writing:
/// read-only profiles refuse, production profiles want the database name
/// typed back (`--confirm NAME` in the CLI, the typed name in the console).
class RunGuard
{
public:
    /// `action` is what the user asked for ("upgrade", "stamp", "fix short-interest-inactive").
    static std::optional<Error> checkWriteAllowed(
        const ConnectionTarget& target, const QString& action, const QString& confirmation);
};

} // namespace dbops
