#include "catalog/CatalogReader.h"

#include "catalog/CatalogSnapshotBuilder.h"
#include "catalog/LibpqPipeline.h"
#include "catalog/SnapshotHelperConnection.h"
#include "connection/DatabaseConnection.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QVariant>
#include <algorithm>
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

/// The caller's options and what the reader learns of the server.
struct ReadOptions : CatalogReader::Options
{
    int serverVersion = 0; ///< PQserverVersion: 150018 for 15.18
};

/// constraints.sql's `plain`: the primary keys, unique constraints and
/// foreign keys whose pg_get_constraintdef text the reader composes
/// (CatalogSnapshotBuilder::compose), by what each server version prints
/// beyond the columns, match type, actions, DEFERRABLE and NOT VALID.  A
/// version not listed composes none.
QString plainConstraintCondition(int serverVersion)
{
    if (serverVersion < 120000 || serverVersion >= 190000)
        return QStringLiteral("false");
    QString unique = QStringLiteral("k.contype IN ('p', 'u') AND x.indnkeyatts = x.indnatts");
    QString foreign = QStringLiteral("k.contype = 'f'");
    if (serverVersion >= 150000) { // NULLS NOT DISTINCT; ON DELETE SET NULL (columns)
        unique += QStringLiteral(" AND NOT x.indnullsnotdistinct");
        foreign += QStringLiteral(" AND k.confdelsetcols IS NULL");
    }
    if (serverVersion >= 180000) { // WITHOUT OVERLAPS; PERIOD; NOT ENFORCED
        unique += QStringLiteral(" AND NOT k.conperiod");
        foreign += QStringLiteral(" AND NOT k.conperiod AND k.conenforced");
    }
    return QStringLiteral("((%1) OR (%2))").arg(unique, foreign);
}

/// A catalog query and what reads its rows.
struct Query
{
    const char* name;
    enum Parameters
    {
        Schemas, // $1 the audited schemas
        SchemasAndExcluded, // and $2 the excluded tables
        TableOids, // $1 a slice of the audited tables' oids (what the tables query returned)
        None
    } parameters;
    std::optional<Error> (CatalogSnapshotBuilder::*rows)(LibpqPipeline::Rows&);
    bool helper; // on the helper connection, in a split read
    bool alternating = false; // a per-table query's every second slice back on the connection
};

// The tables query goes first, alone: the per-table queries name their
// tables by the oids it returns.  The split puts about half the server's work
// on each side, 2,000 to 20,000 tables x 20 columns: columns and sequences
// (format_type, pg_get_expr) against constraints (pg_get_constraintdef) and
// indexes (most composed by the reader, the rest pg_get_indexdef), whose
// slices alternate between the two when there are several.
const Query kTablesQuery { "tables", Query::SchemasAndExcluded, &CatalogSnapshotBuilder::tables, false };
const Query kQueries[] = { { "columns", Query::TableOids, &CatalogSnapshotBuilder::columns, false },
    { "opclasses", Query::None, &CatalogSnapshotBuilder::opclasses, false },
    { "enums", Query::Schemas, &CatalogSnapshotBuilder::enums, false },
    { "sequences", Query::SchemasAndExcluded, &CatalogSnapshotBuilder::sequences, false },
    { "constraints", Query::TableOids, &CatalogSnapshotBuilder::constraints, true },
    { "indexes", Query::TableOids, &CatalogSnapshotBuilder::indexes, true, true },
    { "views", Query::Schemas, &CatalogSnapshotBuilder::views, true } };
// Once the rest is in: pg_get_indexdef of the indexes the reader could not compose.
const Query kIndexDefinitionsQuery { "index_definitions", Query::TableOids,
    &CatalogSnapshotBuilder::indexDefinitions, false };
// And pg_get_constraintdef of the constraints it could not compose.
const Query kConstraintDefinitionsQuery { "constraint_definitions", Query::TableOids,
    &CatalogSnapshotBuilder::constraintDefinitions, false };
static_assert(
    std::size(kQueries) + 1 == CatalogReader::kCatalogQueries, "kCatalogQueries counts the queries");
static_assert(std::size(kQueries) - CatalogReader::kHelperQueries == 4, "kHelperQueries counts the helper's");

/// Tables per statement of a per-table query: the result of one holds at most
/// this many tables' columns (4,000 x 20 columns: ~15 MB in libpq), and the
/// statements of a read stay the same up to this many tables.
constexpr int kTablesPerStatement = 4000;

/// The statement of one query, its rows going to `builder`.
Result<LibpqPipeline::Statement> statementOf(const Query& query, CatalogSnapshotBuilder& builder,
    const ReadOptions& options, const QByteArray& tableOids = {})
{
    const QString name = QString::fromLatin1(query.name);
    Result<QString> text = CatalogReader::query(name);
    if (!text)
        return text.error();
    QString sql = *text;
    sql.replace(QLatin1String("@plain_constraint@"), plainConstraintCondition(options.serverVersion));
    QList<QByteArray> parameters;
    if (query.parameters == Query::TableOids) {
        parameters.append(tableOids);
    } else if (query.parameters != Query::None) {
        parameters.append(jsonArrayText(options.schemas));
        if (query.parameters == Query::SchemasAndExcluded)
            parameters.append(jsonArrayText(options.excludedTables));
    }
    auto handler = query.rows;
    return LibpqPipeline::Statement { name, sql.toUtf8(), parameters,
        [&builder, handler](LibpqPipeline::Rows& rows) { return (builder.*handler)(rows); }, nullptr };
}

/// The oids as PostgreSQL's array text, "{16384,16390}", in slices of `perSlice`.
QList<QByteArray> oidSlices(const QList<quint32>& oids, int perSlice = kTablesPerStatement)
{
    QList<QByteArray> slices;
    for (qsizetype first = 0; first < oids.size() || first == 0; first += perSlice) {
        QByteArray slice("{");
        const qsizetype end = std::min<qsizetype>(oids.size(), first + perSlice);
        slice.reserve(static_cast<int>(2 + (end - first) * 11));
        for (qsizetype i = first; i < end; ++i) {
            if (i > first)
                slice += ',';
            slice += QByteArray::number(oids.at(i));
        }
        slices.append(slice + '}');
    }
    return slices;
}

/// The statements after the tables query, its oids known: the connection's
/// own, and with `helped` the helper's apart.
Result<QList<LibpqPipeline::Statement>> laterQueries(
    CatalogSnapshotBuilder& builder, const ReadOptions& options, QList<LibpqPipeline::Statement>* helped)
{
    const QList<QByteArray> slices = oidSlices(builder.tableOids());
    QList<LibpqPipeline::Statement> own;
    for (const Query& query : kQueries) {
        QList<LibpqPipeline::Statement>& into = helped && query.helper ? *helped : own;
        if (query.parameters != Query::TableOids) {
            Result<LibpqPipeline::Statement> statement = statementOf(query, builder, options);
            if (!statement)
                return statement.error();
            into.append(*statement);
            continue;
        }
        for (qsizetype i = 0; i < slices.size(); ++i) {
            Result<LibpqPipeline::Statement> statement = statementOf(query, builder, options, slices.at(i));
            if (!statement)
                return statement.error();
            (query.alternating && i % 2 == 1 ? own : into).append(*statement);
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

/// Every result in, inside the read's transaction: the index and constraint
/// definitions the reader composes, and one more round trip (rarely two) for
/// the ones it asks the server for (CatalogSnapshotBuilder::composeIndexes,
/// composeConstraints).
std::optional<Error> finishParts(LibpqPipeline& pipeline, CatalogSnapshotBuilder& builder,
    const ReadOptions& options, CatalogReader::Statistics& statistics)
{
    QList<quint32> constraintsAsked = builder.composeConstraints();
    // Each round decides every pair its samples show, so a third has nothing to ask.
    for (int round = 0; round < 3; ++round) {
        const QList<quint32> indexesAsked = builder.composeIndexes();
        QList<LibpqPipeline::Statement> statements;
        const std::pair<const Query*, const QList<quint32>*> asking[]
            = { { &kIndexDefinitionsQuery, &indexesAsked },
                  { &kConstraintDefinitionsQuery, &constraintsAsked } };
        for (const auto& [query, asked] : asking) {
            if (asked->isEmpty())
                continue;
            statistics.definitionsAsked += static_cast<int>(asked->size());
            Result<LibpqPipeline::Statement> definitions = statementOf(
                *query, builder, options, oidSlices(*asked, static_cast<int>(asked->size())).constFirst());
            if (!definitions)
                return definitions.error();
            statements.append(*definitions);
        }
        constraintsAsked.clear();
        if (statements.isEmpty())
            break;
        if (std::optional<Error> failed = pipeline.run({ statements }))
            return failed;
    }
    builder.finishParts();
    return std::nullopt;
}

/// The whole read on the one connection: the tables, then the rest.
std::optional<Error> readAlone(PGconn* pg, const ConnectionSettings& settings,
    CatalogSnapshotBuilder& builder, const ReadOptions& options, CatalogReader::Statistics& statistics)
{
    Result<LibpqPipeline::Statement> tables = statementOf(kTablesQuery, builder, options);
    if (!tables)
        return tables.error();
    LibpqPipeline pipeline(pg, settings, statistics);
    std::optional<Error> failed = pipeline.run({ { plain(kBegin), plain(kSearchPath), *tables } });
    if (!failed) {
        Result<QList<LibpqPipeline::Statement>> rest = laterQueries(builder, options, nullptr);
        if (rest) {
            failed = pipeline.run({ *rest });
            if (!failed)
                failed = finishParts(pipeline, builder, options, statistics);
        } else {
            failed = rest.error();
        }
    }
    std::optional<Error> closed = pipeline.run({ { plain(kRollback) } });
    return failed ? failed : closed;
}

/// The read split over this connection and a helper (SnapshotHelperConnection),
/// which connects while this connection reads the tables.  Falls back to
/// reading alone when the snapshot cannot be exported.
std::optional<Error> readSplit(PGconn* pg, const ConnectionSettings& settings, CatalogSnapshot& snapshot,
    const ReadOptions& options, CatalogReader::Statistics& statistics)
{
    CatalogSnapshotBuilder builder(snapshot, options.sharedWith);
    Result<LibpqPipeline::Statement> tables = statementOf(kTablesQuery, builder, options);
    if (!tables)
        return tables.error();
    SnapshotHelperConnection helper(settings);
    QByteArray snapshotId;
    const LibpqPipeline::Statement exportSnapshot { {}, QByteArrayLiteral("SELECT pg_export_snapshot()"), {},
        [&snapshotId](LibpqPipeline::Rows& rows) {
            if (rows.count() == 1)
                snapshotId = rows.text(0, 0).toUtf8();
            return std::optional<Error>();
        },
        nullptr };
    LibpqPipeline pipeline(pg, settings, statistics);
    std::optional<Error> failed
        = pipeline.run({ { plain(kBegin), plain(kSearchPath), exportSnapshot, *tables } });
    const bool exported = !snapshotId.isEmpty();
    QList<LibpqPipeline::Statement> helped;
    std::vector<LibpqPipeline::ResultPointer> kept;
    if (!failed) {
        Result<QList<LibpqPipeline::Statement>> own = laterQueries(builder, options, &helped);
        if (!own) {
            failed = own.error();
        } else {
            // The helper keeps its results for this thread, which reads them last.
            kept.resize(static_cast<size_t>(helped.size()));
            for (qsizetype i = 0; i < helped.size(); ++i)
                helped[i].keep = &kept[static_cast<size_t>(i)];
            helper.provideSnapshot(snapshotId, helped);
            failed = pipeline.run({ *own });
        }
    }
    helper.provideSnapshot({}, {}); // when it never got one
    if (failed)
        helper.cancel();
    // The transaction stays open until the helper is done: its snapshot is this one.
    const bool helperRead = helper.finish(statistics);
    if (!failed && helperRead) {
        for (size_t i = 0; i < kept.size() && !failed; ++i)
            failed = helped.at(static_cast<qsizetype>(i)).handOver(kept.at(i).get());
        kept.clear();
    } else if (!failed && exported) {
        for (LibpqPipeline::Statement& statement : helped)
            statement.keep = nullptr;
        failed = pipeline.run({ helped });
    }
    if (!failed && exported)
        failed = finishParts(pipeline, builder, options, statistics);
    std::optional<Error> closed = pipeline.run({ { plain(kRollback) } });
    if (!exported && !closed) {
        // pg_export_snapshot refused (or never ran): everything on this connection.
        snapshot = CatalogSnapshot { options.schemas, {}, {}, {}, {}, {} };
        CatalogSnapshotBuilder alone(snapshot, options.sharedWith);
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

    // The reader talks to libpq directly (LibpqPipeline).
    PGconn* pg = static_cast<PGconn*>(connection.pgconn());
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

    ReadOptions read;
    static_cast<Options&>(read) = options;
    read.serverVersion = PQserverVersion(pg);
    CatalogSnapshot snapshot;
    snapshot.schemas = options.schemas;
    counted.connections = 1;
    std::optional<Error> failed;
    if (options.helperConnection) {
        failed = readSplit(pg, connection.settings(), snapshot, read, counted);
    } else {
        CatalogSnapshotBuilder builder(snapshot, options.sharedWith);
        failed = readAlone(pg, connection.settings(), builder, read, counted);
    }
    if (failed)
        return *failed;
    snapshot.sort();
    return snapshot;
}

} // namespace dbops
