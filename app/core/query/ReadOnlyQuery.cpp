#include "query/ReadOnlyQuery.h"

#include "checks/SideEffectFunctions.h"
#include "connection/DatabaseConnection.h"
#include "sql/SqlParser.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <libpq-fe.h>
#include <poll.h>

namespace dbops {

namespace {

struct ResultDeleter
{
    void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPointer = std::unique_ptr<PGresult, ResultDeleter>;

const char* const kQueryCanceled = "57014";

// ---------------------------------------------------------------- the checks

const QString kWhatRuns = QStringLiteral(
    "the query console runs only reads: SELECT, WITH ... SELECT, VALUES, TABLE, SHOW and EXPLAIN");

// {"SelectStmt":{...}} -> "SelectStmt" and its body.
QString nodeType(const QJsonValue& node, QJsonObject* body)
{
    const QJsonObject wrapper = node.toObject();
    if (wrapper.size() != 1)
        return {};
    *body = wrapper.constBegin().value().toObject();
    return wrapper.constBegin().key();
}

// The first of `keys` found anywhere under `node`: libpg_query leaves empty
// fields out, so a key that is there has something in it.
QString findKey(const QJsonValue& node, const QStringList& keys)
{
    if (node.isArray()) {
        const QJsonArray array = node.toArray();
        for (const QJsonValue& item : array) {
            const QString found = findKey(item, keys);
            if (!found.isEmpty())
                return found;
        }
    } else if (node.isObject()) {
        const QJsonObject object = node.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (keys.contains(it.key()))
                return it.key();
            const QString found = findKey(it.value(), keys);
            if (!found.isEmpty())
                return found;
        }
    }
    return {};
}

QString writeVerb(const QString& node)
{
    if (node == QLatin1String("InsertStmt"))
        return QStringLiteral("INSERT");
    if (node == QLatin1String("UpdateStmt"))
        return QStringLiteral("UPDATE");
    if (node == QLatin1String("DeleteStmt"))
        return QStringLiteral("DELETE");
    return QStringLiteral("MERGE");
}

// EXPLAIN's ANALYZE option: `EXPLAIN ANALYZE`, `(ANALYZE)`, `(ANALYZE true)`
// and anything but false, off, no or 0 turn it on.
bool explainAnalyzes(const QJsonObject& explain)
{
    const QJsonArray options = explain.value(QLatin1String("options")).toArray();
    for (const QJsonValue& option : options) {
        const QJsonObject def = option.toObject().value(QLatin1String("DefElem")).toObject();
        if (def.value(QLatin1String("defname"))
                .toString()
                .compare(QLatin1String("analyze"), Qt::CaseInsensitive)
            != 0)
            continue;
        const QJsonObject arg = def.value(QLatin1String("arg")).toObject();
        if (arg.isEmpty())
            return true;
        if (arg.contains(QLatin1String("Integer")))
            return arg.value(QLatin1String("Integer")).toObject().value(QLatin1String("ival")).toInt() != 0;
        if (arg.contains(QLatin1String("Boolean")))
            return arg.value(QLatin1String("Boolean")).toObject().value(QLatin1String("boolval")).toBool();
        const QJsonObject string = arg.value(QLatin1String("String")).toObject();
        const QString value = (string.contains(QLatin1String("sval")) ? string.value(QLatin1String("sval"))
                                                                      : string.value(QLatin1String("str")))
                                  .toString()
                                  .toLower();
        return value != QLatin1String("false") && value != QLatin1String("off")
            && value != QLatin1String("no") && value != QLatin1String("0");
    }
    return false;
}

// Why the statement (`type`, its parse tree `body`) is not a read; nothing when it is.
std::optional<QString> whyNotARead(const QString& type, const QJsonObject& body, const QString& statement)
{
    if (type == QLatin1String("SelectStmt")) {
        static const QStringList writes = { QStringLiteral("InsertStmt"), QStringLiteral("UpdateStmt"),
            QStringLiteral("DeleteStmt"), QStringLiteral("MergeStmt") };
        if (const QString write = findKey(body, writes); !write.isEmpty())
            return QStringLiteral("a WITH query that runs %1 writes").arg(writeVerb(write));
        if (!findKey(body, { QStringLiteral("intoClause") }).isEmpty())
            return QStringLiteral("SELECT INTO creates a table");
        if (!findKey(body, { QStringLiteral("lockingClause") }).isEmpty())
            return QStringLiteral("FOR UPDATE / FOR SHARE locks rows that other sessions then wait for");
        return std::nullopt;
    }
    if (type == QLatin1String("VariableShowStmt"))
        return std::nullopt;
    if (type == QLatin1String("ExplainStmt")) {
        if (!explainAnalyzes(body))
            return std::nullopt; // only plans: nothing runs
        QJsonObject innerBody;
        const QString inner = nodeType(body.value(QLatin1String("query")), &innerBody);
        if (const std::optional<QString> reason = whyNotARead(inner, innerBody, {}))
            return QStringLiteral("EXPLAIN ANALYZE runs the statement, and %1").arg(*reason);
        return std::nullopt;
    }
    if (type == QLatin1String("CopyStmt"))
        return QStringLiteral("COPY is not run here (export the result as CSV instead)");
    const QString description
        = statement.isEmpty() ? QString() : SqlParser::classify(statement).description.trimmed();
    if (!description.isEmpty())
        return QStringLiteral("%1 is not a read").arg(description);
    return QStringLiteral("a %1 is not a read").arg(type);
}

Error refusalAt(const SqlStatement& statement, const QString& reason, int offsetInStatement = 0)
{
    int line = statement.line;
    int column = statement.column;
    if (offsetInStatement > 0)
        statement.locate(offsetInStatement + 1, &line, &column);
    return Error::input(QStringLiteral("not run: %1; %2").arg(reason, kWhatRuns), {}, line, column);
}

std::optional<Error> refusalOf(const SqlStatement& statement)
{
    if (statement.noParse)
        return refusalAt(statement, QStringLiteral("a statement marked no-parse cannot be checked"));
    if (const std::optional<SqlSyntaxError> syntax = SqlParser::checkSyntax(statement.text)) {
        int line = 0;
        int column = 0;
        statement.locate(syntax->offset + 1, &line, &column);
        return Error::input(syntax->message, {}, line, column);
    }
    const QJsonDocument tree = QJsonDocument::fromJson(SqlParser::parseTreeJson(statement.text));
    const QJsonArray statements = tree.object().value(QLatin1String("stmts")).toArray();
    if (statements.size() != 1)
        return refusalAt(statement, QStringLiteral("its parse tree cannot be read"));
    QJsonObject body;
    const QString type = nodeType(statements.first().toObject().value(QLatin1String("stmt")), &body);
    if (const std::optional<QString> reason = whyNotARead(type, body, statement.text))
        return refusalAt(statement, *reason);
    if (std::optional<Error> refused
        = SideEffectFunctions::refuse(statement, QStringLiteral("a read-only query"), {})) {
        refused->message = QStringLiteral("not run: ") + refused->message;
        return refused;
    }
    return std::nullopt;
}

bool isNumericType(quint32 oid)
{
    switch (oid) {
    case 20: // int8
    case 21: // int2
    case 23: // int4
    case 26: // oid
    case 700: // float4
    case 701: // float8
    case 790: // money
    case 1700: // numeric
        return true;
    default:
        return false;
    }
}

} // namespace

// ---------------------------------------------------------------- one run

/// The state of one run on one libpq connection.
struct ReadOnlyQuery::Run
{
    ReadOnlyQuery& query;
    DatabaseConnection& connection;
    PGconn* pg;
    bool stoppedForLimit = false; ///< we cancelled the statement ourselves: enough rows
    QElapsedTimer sinceCancel;

    bool wantsCancel() const { return stoppedForLimit || query.m_cancelRequested.load(); }

    /// The next result of the statement running, or nullptr at its end.
    /// Waits on the socket in slices, so a cancel that reached the server
    /// before the statement started (and was dropped there) is sent again.
    PGresult* nextResult()
    {
        while (PQisBusy(pg)) {
            if (wantsCancel() && (!sinceCancel.isValid() || sinceCancel.elapsed() >= 1000)) {
                query.sendCancel();
                sinceCancel.start();
            }
            pollfd socket { PQsocket(pg), POLLIN, 0 };
            ::poll(&socket, 1, 200);
            if (!PQconsumeInput(pg))
                break; // the connection is gone: PQgetResult says so
        }
        return PQgetResult(pg);
    }

    Error errorOf(const PGresult* result, const SqlStatement* statement) const
    {
        auto field = [result](int code) {
            return result ? QString::fromUtf8(PQresultErrorField(result, code)) : QString();
        };
        QString message = field(PG_DIAG_MESSAGE_PRIMARY);
        if (message.isEmpty())
            message = QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(pg)).trimmed();
        if (message.isEmpty())
            message = QString::fromUtf8(PQerrorMessage(pg)).trimmed();
        if (message.isEmpty())
            message = QStringLiteral("the connection was lost");
        const ConnectionSettings& settings = connection.settings();
        Error error = Error::database(settings.redact(message), field(PG_DIAG_SQLSTATE));
        error.detail = settings.redact(field(PG_DIAG_MESSAGE_DETAIL));
        error.hint = field(PG_DIAG_MESSAGE_HINT);
        if (statement) {
            error.line = statement->line;
            error.column = statement->column;
            if (const int position = field(PG_DIAG_STATEMENT_POSITION).toInt(); position > 0)
                statement->locate(position, &error.line, &error.column);
        }
        return error;
    }

    /// Runs a statement of our own (BEGIN, SET, ROLLBACK).
    std::optional<Error> command(const char* sql)
    {
        ResultPointer result(PQexec(pg, sql));
        if (PQresultStatus(result.get()) == PGRES_COMMAND_OK)
            return std::nullopt;
        return errorOf(result.get(), nullptr);
    }

    /// Ends the transaction, also one a late cancel left open.
    void rollback()
    {
        for (int attempt = 0; attempt < 2 && PQtransactionStatus(pg) != PQTRANS_IDLE; ++attempt) {
            if (PQtransactionStatus(pg) == PQTRANS_UNKNOWN)
                return;
            command("ROLLBACK");
        }
    }

    static QList<QueryColumn> columnsOf(const PGresult* result)
    {
        QList<QueryColumn> columns;
        const int count = PQnfields(result);
        for (int i = 0; i < count; ++i) {
            QueryColumn column;
            column.name = QString::fromUtf8(PQfname(result, i));
            column.typeOid = PQftype(result, i);
            column.numeric = isNumericType(column.typeOid);
            columns.append(column);
        }
        return columns;
    }

    /// Runs one statement; its rows go into `table` (nullptr: read and
    /// dropped, for statements before the last).  Sets `truncated` when the
    /// limits stopped it; `cancelled` when the user did.
    std::optional<Error> statement(const SqlStatement& statement, QueryTable* table, const Options& options,
        QString* commandTag, bool* truncated, bool* cancelled)
    {
        stoppedForLimit = false;
        sinceCancel.invalidate();
        const QByteArray text = statement.text.toUtf8();
        if (!PQsendQueryParams(pg, text.constData(), 0, nullptr, nullptr, nullptr, nullptr, 0))
            return errorOf(nullptr, &statement);
        PQsetSingleRowMode(pg);
        const qint64 byteLimit = std::min<qint64>(options.byteLimit, QueryTable::kMaxBytes);
        bool columnsSet = false;
        std::optional<Error> error;
        while (PGresult* raw = nextResult()) {
            ResultPointer result(raw);
            switch (PQresultStatus(raw)) {
            case PGRES_SINGLE_TUPLE: {
                if (!table || stoppedForLimit)
                    break;
                if (!columnsSet) {
                    table->setColumns(columnsOf(raw));
                    columnsSet = true;
                }
                const int columns = PQnfields(raw);
                qint64 rowBytes = 0;
                for (int c = 0; c < columns; ++c)
                    rowBytes += PQgetlength(raw, 0, c);
                if (table->rowCount() >= options.rowLimit || table->byteCount() + rowBytes > byteLimit) {
                    // Enough: the server stops the statement, the rest is never sent.
                    stoppedForLimit = true;
                    *truncated = true;
                    break;
                }
                for (int c = 0; c < columns; ++c)
                    table->appendCell(PQgetvalue(raw, 0, c), PQgetlength(raw, 0, c), PQgetisnull(raw, 0, c));
                table->finishRow();
                break;
            }
            case PGRES_TUPLES_OK:
                if (table && !columnsSet) {
                    table->setColumns(columnsOf(raw));
                    columnsSet = true;
                }
                *commandTag = QString::fromUtf8(PQcmdStatus(raw));
                break;
            case PGRES_COMMAND_OK:
                *commandTag = QString::fromUtf8(PQcmdStatus(raw));
                break;
            case PGRES_EMPTY_QUERY:
                break;
            case PGRES_COPY_IN: // refused before sending; never leave the protocol hanging
                PQputCopyEnd(pg, "COPY is not run by the query console");
                break;
            case PGRES_COPY_OUT: {
                char* buffer = nullptr;
                while (PQgetCopyData(pg, &buffer, 0) > 0)
                    PQfreemem(buffer);
                break;
            }
            default: {
                const QString state = QString::fromUtf8(PQresultErrorField(raw, PG_DIAG_SQLSTATE));
                if (state == QLatin1String(kQueryCanceled) && stoppedForLimit)
                    break; // our own cancel for the row limit
                if (state == QLatin1String(kQueryCanceled) && query.m_cancelRequested.load()) {
                    *cancelled = true;
                    break;
                }
                if (!error)
                    error = errorOf(raw, &statement);
                break;
            }
            }
        }
        if (stoppedForLimit && commandTag->isEmpty())
            *commandTag = QStringLiteral("SELECT");
        return error;
    }

    /// The server's names of the columns' types (format_type), read after the
    /// transaction: a statement cancelled for the row limit aborts it.
    void nameTypes(QueryTable& table)
    {
        QList<QueryColumn>& columns = table.mutableColumns();
        QStringList oids;
        for (const QueryColumn& column : std::as_const(columns))
            oids.append(QString::number(column.typeOid));
        QHash<quint32, QString> names;
        if (!oids.isEmpty()) {
            const QByteArray array = QByteArray("{") + oids.join(QLatin1Char(',')).toLatin1() + '}';
            const char* values[] = { array.constData() };
            ResultPointer result(PQexecParams(pg,
                "SELECT oid::int8, pg_catalog.format_type(oid, NULL) FROM pg_catalog.pg_type "
                "WHERE oid = ANY($1::oid[])",
                1, nullptr, values, nullptr, nullptr, 0));
            if (PQresultStatus(result.get()) == PGRES_TUPLES_OK) {
                for (int row = 0; row < PQntuples(result.get()); ++row)
                    names.insert(QByteArray(PQgetvalue(result.get(), row, 0)).toUInt(),
                        QString::fromUtf8(PQgetvalue(result.get(), row, 1)));
            }
            rollback(); // a late cancel of ours may have hit the lookup instead
        }
        for (QueryColumn& column : columns)
            column.typeName = names.value(column.typeOid, QStringLiteral("oid %1").arg(column.typeOid));
    }
};

ReadOnlyQuery::ReadOnlyQuery()
    : ReadOnlyQuery(Options())
{ }

ReadOnlyQuery::ReadOnlyQuery(const Options& options)
    : m_options(options)
{ }

ReadOnlyQuery::~ReadOnlyQuery() = default;

Result<SqlStatementList> ReadOnlyQuery::readStatements(const QString& sql)
{
    Result<SqlStatementList> split = SqlParser::split(sql);
    if (!split)
        return split.error();
    if (split->isEmpty())
        return Error::input(QStringLiteral("nothing to run: the text holds no statement"));
    for (const SqlStatement& statement : std::as_const(split.value())) {
        if (std::optional<Error> refused = refusalOf(statement))
            return *refused;
    }
    return split;
}

void ReadOnlyQuery::sendCancel()
{
    QMutexLocker lock(&m_cancellerMutex);
    if (m_canceller)
        m_canceller->cancel();
}

void ReadOnlyQuery::requestCancel()
{
    m_cancelRequested.store(true);
    sendCancel();
}

QueryResult ReadOnlyQuery::run(DatabaseConnection& connection, const QString& sql)
{
    QElapsedTimer timer;
    timer.start();
    QueryResult result;
    result.rowLimit = m_options.rowLimit;
    result.statementTimeoutSeconds = m_options.effectiveTimeoutSeconds();
    auto finish = [&](QueryResult::Status status, std::optional<Error> error) {
        result.status = status;
        result.error = std::move(error);
        result.milliseconds = timer.elapsed();
        QMutexLocker lock(&m_cancellerMutex);
        m_canceller.reset();
        return result;
    };

    const Result<SqlStatementList> statements = readStatements(sql);
    if (!statements)
        return finish(QueryResult::Status::Refused, statements.error());
    result.statementCount = static_cast<int>(statements->size());

    // Rows are read straight from libpq's buffers, in single-row mode, which
    // QSqlQuery has no way to ask for.
    PGconn* pg = static_cast<PGconn*>(connection.pgconn());
    if (!pg || PQstatus(pg) != CONNECTION_OK)
        return finish(QueryResult::Status::Failed, Error::database(QStringLiteral("not connected")));
    if (PQtransactionStatus(pg) != PQTRANS_IDLE)
        return finish(QueryResult::Status::Failed,
            Error::database(QStringLiteral("the connection is inside a transaction already")));
    {
        QMutexLocker lock(&m_cancellerMutex);
        m_canceller = connection.canceller();
    }
    connection.takeNotices(); // only this run's notices go into the result
    const Error cancelledError = Error::database(
        QStringLiteral("cancelled: the query was stopped and its read-only transaction rolled back"),
        QString::fromLatin1(kQueryCanceled));
    if (m_cancelRequested.load())
        return finish(QueryResult::Status::Cancelled, cancelledError);

    Run run { *this, connection, pg, false, {} };
    const QByteArray timeout = QByteArray("SET LOCAL statement_timeout = '")
        + QByteArray::number(result.statementTimeoutSeconds) + "s'";
    for (const char* setup : { "BEGIN TRANSACTION READ ONLY", timeout.constData() }) {
        if (std::optional<Error> error = run.command(setup)) {
            run.rollback();
            return finish(QueryResult::Status::Failed, error);
        }
    }

    auto table = std::make_shared<QueryTable>();
    std::optional<Error> failure;
    bool cancelled = false;
    for (int i = 0; i < statements->size() && !failure && !cancelled; ++i) {
        if (m_cancelRequested.load()) {
            cancelled = true;
            break;
        }
        const bool last = i == statements->size() - 1;
        result.commandTag.clear();
        failure = run.statement(statements->at(i), last ? table.get() : nullptr, m_options,
            &result.commandTag, &result.truncated, &cancelled);
    }
    // Always ROLLBACK: nothing a query did stays, even if a function it called tried.
    run.rollback();
    result.notices = connection.takeNotices();
    if (cancelled
        || (m_cancelRequested.load() && failure && failure->sqlState == QLatin1String(kQueryCanceled)))
        return finish(QueryResult::Status::Cancelled, cancelledError);
    if (failure) {
        if (failure->sqlState == QLatin1String(kQueryCanceled) && failure->hint.isEmpty())
            failure->hint = QStringLiteral("the query console stops a statement after %1 s")
                                .arg(result.statementTimeoutSeconds);
        result.truncated = false;
        return finish(QueryResult::Status::Failed, failure);
    }
    if (PQstatus(pg) != CONNECTION_OK)
        return finish(QueryResult::Status::Failed, run.errorOf(nullptr, nullptr));
    run.nameTypes(*table);
    table->squeeze();
    result.table = table;
    return finish(QueryResult::Status::Ok, std::nullopt);
}

} // namespace dbops
