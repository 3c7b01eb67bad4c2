#pragma once

#include "common/Result.h"

namespace dbops {

/// Passwords in the OS keychain (Secret Service / KWallet through QtKeychain).
/// Never a plain file: where no keychain is reachable (no D-Bus session, as
/// on CI and servers, or DBOPS_KEYCHAIN=off) every call fails cleanly and
/// callers fall back to libpq's own ~/.pgpass / PGPASSFILE / service file.
/// Blocking calls: use them from a worker thread or the CLI, not the GUI thread.
class PasswordStore
{
public:
    static QString serviceName() { return QStringLiteral("dbops-console"); }

    /// Whether a keychain backend answers at all.
    static bool isAvailable();
    /// The stored password; an empty string when none is stored; an error
    /// when the keychain is unavailable.
    static Result<QString> read(const QString& key);
    static std::optional<Error> write(const QString& key, const QString& password);
    static std::optional<Error> remove(const QString& key);
};

} // namespace dbops
