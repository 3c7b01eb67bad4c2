#pragma once

#include "common/Result.h"
#include "connection/ConnectionSettings.h"

#include <QString>
#include <memory>
#include <optional>

class QProcess;
class QTemporaryDir;

namespace dbops {

/// A throwaway PostgreSQL server that dbops starts on this machine for a
/// shadow replay that must not touch the target's own server (a read-only
/// profile never writes there).  initdb fills a temporary folder; `postgres`
/// listens only on a Unix socket in that folder (no TCP port), with trust
/// authentication for the superuser `postgres`.  It lives as long as this
/// object: the destructor stops the server and deletes the folder.
///
/// initdb and postgres refuse to run as root, so as root both run as the
/// `postgres` OS user (through runuser), and the folder is handed to it.
class LocalShadowServer
{
public:
    /// The environment variable naming the folder of the server programs;
    /// when set, no other folder is searched.
    static constexpr const char* kBinDirVariable = "DBOPS_PG_BINDIR";

    /// The folder holding initdb and postgres: $DBOPS_PG_BINDIR when set,
    /// else /usr/lib/postgresql/<major>/bin of `preferredMajor` when installed,
    /// else of the newest installed major, else initdb's folder on PATH.
    /// Empty when none has both programs.
    static QString findBinDir(int preferredMajor = 0);

    /// Runs initdb into a new temporary folder and starts the server from
    /// findBinDir(preferredMajor); returns once it accepts connections.
    static Result<std::unique_ptr<LocalShadowServer>> start(int preferredMajor = 0);

    ~LocalShadowServer();
    LocalShadowServer(const LocalShadowServer&) = delete;
    LocalShadowServer& operator=(const LocalShadowServer&) = delete;

    /// Its `postgres` database as the superuser `postgres`, over the socket.
    ConnectionSettings settings() const;
    int majorVersion() const { return m_major; }
    /// "a throwaway local PostgreSQL 15 server in /tmp/dbops-shadow-AbC123"
    QString describe() const;
    /// Stops the server (fast shutdown) and deletes its folder; the error says
    /// what was left behind (the destructor can only warn).  Twice is a no-op.
    std::optional<Error> stop();

private:
    LocalShadowServer();
    QStringList asServerUser(const QString& program, const QStringList& arguments) const;
    std::optional<Error> initdb();
    std::optional<Error> launch();
    qint64 postmasterPid() const;
    QString logTail() const;
    /// Folders of earlier runs whose dbops process is gone (killed before it
    /// could clean up): their server is stopped and the folder deleted.
    static void removeLeftovers(const QString& parent);

    std::unique_ptr<QTemporaryDir> m_folder;
    std::unique_ptr<QProcess> m_server;
    QString m_binDir;
    QString m_runuser; ///< set when running as root
    int m_major = 0;
};

} // namespace dbops
