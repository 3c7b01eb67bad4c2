#pragma once

#include "common/Result.h"
#include "connection/ConnectionSettings.h"

#include <memory>
#include <optional>

namespace dbops {

class DatabaseConnection;

/// A throwaway database, `dbops_shadow_<random>`, on a server where we may
/// CREATE DATABASE.  It lives as long as this object: the destructor drops it
/// (WITH (FORCE) on PostgreSQL 13+, which also ends stray sessions), whatever
/// happened in between, so a failed replay leaves nothing behind.
///
/// The server connection (to the database the settings name, by default
/// `postgres`) stays open for the drop, so dropping never depends on being
/// able to connect again.
class ShadowDatabase
{
public:
    static constexpr const char* kNamePrefix = "dbops_shadow_";

    /// Creates the database (from template0: nothing but what the migrations create).
    static Result<std::unique_ptr<ShadowDatabase>> create(const ConnectionSettings& server);
    ~ShadowDatabase();
    ShadowDatabase(const ShadowDatabase&) = delete;
    ShadowDatabase& operator=(const ShadowDatabase&) = delete;

    const QString& name() const { return m_name; }
    /// The shadow database's own settings (its server's, with its dbname).
    const ConnectionSettings& settings() const { return m_settings; }
    /// A connection to the shadow database, opened on first use.
    Result<DatabaseConnection*> connection();
    /// Drops the database now; the error says why it could not be (the
    /// destructor can only warn).  Dropping twice is a no-op.
    std::optional<Error> drop();

    /// The server settings with the maintenance database filled in when absent.
    static ConnectionSettings serverSettings(const ConnectionSettings& server);

private:
    ShadowDatabase() = default;

    std::unique_ptr<DatabaseConnection> m_server;
    std::unique_ptr<DatabaseConnection> m_connection;
    ConnectionSettings m_settings; ///< of the shadow database itself
    QString m_name;
    bool m_dropped = true; ///< nothing to drop until CREATE DATABASE succeeded
};

} // namespace dbops
