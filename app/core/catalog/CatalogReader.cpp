#include "catalog/CatalogReader.h"

#include "connection/DatabaseConnection.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDriver>
#include <QVariant>
#include <algorithm>
#include <cstdlib>
#include <functional>
#include <future>
#include <iterator>
#include <libpq-fe.h>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

// Q_INIT_RESOURCE must be called from the global namespace; dbops_core is a
// static library, so the resource is linked in only when referenced.
static void initCatalogQueries()
{
    Q_INIT_RESOURCE(catalog_sql);
}

namespace dbops {

namespace {

QByteArray jsonArrayText(const QStringList& values)
{
    return QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact);
}

/// The libpq connection under a QPSQL one.  The reader talks to libpq
/// directly: QSqlQuery turns every field of every row into a QVariant, and
/// sends one statement at a time.
PGconn* libpqConnection(DatabaseConnection& connection)
{
    QSqlDatabase& db = connection.database();
    if (!db.isValid() || !db.driver())
        return nullptr;
    const QVariant handle = db.driver()->handle();
    // Qt 5 names the type "PGconn*", Qt 6 "pg_conn*": the same libpq struct.
    if (!handle.isValid()
        || (qstrcmp(handle.typeName(), "PGconn*") != 0 && qstrcmp(handle.typeName(), "pg_conn*") != 0))
        return nullptr;
    return *static_cast<PGconn* const*>(handle.constData());
}

struct ResultDeleter
{
    void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPointer = std::unique_ptr<PGresult, ResultDeleter>;

/// One query's rows, read by column number: the numbers are looked up once
/// per query (`column`), the values straight from libpq's buffer.
class Rows
{
public:
    explicit Rows(const PGresult* result)
        : m_result(result)
    { }

    int count() const { return PQntuples(m_result); }
    /// The column's number; records a missing one, which `error` then names.
    int column(const char* name)
    {
        const int number = PQfnumber(m_result, name);
        if (number < 0 && m_missing.isEmpty())
            m_missing = QString::fromLatin1(name);
        return number;
    }
    const QString& missingColumn() const { return m_missing; }

    QString text(int row, int column) const
    {
        return QString::fromUtf8(PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column));
    }
    bool boolean(int row, int column) const { return PQgetvalue(m_result, row, column)[0] == 't'; }
    quint32 oid(int row, int column) const
    {
        return static_cast<quint32>(std::strtoul(PQgetvalue(m_result, row, column), nullptr, 10));
    }

private:
    const PGresult* m_result;
    QString m_missing;
};

Error databaseError(PGconn* connection, const PGresult* result, const ConnectionSettings& settings)
{
    auto field = [result](int code) {
        return result ? QString::fromUtf8(PQresultErrorField(result, code)) : QString();
    };
    QString message = field(PG_DIAG_MESSAGE_PRIMARY);
    if (message.isEmpty())
        message
            = QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(connection)).trimmed();
    if (message.isEmpty())
        message = QString::fromUtf8(PQerrorMessage(connection)).trimmed();
    Error error = Error::database(settings.redact(message), field(PG_DIAG_SQLSTATE));
    error.detail = settings.redact(field(PG_DIAG_MESSAGE_DETAIL));
    error.hint = field(PG_DIAG_MESSAGE_HINT);
    return error;
}

/// A statement of the read and what to do with its rows.
struct Statement
{
    QString name; ///< names a catalog query in errors; empty for BEGIN, SET, ROLLBACK
    QByteArray sql;
    QList<QByteArray> parameters;
    std::function<std::optional<Error>(Rows&)> rows;
    /// Where the result goes instead of `rows`, to be handed over later (`handOver`):
    /// for a helper connection's results, read in another thread.
    ResultPointer* keep = nullptr;
};

/// Hands a result to its statement's row handler; names the query in an error.
std::optional<Error> handOver(const Statement& statement, const PGresult* result)
{
    if (!statement.rows)
        return std::nullopt;
    Rows rows(result);
    std::optional<Error> error = statement.rows(rows);
    if (!error && !rows.missingColumn().isEmpty())
        error = Error { Error::Kind::Internal,
            QStringLiteral("catalog query '%1' returns no column %2")
                .arg(statement.name, rows.missingColumn()),
            {}, 0, 0, {}, {}, {} };
    if (error && !statement.name.isEmpty())
        error->message = QStringLiteral("reading the catalog (%1): %2").arg(statement.name, error->message);
    return error;
}

/// Sends a read's statements and hands each result over as it arrives.
/// With libpq's pipeline mode everything goes out at once, so the server
/// works through the queries while the client turns the previous results into
/// the snapshot: one round trip, and client and server work side by side.
/// Each batch ends at a sync point, so a later batch (ROLLBACK) runs also
/// when a statement of an earlier one failed.
class StatementPipeline
{
public:
    StatementPipeline(
        PGconn* connection, const ConnectionSettings& settings, CatalogReader::Statistics& statistics)
        : m_connection(connection)
        , m_settings(settings)
        , m_statistics(statistics)
    { }

    /// Runs the batches in order; the first error wins.
    std::optional<Error> run(const QList<QList<Statement>>& batches)
    {
#ifdef LIBPQ_HAS_PIPELINING
        if (!PQenterPipelineMode(m_connection))
            return connectionError();
        bool sent = true;
        for (const QList<Statement>& batch : batches) {
            for (const Statement& statement : batch)
                sent = sent && send(statement);
            sent = sent && PQpipelineSync(m_connection);
        }
        ++m_statistics.roundTrips;
        if (!sent) {
            std::optional<Error> error = connectionError();
            PQexitPipelineMode(m_connection);
            return error;
        }
        std::optional<Error> failure;
        for (const QList<Statement>& batch : batches) {
            for (const Statement& statement : batch)
                keepFirst(failure, receive(statement));
            keepFirst(failure, receiveSync());
        }
        if (!PQexitPipelineMode(m_connection))
            keepFirst(failure, connectionError());
        return failure;
#else
        std::optional<Error> failure;
        for (const QList<Statement>& batch : batches) {
            std::optional<Error> batchFailure;
            for (const Statement& statement : batch) {
                if (batchFailure)
                    break;
                ++m_statistics.roundTrips;
                batchFailure = send(statement) ? receive(statement) : connectionError();
            }
            keepFirst(failure, std::move(batchFailure));
        }
        return failure;
#endif
    }

private:
    static void keepFirst(std::optional<Error>& first, std::optional<Error> next)
    {
        if (!first && next)
            first = std::move(next);
    }

    Error connectionError() const
    {
        return databaseError(m_connection, nullptr, m_settings);
    }

    bool send(const Statement& statement)
    {
        ++m_statistics.statements;
        std::vector<const char*> values;
        values.reserve(static_cast<size_t>(statement.parameters.size()));
        for (const QByteArray& parameter : statement.parameters)
            values.push_back(parameter.constData());
        return PQsendQueryParams(m_connection, statement.sql.constData(), static_cast<int>(values.size()),
                   nullptr, values.data(), nullptr, nullptr, 0)
            != 0;
    }

    std::optional<Error> receive(const Statement& statement)
    {
        ResultPointer result(PQgetResult(m_connection));
        // The end of this statement's results (a NULL); never more than one result here.
        while (PGresult* extra = PQgetResult(m_connection))
            PQclear(extra);
        if (!result)
            return connectionError();
        std::optional<Error> error;
        switch (PQresultStatus(result.get())) {
        case PGRES_TUPLES_OK:
        case PGRES_COMMAND_OK:
            if (statement.keep)
                *statement.keep = std::move(result);
            else
                return handOver(statement, result.get());
            break;
#ifdef LIBPQ_HAS_PIPELINING
        case PGRES_PIPELINE_ABORTED:
            break; // an earlier statement failed: that error is the one to report
#endif
        default:
            error = databaseError(m_connection, result.get(), m_settings);
            if (!statement.name.isEmpty())
                error->message
                    = QStringLiteral("reading the catalog (%1): %2").arg(statement.name, error->message);
            break;
        }
        return error;
    }

#ifdef LIBPQ_HAS_PIPELINING
    std::optional<Error> receiveSync()
    {
        ResultPointer result(PQgetResult(m_connection));
        if (!result || PQresultStatus(result.get()) != PGRES_PIPELINE_SYNC)
            return connectionError();
        return std::nullopt;
    }
#endif

    PGconn* m_connection;
    const ConnectionSettings& m_settings;
    CatalogReader::Statistics& m_statistics;
};

/// A second connection to the same database that runs some of the catalog
/// queries in the main connection's snapshot (pg_export_snapshot / SET
/// TRANSACTION SNAPSHOT, as pg_dump -j does), so that two server processes
/// work on the catalog at once: the definitions (pg_get_indexdef ...) cost
/// the server far more than sending them.  It connects on its own thread as
/// soon as it is made, while the main connection starts its queries; its
/// results are kept for the main thread.  Any failure (no free connection
/// slot, a pooler, a refused snapshot) only means the main connection runs
/// these queries after its own.
class HelperConnection
{
public:
    HelperConnection(const ConnectionSettings& settings, const QList<Statement>& queries)
        : m_settings(settings)
        , m_queries(queries)
        , m_thread([this] { work(); })
    { }
    ~HelperConnection()
    {
        provideSnapshot({});
        if (m_thread.joinable())
            m_thread.join();
        if (m_cancel)
            PQfreeCancel(m_cancel);
        if (m_connection)
            PQfinish(m_connection);
    }
    HelperConnection(const HelperConnection&) = delete;
    HelperConnection& operator=(const HelperConnection&) = delete;

    /// The snapshot to read in (pg_export_snapshot's id); empty: give up.
    void provideSnapshot(const QByteArray& id)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_snapshotGiven)
            return;
        m_snapshotGiven = true;
        m_snapshot.set_value(id);
    }

    /// Stops a running query (the main connection failed: its result is moot).
    void cancel()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_cancel) {
            char message[256];
            PQcancel(m_cancel, message, sizeof message);
        }
    }

    /// Waits for the helper; true when every query's result was kept.
    bool finish(CatalogReader::Statistics& statistics)
    {
        if (m_thread.joinable())
            m_thread.join();
        statistics.statements += m_statistics.statements;
        statistics.roundTrips = std::max(statistics.roundTrips, m_statistics.roundTrips);
        if (m_succeeded)
            ++statistics.connections;
        return m_succeeded;
    }

private:
    void work()
    {
        std::future<QByteArray> snapshot = m_snapshot.get_future();
        if (!connect())
            return;
        const QByteArray id = snapshot.get();
        if (id.isEmpty())
            return;
        char* quoted = PQescapeLiteral(m_connection, id.constData(), static_cast<size_t>(id.size()));
        if (!quoted)
            return;
        const QByteArray setSnapshot = QByteArrayLiteral("SET TRANSACTION SNAPSHOT ") + quoted;
        PQfreemem(quoted);
        QList<Statement> batch { { {}, QByteArrayLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
                                     {}, {}, nullptr },
            { {}, setSnapshot, {}, {}, nullptr },
            { {}, QByteArrayLiteral("SET LOCAL search_path = pg_catalog"), {}, {}, nullptr } };
        batch.append(m_queries);
        const QList<Statement> rollback { { {}, QByteArrayLiteral("ROLLBACK"), {}, {}, nullptr } };
        StatementPipeline pipeline(m_connection, m_settings, m_statistics);
        m_succeeded = !pipeline.run({ batch, rollback });
    }

    bool connect()
    {
        // The main connection's settings, so the server prints definitions alike
        // (options such as -c quote_all_identifiers=on included).
        QList<QByteArray> keys;
        QList<QByteArray> values;
        QMap<QString, QString> keywords = m_settings.keywords();
        if (!keywords.contains(QStringLiteral("application_name")))
            keywords.insert(QStringLiteral("application_name"), QStringLiteral("dbops"));
        keywords.insert(QStringLiteral("client_encoding"), QStringLiteral("UTF8"));
        for (auto it = keywords.cbegin(); it != keywords.cend(); ++it) {
            keys.append(it.key().toUtf8());
            values.append(it.value().toUtf8());
        }
        if (m_settings.hasPassword()) {
            keys.append(QByteArrayLiteral("password"));
            values.append(m_settings.password().toUtf8());
        }
        std::vector<const char*> keyPointers;
        std::vector<const char*> valuePointers;
        for (int i = 0; i < keys.size(); ++i) {
            keyPointers.push_back(keys.at(i).constData());
            valuePointers.push_back(values.at(i).constData());
        }
        keyPointers.push_back(nullptr);
        valuePointers.push_back(nullptr);
        PGconn* connection = PQconnectdbParams(keyPointers.data(), valuePointers.data(), 0);
        if (!connection || PQstatus(connection) != CONNECTION_OK) {
            PQfinish(connection);
            return false;
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        m_connection = connection;
        m_cancel = PQgetCancel(connection);
        return true;
    }

    ConnectionSettings m_settings;
    QList<Statement> m_queries;
    CatalogReader::Statistics m_statistics;
    std::mutex m_mutex;
    std::promise<QByteArray> m_snapshot;
    bool m_snapshotGiven = false;
    PGconn* m_connection = nullptr;
    PGcancel* m_cancel = nullptr;
    bool m_succeeded = false;
    std::thread m_thread; // last: starts after the members it uses
};

/// Tables by oid while the bulk results are distributed to them.
class TableIndex
{
public:
    explicit TableIndex(QList<CatalogTable>& tables, const QList<quint32>& oids)
        : m_tables(tables)
    {
        m_positions.reserve(oids.size());
        for (int i = 0; i < oids.size(); ++i)
            m_positions.insert(oids.at(i), i);
    }
    /// nullptr for a table the tables query did not return (impossible inside
    /// one snapshot, but a catalog race must not crash).
    CatalogTable* find(quint32 oid)
    {
        const auto it = m_positions.constFind(oid);
        return it == m_positions.constEnd() ? nullptr : &m_tables[*it];
    }

private:
    QList<CatalogTable>& m_tables;
    QHash<quint32, int> m_positions;
};

/// The catalog queries with their row handlers, filling `snapshot`.
class SnapshotBuilder
{
public:
    explicit SnapshotBuilder(CatalogSnapshot& snapshot)
        : m_snapshot(snapshot)
    { }

    std::optional<Error> tables(Rows& rows)
    {
        const int oid = rows.column("table_oid");
        const int schema = rows.column("schema_name");
        const int name = rows.column("table_name");
        if (!rows.missingColumn().isEmpty())
            return std::nullopt;
        const int n = rows.count();
        m_snapshot.tables.reserve(n);
        QList<quint32> oids;
        oids.reserve(n);
        for (int r = 0; r < n; ++r) {
            oids.append(rows.oid(r, oid));
            m_snapshot.tables.append(CatalogTable { rows.text(r, schema), rows.text(r, name), {}, {}, {} });
        }
        m_tableIndex.emplace(m_snapshot.tables, oids);
        return std::nullopt;
    }

    std::optional<Error> columns(Rows& rows)
    {
        const int table = rows.column("table_oid");
        const int name = rows.column("column_name");
        const int type = rows.column("data_type");
        const int nullable = rows.column("nullable");
        const int defaultExpression = rows.column("default_expression");
        const int identity = rows.column("identity");
        const int generated = rows.column("generated");
        if (!rows.missingColumn().isEmpty() || !m_tableIndex)
            return std::nullopt;
        for (int r = 0, n = rows.count(); r < n; ++r) {
            if (CatalogTable* owner = m_tableIndex->find(rows.oid(r, table)))
                owner->columns.append(
                    CatalogColumn { rows.text(r, name), rows.text(r, type), rows.boolean(r, nullable),
                        rows.text(r, defaultExpression), rows.text(r, identity), rows.text(r, generated) });
        }
        return std::nullopt;
    }

    std::optional<Error> indexes(Rows& rows)
    {
        const int table = rows.column("table_oid");
        const int name = rows.column("index_name");
        const int definition = rows.column("definition");
        if (!rows.missingColumn().isEmpty() || !m_tableIndex)
            return std::nullopt;
        for (int r = 0, n = rows.count(); r < n; ++r) {
            if (CatalogTable* owner = m_tableIndex->find(rows.oid(r, table)))
                owner->indexes.append(CatalogIndex { rows.text(r, name), rows.text(r, definition) });
        }
        return std::nullopt;
    }

    std::optional<Error> constraints(Rows& rows)
    {
        const int table = rows.column("table_oid");
        const int name = rows.column("constraint_name");
        const int type = rows.column("constraint_type");
        const int definition = rows.column("definition");
        if (!rows.missingColumn().isEmpty() || !m_tableIndex)
            return std::nullopt;
        for (int r = 0, n = rows.count(); r < n; ++r) {
            if (CatalogTable* owner = m_tableIndex->find(rows.oid(r, table)))
                owner->constraints.append(
                    CatalogConstraint { rows.text(r, name), rows.text(r, type), rows.text(r, definition) });
        }
        return std::nullopt;
    }

    std::optional<Error> enums(Rows& rows)
    {
        const int schema = rows.column("schema_name");
        const int name = rows.column("type_name");
        const int labelsColumn = rows.column("labels");
        if (!rows.missingColumn().isEmpty())
            return std::nullopt;
        for (int r = 0, n = rows.count(); r < n; ++r) {
            QStringList labels;
            const QJsonArray array = QJsonDocument::fromJson(rows.text(r, labelsColumn).toUtf8()).array();
            for (const QJsonValue& label : array)
                labels.append(label.toString());
            m_snapshot.enums.append(CatalogEnum { rows.text(r, schema), rows.text(r, name), labels });
        }
        return std::nullopt;
    }

    std::optional<Error> views(Rows& rows)
    {
        const int schema = rows.column("schema_name");
        const int name = rows.column("view_name");
        const int materialized = rows.column("materialized");
        const int definition = rows.column("definition");
        if (!rows.missingColumn().isEmpty())
            return std::nullopt;
        for (int r = 0, n = rows.count(); r < n; ++r)
            m_snapshot.views.append(CatalogView { rows.text(r, schema), rows.text(r, name),
                rows.boolean(r, materialized), rows.text(r, definition) });
        return std::nullopt;
    }

    std::optional<Error> sequences(Rows& rows)
    {
        const int schema = rows.column("schema_name");
        const int name = rows.column("sequence_name");
        const int dataType = rows.column("data_type");
        const int start = rows.column("start_value");
        const int increment = rows.column("increment");
        const int minValue = rows.column("min_value");
        const int maxValue = rows.column("max_value");
        const int cache = rows.column("cache_size");
        const int cycle = rows.column("cycle");
        const int ownerTable = rows.column("owner_table");
        const int ownerColumn = rows.column("owner_column");
        if (!rows.missingColumn().isEmpty())
            return std::nullopt;
        m_snapshot.sequences.reserve(rows.count());
        for (int r = 0, n = rows.count(); r < n; ++r) {
            CatalogSequence sequence;
            sequence.schema = rows.text(r, schema);
            sequence.name = rows.text(r, name);
            sequence.dataType = rows.text(r, dataType);
            sequence.start = rows.text(r, start);
            sequence.increment = rows.text(r, increment);
            sequence.minValue = rows.text(r, minValue);
            sequence.maxValue = rows.text(r, maxValue);
            sequence.cache = rows.text(r, cache);
            sequence.cycle = rows.boolean(r, cycle);
            sequence.ownerTable = rows.text(r, ownerTable);
            sequence.ownerColumn = rows.text(r, ownerColumn);
            m_snapshot.sequences.append(sequence);
        }
        return std::nullopt;
    }

private:
    CatalogSnapshot& m_snapshot;
    std::optional<TableIndex> m_tableIndex; // once the tables query has been read
};

} // namespace

Result<QString> CatalogReader::query(const QString& name)
{
    static const bool registered = (initCatalogQueries(), true);
    Q_UNUSED(registered)
    const QString path = QStringLiteral(":/dbops/catalog/sql/%1.sql").arg(name);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return Error { Error::Kind::Internal,
            QStringLiteral("catalog query '%1' is not compiled in").arg(name), path, 0, 0, {}, {}, {} };
    // The files explain themselves in comments; the server gets the query
    // alone, since QtSql's placeholder scan does not know SQL comments (an
    // apostrophe or ":word" in one would be taken for a quote or a placeholder).
    QStringList lines;
    const QStringList all = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    for (const QString& line : all) {
        if (!line.trimmed().startsWith(QLatin1String("--")))
            lines.append(line);
    }
    QString text = lines.join(QLatin1Char('\n')).trimmed();
    // The per-table queries share the filter that picks the audited tables.
    static const QString shared = QStringLiteral("@audited_tables@");
    if (text.contains(shared)) {
        Result<QString> audited = query(QStringLiteral("audited_tables"));
        if (!audited)
            return audited.error();
        text.replace(shared, *audited);
    }
    return text;
}

Result<CatalogSnapshot> CatalogReader::read(DatabaseConnection& connection, const QStringList& schemas)
{
    Options options;
    options.schemas = schemas;
    return read(connection, options);
}

namespace {

/// The catalog queries of one read, with their row handlers on `builder`.
/// With `helped`, the queries that go to the helper connection land there,
/// each keeping its result in `kept` (sized for them beforehand).
Result<QList<Statement>> catalogQueries(SnapshotBuilder& builder, const CatalogReader::Options& options,
    QList<Statement>* helped, std::vector<ResultPointer>* kept)
{
    const QList<QByteArray> schemaParameter { jsonArrayText(options.schemas) };
    const QList<QByteArray> bothParameters { jsonArrayText(options.schemas),
        jsonArrayText(options.excludedTables) };
    struct Query
    {
        const char* name;
        bool excludes; // takes the excluded tables as $2
        std::optional<Error> (SnapshotBuilder::*rows)(Rows&);
        bool helper; // on the helper connection, in a split read
    };
    // tables first: the per-table queries name their table by oid.  The
    // split puts about half the server's work on each side, 2,000 tables x 20
    // columns: ~200 ms of pg_get_indexdef against columns, constraints and
    // sequences together.
    static const Query queries[] = { { "tables", true, &SnapshotBuilder::tables, false },
        { "columns", true, &SnapshotBuilder::columns, false },
        { "constraints", true, &SnapshotBuilder::constraints, false },
        { "enums", false, &SnapshotBuilder::enums, false },
        { "sequences", true, &SnapshotBuilder::sequences, false },
        { "indexes", true, &SnapshotBuilder::indexes, true },
        { "views", false, &SnapshotBuilder::views, true } };
    static_assert(std::size(queries) == CatalogReader::kCatalogQueries, "kCatalogQueries counts the queries");
    static_assert(
        std::size(queries) - CatalogReader::kHelperQueries == 5, "kHelperQueries counts the helper's");
    QList<Statement> own;
    for (const Query& query : queries) {
        const QString name = QString::fromLatin1(query.name);
        Result<QString> sql = CatalogReader::query(name);
        if (!sql)
            return sql.error();
        auto handler = query.rows;
        Statement statement { name, sql->toUtf8(), query.excludes ? bothParameters : schemaParameter,
            [&builder, handler](Rows& rows) { return (builder.*handler)(rows); }, nullptr };
        if (helped && query.helper) {
            statement.keep = &kept->at(static_cast<size_t>(helped->size()));
            helped->append(statement);
        } else {
            own.append(statement);
        }
    }
    return own;
}

// One snapshot for all queries; read-only, so it is safe on production.
const char* const kBegin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
// With only pg_catalog on the search path, PostgreSQL prints every name
// outside it schema-qualified ("public.batch_run_status", "REFERENCES
// public.users(id)"): definitions no longer depend on the session's
// search_path, so two databases compare equal when their schemas are.
const char* const kSearchPath = "SET LOCAL search_path = pg_catalog";
// Nothing was written: COMMIT and ROLLBACK are the same here, but ROLLBACK
// also ends a transaction a failed query aborted.
const char* const kRollback = "ROLLBACK";

Statement plain(const char* sql)
{
    return Statement { {}, QByteArray(sql), {}, {}, nullptr };
}

/// The whole read on the one connection.
std::optional<Error> readAlone(PGconn* pg, const ConnectionSettings& settings, SnapshotBuilder& builder,
    const CatalogReader::Options& options, CatalogReader::Statistics& statistics)
{
    Result<QList<Statement>> queries = catalogQueries(builder, options, nullptr, nullptr);
    if (!queries)
        return queries.error();
    QList<Statement> body { plain(kBegin), plain(kSearchPath) };
    body.append(*queries);
    StatementPipeline pipeline(pg, settings, statistics);
    return pipeline.run({ body, { plain(kRollback) } });
}

/// The read split over this connection and a helper (HelperConnection).
/// Falls back to reading alone when the snapshot cannot be exported.
std::optional<Error> readSplit(PGconn* pg, const ConnectionSettings& settings, CatalogSnapshot& snapshot,
    const CatalogReader::Options& options, CatalogReader::Statistics& statistics)
{
    SnapshotBuilder builder(snapshot);
    std::vector<ResultPointer> kept(CatalogReader::kHelperQueries);
    QList<Statement> helped;
    Result<QList<Statement>> own = catalogQueries(builder, options, &helped, &kept);
    if (!own)
        return own.error();
    HelperConnection helper(settings, helped);
    bool exported = false;
    const Statement exportSnapshot { {}, QByteArrayLiteral("SELECT pg_export_snapshot()"), {},
        [&helper, &exported](Rows& rows) {
            if (rows.count() == 1) {
                helper.provideSnapshot(rows.text(0, 0).toUtf8());
                exported = true;
            }
            return std::optional<Error>();
        },
        nullptr };
    QList<Statement> body { plain(kBegin), plain(kSearchPath), exportSnapshot };
    body.append(*own);
    StatementPipeline pipeline(pg, settings, statistics);
    std::optional<Error> failed = pipeline.run({ body });
    helper.provideSnapshot({}); // when the export never came
    if (failed)
        helper.cancel();
    // The transaction stays open until the helper is done: its snapshot is this one.
    const bool helperRead = helper.finish(statistics);
    if (!failed && helperRead) {
        for (size_t i = 0; i < kept.size() && !failed; ++i)
            failed = handOver(helped.at(static_cast<int>(i)), kept.at(i).get());
    } else if (!failed) {
        for (Statement& statement : helped)
            statement.keep = nullptr;
        failed = pipeline.run({ helped });
    }
    std::optional<Error> closed = pipeline.run({ { plain(kRollback) } });
    if (!exported && !closed) {
        // pg_export_snapshot refused (or never ran): everything on this connection.
        snapshot = CatalogSnapshot { options.schemas, {}, {}, {}, {}, {} };
        SnapshotBuilder alone(snapshot);
        return readAlone(pg, settings, alone, options, statistics);
    }
    return failed ? failed : closed;
}

} // namespace

Result<CatalogSnapshot> CatalogReader::read(
    DatabaseConnection& connection, const Options& options, Statistics* statistics)
{
    Statistics local;
    Statistics& counted = statistics ? *statistics : local;
    counted = Statistics();

    PGconn* pg = libpqConnection(connection);
    if (!pg)
        return Error { Error::Kind::Internal,
            QStringLiteral("reading the catalog: the QPSQL driver gave no libpq handle"), {}, 0, 0, {}, {},
            {} };
    // The pipeline needs the connection to itself: no statement of QtSql's
    // still running, no transaction block open (the read opens its own).
    if (PQtransactionStatus(pg) != PQTRANS_IDLE)
        return Error { Error::Kind::Internal,
            QStringLiteral("reading the catalog needs an idle connection outside a transaction block"), {}, 0,
            0, {}, {}, {} };

    CatalogSnapshot snapshot;
    snapshot.schemas = options.schemas;
    counted.connections = 1;
    std::optional<Error> failed;
    if (options.helperConnection) {
        failed = readSplit(pg, connection.settings(), snapshot, options, counted);
    } else {
        SnapshotBuilder builder(snapshot);
        failed = readAlone(pg, connection.settings(), builder, options, counted);
    }
    if (failed)
        return *failed;
    snapshot.sort();
    return snapshot;
}

} // namespace dbops
