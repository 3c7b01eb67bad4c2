#pragma once

#include "common/Result.h"

#include <functional>

class QObject;

namespace dbops {

/// Passwords in the OS keychain (Secret Service / KWallet through QtKeychain).
/// Never a plain file: where no keychain is reachable (no D-Bus session, as
/// on CI and servers, or DBOPS_KEYCHAIN=off) every call fails cleanly and
/// callers fall back to libpq's own ~/.pgpass / PGPASSFILE / service file.
/// read(), write() and remove() block (a local event loop, at most 10 s):
/// use them in the CLI; the console reads passwords with readAsync() in its
/// database worker, never on the GUI thread.
class PasswordStore
{
public:
    static QString serviceName() { return QStringLiteral("dbops-console"); }

    /// Whether a keychain backend answers at all.
    static bool isAvailable();
    /// The stored password; an empty string when none is stored; an error
    /// when the keychain is unavailable.
    static Result<QString> read(const QString& key);
    /// read() without blocking: `done` runs later in `context`'s thread (at
    /// once when the keychain is switched off), unless `context` is gone.
    static void readAsync(
        const QString& key, QObject* context, std::function<void(const Result<QString>&)> done);
    static std::optional<Error> write(const QString& key, const QString& password);
    /// Tests: called with the key in the thread that starts every read()
    /// and readAsync(), even with the keychain switched off (nullptr: none).
    static void setReadObserver(std::function<void(const QString& key)> observer);
    static std::optional<Error> remove(const QString& key);
};

} // namespace dbops
