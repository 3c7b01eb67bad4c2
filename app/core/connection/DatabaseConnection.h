#pragma once

#include "common/Result.h"
#include "connection/ConnectionSettings.h"

#include <QList>
#include <QMutex>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>
#include <memory>

namespace dbops {

/// A NOTICE or WARNING the server sent while a statement ran.
struct ServerNotice
{
    QString severity; ///< NOTICE, WARNING, INFO ...
    QString message;
    QString sqlState;
    QString detail;
    QString hint;
};

struct ServerInfo
{
    QString version; ///< server_version, e.g. "15.18"
    int versionNumber = 0; ///< server_version_num, e.g. 150018
    QString user;
    QString database;
    QString host;
    bool tls = false;
    int backendPid = 0;
};

/// Cancels the statement running on a connection, from any thread: a
/// server-side cancel through libpq's PQcancel (QtSql has no API for it).
class QueryCanceller
{
public:
    ~QueryCanceller();
    /// Returns false (and why) when the cancel request could not be sent.
    bool cancel(QString* error = nullptr);

private:
    friend class DatabaseConnection;
    void reset(void* pgCancel);
    QMutex m_mutex;
    void* m_cancel = nullptr; // PGcancel*
};

/// One QPSQL connection, owned by the thread that opened it (QtSql
/// connections may only be used from their thread).  Errors carry SQLSTATE,
/// detail and hint; server notices are collected; cancel goes through the
/// QueryCanceller, which another thread may hold.
class DatabaseConnection
{
public:
    ~DatabaseConnection();
    DatabaseConnection(const DatabaseConnection&) = delete;
    DatabaseConnection& operator=(const DatabaseConnection&) = delete;

    /// Opens a connection in the calling thread; application_name defaults to "dbops".
    static Result<std::unique_ptr<DatabaseConnection>> open(const ConnectionSettings& settings);

    QSqlDatabase& database() { return m_db; }
    const ConnectionSettings& settings() const { return m_settings; }

    /// Runs one statement (with bound values, if any).  The error names the
    /// SQLSTATE, the server's message, detail and hint.
    Result<QSqlQuery> exec(const QString& sql, const QVariantList& values = {});
    /// Runs a statement expected to return one value.
    Result<QVariant> scalar(const QString& sql, const QVariantList& values = {});

    ServerInfo serverInfo();
    std::shared_ptr<QueryCanceller> canceller() const { return m_canceller; }
    /// The notices received since the last call.
    QList<ServerNotice> takeNotices();
    /// True while the server connection is alive (PQstatus).
    bool isAlive() const;
    /// Where in the last failed statement the server placed the error: line
    /// and column (1-based) inside the statement text, 0 when it said nothing.
    int lastErrorLine() const { return m_lastErrorLine; }
    int lastErrorColumn() const { return m_lastErrorColumn; }

    /// Turns a QSqlError into an Error (message, SQLSTATE, detail, hint), with
    /// the password redacted; `line`/`column` receive the error's place in the statement.
    Error toError(const QSqlError& error, int* line = nullptr, int* column = nullptr) const;

    /// The libpq connection under the QPSQL one (a PGconn*; null when not
    /// open), for what QtSql has no API for: single-row mode, pipelines,
    /// cancel, notices.  Qt 5 and Qt 6 name the handle's type differently.
    void* pgconn() const;

private:
    DatabaseConnection() = default;
    static void noticeReceiver(void* self, const void* result);

    QString m_name;
    QSqlDatabase m_db;
    ConnectionSettings m_settings;
    std::shared_ptr<QueryCanceller> m_canceller = std::make_shared<QueryCanceller>();
    QMutex m_noticeMutex;
    QList<ServerNotice> m_notices;
    int m_lastErrorLine = 0;
    int m_lastErrorColumn = 0;
};

} // namespace dbops
