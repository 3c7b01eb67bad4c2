#include "connection/DatabaseConnection.h"

#include <QAtomicInt>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>
#include <libpq-fe.h>
#include <mutex>

namespace dbops {

namespace {

QAtomicInt g_connectionCounter;

// QtSql's registry of named connections is thread-safe behind a lock of its
// own, but that lock is invisible to ThreadSanitizer (Qt is not built with
// it), so threads adding and removing connections at once (the fleet's pool)
// looked like a race on the names.  This lock in our code orders them where
// TSan can see it; it costs nothing beside a connect.
std::mutex g_registryMutex;

// libpq's conninfo quoting: single quotes, backslash escapes.
QString quoteConninfo(const QString& value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

} // namespace

QueryCanceller::~QueryCanceller()
{
    reset(nullptr);
}

void QueryCanceller::reset(void* pgCancel)
{
    QMutexLocker lock(&m_mutex);
    if (m_cancel)
        PQfreeCancel(static_cast<PGcancel*>(m_cancel));
    m_cancel = pgCancel;
}

bool QueryCanceller::cancel(QString* error)
{
    QMutexLocker lock(&m_mutex);
    if (!m_cancel) {
        if (error)
            *error = QStringLiteral("not connected");
        return false;
    }
    char buffer[256] = {};
    if (!PQcancel(static_cast<PGcancel*>(m_cancel), buffer, sizeof buffer)) {
        if (error)
            *error = QString::fromUtf8(buffer);
        return false;
    }
    return true;
}

DatabaseConnection::~DatabaseConnection()
{
    m_canceller->reset(nullptr);
    if (PGconn* conn = static_cast<PGconn*>(pgconn()))
        PQsetNoticeReceiver(conn, nullptr, nullptr);
    m_db.close();
    const std::lock_guard<std::mutex> registry(g_registryMutex);
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

Result<std::unique_ptr<DatabaseConnection>> DatabaseConnection::open(const ConnectionSettings& settings)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return Error::database(QStringLiteral("the Qt PostgreSQL driver (QPSQL) is not installed "
                                              "(Debian: libqt6sql6-psql or libqt5sql5-psql)"));
    std::unique_ptr<DatabaseConnection> connection(new DatabaseConnection);
    connection->m_settings = settings;
    // QtSql connections belong to one thread: the name says which.
    connection->m_name = QStringLiteral("dbops-%1-%2")
                             .arg(reinterpret_cast<quintptr>(QThread::currentThread()), 0, 16)
                             .arg(g_connectionCounter.fetchAndAddRelaxed(1));
    {
        const std::lock_guard<std::mutex> registry(g_registryMutex);
        connection->m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection->m_name);
    }

    QStringList options;
    QMap<QString, QString> keywords = settings.keywords();
    if (!keywords.contains(QStringLiteral("application_name")))
        keywords.insert(QStringLiteral("application_name"), QStringLiteral("dbops"));
    for (auto it = keywords.cbegin(); it != keywords.cend(); ++it)
        options.append(it.key() + QLatin1Char('=') + quoteConninfo(it.value()));
    connection->m_db.setConnectOptions(options.join(QLatin1Char(';')));
    if (settings.hasPassword())
        connection->m_db.setPassword(settings.password());

    if (!connection->m_db.open()) {
        Error error = connection->toError(connection->m_db.lastError());
        error.message = QStringLiteral("cannot connect to %1: %2").arg(settings.describe(), error.message);
        return error;
    }
    PGconn* conn = static_cast<PGconn*>(connection->pgconn());
    if (!conn)
        return Error::database(QStringLiteral("the QPSQL driver gave no libpq handle (%1)")
                                   .arg(QString::fromLatin1(connection->m_db.driver()->handle().typeName())));
    PQsetNoticeReceiver(
        conn, reinterpret_cast<PQnoticeReceiver>(&DatabaseConnection::noticeReceiver), connection.get());
    connection->m_canceller->reset(PQgetCancel(conn));
    return connection;
}

void* DatabaseConnection::pgconn() const
{
    if (!m_db.isValid() || !m_db.driver())
        return nullptr;
    const QVariant handle = m_db.driver()->handle();
    // Qt 5 names the type "PGconn*", Qt 6 "pg_conn*": the same libpq struct.
    if (!handle.isValid()
        || (qstrcmp(handle.typeName(), "PGconn*") != 0 && qstrcmp(handle.typeName(), "pg_conn*") != 0))
        return nullptr;
    return *static_cast<PGconn* const*>(handle.constData());
}

void DatabaseConnection::noticeReceiver(void* self, const void* result)
{
    auto* connection = static_cast<DatabaseConnection*>(self);
    const PGresult* res = static_cast<const PGresult*>(result);
    auto field = [res](int code) { return QString::fromUtf8(PQresultErrorField(res, code)); };
    ServerNotice notice;
    notice.severity = field(PG_DIAG_SEVERITY_NONLOCALIZED);
    if (notice.severity.isEmpty())
        notice.severity = field(PG_DIAG_SEVERITY);
    notice.message = field(PG_DIAG_MESSAGE_PRIMARY);
    notice.sqlState = field(PG_DIAG_SQLSTATE);
    notice.detail = field(PG_DIAG_MESSAGE_DETAIL);
    notice.hint = field(PG_DIAG_MESSAGE_HINT);
    QMutexLocker lock(&connection->m_noticeMutex);
    connection->m_notices.append(notice);
}

QList<ServerNotice> DatabaseConnection::takeNotices()
{
    QMutexLocker lock(&m_noticeMutex);
    QList<ServerNotice> notices;
    notices.swap(m_notices);
    return notices;
}

bool DatabaseConnection::isAlive() const
{
    PGconn* conn = static_cast<PGconn*>(pgconn());
    return conn && PQstatus(conn) == CONNECTION_OK;
}

Error DatabaseConnection::toError(const QSqlError& sqlError, int* line, int* column) const
{
    // QPSQL reports the SQLSTATE as native error code and libpq's full
    // message text: "ERROR:  msg\nDETAIL:  ...\nHINT:  ...\nLINE 2: ...\n  ^".
    QString text = sqlError.databaseText().trimmed();
    // QPSQL appends "(SQLSTATE)" to a statement's error, and "()" when the
    // server sent none (the connection was lost): the Error carries the
    // SQLSTATE separately, and an empty "()" must never reach a message.
    const QString appendedState = QLatin1Char('(') + sqlError.nativeErrorCode() + QLatin1Char(')');
    if (sqlError.type() == QSqlError::StatementError && text.endsWith(appendedState))
        text = text.left(text.size() - appendedState.size()).trimmed();
    if (text.isEmpty())
        text = sqlError.driverText().trimmed();
    Error error = Error::database({}, sqlError.nativeErrorCode());
    const QStringList lines = text.split(QLatin1Char('\n'));
    QStringList message;
    static const QRegularExpression severity(QStringLiteral("^(ERROR|FATAL|PANIC):\\s+"));
    static const QRegularExpression lineMarker(QStringLiteral("^LINE (\\d+): (.*)$"));
    int errorLine = 0;
    QString errorLineText;
    // The primary message ends at the first field; an unlabelled line after
    // it continues that field (a CONTEXT spans a line per call level).
    bool primaryDone = false;
    QString* continued = nullptr;
    for (int i = 0; i < lines.size(); ++i) {
        const QString& l = lines.at(i);
        if (l.startsWith(QLatin1String("DETAIL:"))) {
            error.detail = l.mid(7).trimmed();
            continued = &error.detail;
            primaryDone = true;
        } else if (l.startsWith(QLatin1String("HINT:"))) {
            error.hint = l.mid(5).trimmed();
            continued = &error.hint;
            primaryDone = true;
        } else if (l.startsWith(QLatin1String("CONTEXT:")) || l.startsWith(QLatin1String("QUERY:"))
            || l.startsWith(QLatin1String("LOCATION:"))) {
            continued = nullptr;
            primaryDone = true;
        } else if (const QRegularExpressionMatch m = lineMarker.match(l); m.hasMatch()) {
            continued = nullptr;
            primaryDone = true;
            errorLine = m.captured(1).toInt();
            errorLineText = QStringLiteral("LINE ") + m.captured(1) + QStringLiteral(": ");
            if (line)
                *line = errorLine;
            if (i + 1 < lines.size()) {
                // libpq may shorten a long line with "...", so the column is a best effort.
                const int caret = static_cast<int>(lines.at(i + 1).indexOf(QLatin1Char('^')));
                if (caret >= 0 && column && !m.captured(2).startsWith(QLatin1String("...")))
                    *column = caret - static_cast<int>(errorLineText.size()) + 1;
            }
            ++i;
        } else if (!primaryDone) {
            QString part = l;
            part.remove(severity);
            if (!part.trimmed().isEmpty())
                message.append(part); // untrimmed: the indentation tells how lines join
        } else if (continued && !l.trimmed().isEmpty()) {
            *continued += QLatin1Char(' ') + l.trimmed();
        }
    }
    // libpq spreads a failure over lines: a new message starts at the margin
    // ("...: Connection refused" / "server closed the connection
    // unexpectedly"), an indented line adds a sentence ("\tIs the server
    // running ...?") or continues one ("\tbefore or while ..."); joined with
    // the punctuation the line breaks stood for.
    QString joined;
    for (const QString& part : std::as_const(message)) {
        const QString sentence = part.trimmed();
        if (!joined.isEmpty()) {
            const bool indented = part.front().isSpace();
            const bool ended = joined.back().isPunct();
            if (!indented)
                joined += ended ? QStringLiteral(" ") : QStringLiteral("; ");
            else
                joined += sentence.front().isUpper() && !ended ? QStringLiteral(". ") : QStringLiteral(" ");
        }
        joined += sentence;
    }
    if (joined.isEmpty())
        joined = text;
    // QPSQL appends "(SQLSTATE)" to the text; the Error carries it separately.
    if (!error.sqlState.isEmpty())
        joined.remove(QStringLiteral(" (") + error.sqlState + QLatin1Char(')'));
    error.message = m_settings.redact(joined.trimmed());
    error.detail = m_settings.redact(error.detail);
    return error;
}

Result<QSqlQuery> DatabaseConnection::exec(const QString& sql, const QVariantList& values)
{
    m_lastErrorLine = 0;
    m_lastErrorColumn = 0;
    if (!isAlive()) {
        // QSqlQuery would only print "QSqlQuery::exec: database not open" on
        // the terminal and fail with an empty error: say it here instead.
        return Error::database(QStringLiteral("the connection to %1 is closed (the server went away)")
                                   .arg(m_settings.describe()),
            QStringLiteral("08003"));
    }
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    bool ok = false;
    if (values.isEmpty()) {
        ok = query.exec(sql);
    } else {
        if (!query.prepare(sql)) {
            return toError(query.lastError(), &m_lastErrorLine, &m_lastErrorColumn);
        }
        for (const QVariant& v : values)
            query.addBindValue(v);
        ok = query.exec();
    }
    if (!ok)
        return toError(query.lastError(), &m_lastErrorLine, &m_lastErrorColumn);
    return query;
}

Result<QVariant> DatabaseConnection::scalar(const QString& sql, const QVariantList& values)
{
    Result<QSqlQuery> query = exec(sql, values);
    if (!query)
        return query.error();
    if (!query.value().next())
        return QVariant();
    return query.value().value(0);
}

ServerInfo DatabaseConnection::serverInfo()
{
    ServerInfo info;
    Result<QSqlQuery> q = exec(QStringLiteral(
        "SELECT current_setting('server_version'), current_setting('server_version_num')::int, current_user, "
        "current_database(), coalesce(inet_server_addr()::text, 'local socket'), pg_backend_pid()"));
    if (q && q.value().next()) {
        QSqlQuery& row = q.value();
        info.version = row.value(0).toString().section(QLatin1Char(' '), 0, 0);
        info.versionNumber = row.value(1).toInt();
        info.user = row.value(2).toString();
        info.database = row.value(3).toString();
        info.host = row.value(4).toString();
        info.backendPid = row.value(5).toInt();
    }
    if (PGconn* conn = static_cast<PGconn*>(pgconn()))
        info.tls = PQsslInUse(conn) != 0;
    return info;
}

} // namespace dbops
