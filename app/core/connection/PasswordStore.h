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
/// use them in the CLI.  The console uses readAsync() (in its database
/// worker), writeAsync() and removeAsync(), never a blocking call on the GUI
/// thread.
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
    /// `context` lives in the calling thread; a keychain that does not answer
    /// within 10 s counts as unavailable, as in read().
    static void readAsync(
        const QString& key, QObject* context, std::function<void(const Result<QString>&)> done);
    static std::optional<Error> write(const QString& key, const QString& password);
    /// write() without blocking: `done` runs later, through the event loop of
    /// `context` (an object of the calling thread), also when the keychain is
    /// switched off, unless `context` is gone by then; the write itself
    /// completes either way.
    static void writeAsync(const QString& key, const QString& password, QObject* context,
        std::function<void(const std::optional<Error>&)> done);
    /// Tests: called with the key in the thread that starts every read()
    /// and readAsync(), even with the keychain switched off (nullptr: none).
    static void setReadObserver(std::function<void(const QString& key)> observer);
    static std::optional<Error> remove(const QString& key);
    /// remove() without blocking, answered as writeAsync() is.
    static void removeAsync(
        const QString& key, QObject* context, std::function<void(const std::optional<Error>&)> done);
};

} // namespace dbops
