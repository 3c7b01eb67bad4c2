#include "catalog/CatalogReader.h"

#include "catalog/CatalogSnapshotBuilder.h"
#include "catalog/LibpqPipeline.h"
#include "catalog/SnapshotHelperConnection.h"
#include "connection/DatabaseConnection.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDriver>
#include <QVariant>
#include <iterator>
#include <libpq-fe.h>
#include <optional>
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

/// The libpq connection under a QPSQL one (the reader talks to libpq
/// directly: LibpqPipeline).
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
Result<QList<LibpqPipeline::Statement>> catalogQueries(CatalogSnapshotBuilder& builder,
    const CatalogReader::Options& options, QList<LibpqPipeline::Statement>* helped,
    std::vector<LibpqPipeline::ResultPointer>* kept)
{
    const QList<QByteArray> schemaParameter { jsonArrayText(options.schemas) };
    const QList<QByteArray> bothParameters { jsonArrayText(options.schemas),
        jsonArrayText(options.excludedTables) };
    struct Query
    {
        const char* name;
        bool excludes; // takes the excluded tables as $2
        std::optional<Error> (CatalogSnapshotBuilder::*rows)(LibpqPipeline::Rows&);
        bool helper; // on the helper connection, in a split read
    };
    // tables first: the per-table queries name their table by oid.  The
    // split puts about half the server's work on each side, 2,000 tables x 20
    // columns: ~200 ms of pg_get_indexdef against columns, constraints and
    // sequences together.
    static const Query queries[] = { { "tables", true, &CatalogSnapshotBuilder::tables, false },
        { "columns", true, &CatalogSnapshotBuilder::columns, false },
        { "constraints", true, &CatalogSnapshotBuilder::constraints, false },
        { "enums", false, &CatalogSnapshotBuilder::enums, false },
        { "sequences", true, &CatalogSnapshotBuilder::sequences, false },
        { "indexes", true, &CatalogSnapshotBuilder::indexes, true },
        { "views", false, &CatalogSnapshotBuilder::views, true } };
    static_assert(std::size(queries) == CatalogReader::kCatalogQueries, "kCatalogQueries counts the queries");
    static_assert(
        std::size(queries) - CatalogReader::kHelperQueries == 5, "kHelperQueries counts the helper's");
    QList<LibpqPipeline::Statement> own;
    for (const Query& query : queries) {
        const QString name = QString::fromLatin1(query.name);
        Result<QString> sql = CatalogReader::query(name);
        if (!sql)
            return sql.error();
        auto handler = query.rows;
        LibpqPipeline::Statement statement { name, sql->toUtf8(),
            query.excludes ? bothParameters : schemaParameter,
            [&builder, handler](LibpqPipeline::Rows& rows) { return (builder.*handler)(rows); }, nullptr };
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

LibpqPipeline::Statement plain(const char* sql)
{
    return LibpqPipeline::Statement { {}, QByteArray(sql), {}, {}, nullptr };
}

/// The whole read on the one connection.
std::optional<Error> readAlone(PGconn* pg, const ConnectionSettings& settings,
    CatalogSnapshotBuilder& builder, const CatalogReader::Options& options,
    CatalogReader::Statistics& statistics)
{
    Result<QList<LibpqPipeline::Statement>> queries = catalogQueries(builder, options, nullptr, nullptr);
    if (!queries)
        return queries.error();
    QList<LibpqPipeline::Statement> body { plain(kBegin), plain(kSearchPath) };
    body.append(*queries);
    LibpqPipeline pipeline(pg, settings, statistics);
    return pipeline.run({ body, { plain(kRollback) } });
}

/// The read split over this connection and a helper (SnapshotHelperConnection).
/// Falls back to reading alone when the snapshot cannot be exported.
std::optional<Error> readSplit(PGconn* pg, const ConnectionSettings& settings, CatalogSnapshot& snapshot,
    const CatalogReader::Options& options, CatalogReader::Statistics& statistics)
{
    CatalogSnapshotBuilder builder(snapshot);
    std::vector<LibpqPipeline::ResultPointer> kept(CatalogReader::kHelperQueries);
    QList<LibpqPipeline::Statement> helped;
    Result<QList<LibpqPipeline::Statement>> own = catalogQueries(builder, options, &helped, &kept);
    if (!own)
        return own.error();
    SnapshotHelperConnection helper(settings, helped);
    bool exported = false;
    const LibpqPipeline::Statement exportSnapshot { {}, QByteArrayLiteral("SELECT pg_export_snapshot()"), {},
        [&helper, &exported](LibpqPipeline::Rows& rows) {
            if (rows.count() == 1) {
                helper.provideSnapshot(rows.text(0, 0).toUtf8());
                exported = true;
            }
            return std::optional<Error>();
        },
        nullptr };
    QList<LibpqPipeline::Statement> body { plain(kBegin), plain(kSearchPath), exportSnapshot };
    body.append(*own);
    LibpqPipeline pipeline(pg, settings, statistics);
    std::optional<Error> failed = pipeline.run({ body });
    helper.provideSnapshot({}); // when the export never came
    if (failed)
        helper.cancel();
    // The transaction stays open until the helper is done: its snapshot is this one.
    const bool helperRead = helper.finish(statistics);
    if (!failed && helperRead) {
        for (size_t i = 0; i < kept.size() && !failed; ++i)
            failed = helped.at(static_cast<int>(i)).handOver(kept.at(i).get());
    } else if (!failed) {
        for (LibpqPipeline::Statement& statement : helped)
            statement.keep = nullptr;
        failed = pipeline.run({ helped });
    }
    std::optional<Error> closed = pipeline.run({ { plain(kRollback) } });
    if (!exported && !closed) {
        // pg_export_snapshot refused (or never ran): everything on this connection.
        snapshot = CatalogSnapshot { options.schemas, {}, {}, {}, {}, {} };
        CatalogSnapshotBuilder alone(snapshot);
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
        CatalogSnapshotBuilder builder(snapshot);
        failed = readAlone(pg, connection.settings(), builder, options, counted);
    }
    if (failed)
        return *failed;
    snapshot.sort();
    return snapshot;
}

} // namespace dbops
