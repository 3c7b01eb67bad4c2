#include "catalog/CatalogReader.h"

#include "connection/DatabaseConnection.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

// Q_INIT_RESOURCE must be called from the global namespace; dbops_core is a
// static library, so the resource is linked in only when referenced.
static void initCatalogQueries()
{
    Q_INIT_RESOURCE(catalog_sql);
}

namespace dbops {

namespace {

QString jsonArrayText(const QStringList& values)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact));
}

/// Runs the reader's statements on one connection and counts them.
class CountingExecutor
{
public:
    CountingExecutor(DatabaseConnection& connection, CatalogReader::Statistics& statistics)
        : m_connection(connection)
        , m_statistics(statistics)
    { }

    Result<QSqlQuery> exec(const QString& sql, const QVariantList& values = {})
    {
        ++m_statistics.statements;
        return m_connection.exec(sql, values);
    }

    /// Runs a catalog query from the resource; `what` names it in errors.
    Result<QSqlQuery> catalogQuery(const QString& name, const QVariantList& values)
    {
        Result<QString> sql = CatalogReader::query(name);
        if (!sql)
            return sql.error();
        Result<QSqlQuery> rows = exec(*sql, values);
        if (!rows) {
            Error error = rows.error();
            error.message = QStringLiteral("reading the catalog (%1): %2").arg(name, error.message);
            return error;
        }
        return rows;
    }

private:
    DatabaseConnection& m_connection;
    CatalogReader::Statistics& m_statistics;
};

QString text(const QSqlQuery& row, const char* column)
{
    return row.value(QLatin1String(column)).toString();
}

// QPSQL hands booleans over as QVariant(bool); "t"/"f" text covers older drivers.
bool boolean(const QSqlQuery& row, const char* column)
{
    const QVariant value = row.value(QLatin1String(column));
    if (value.userType() == QMetaType::Bool)
        return value.toBool();
    const QString s = value.toString();
    return s == QLatin1String("t") || s == QLatin1String("true");
}

/// Tables by (schema, name) while the bulk results are distributed to them.
class TableIndex
{
public:
    explicit TableIndex(QList<CatalogTable>& tables)
        : m_tables(tables)
    {
        for (int i = 0; i < m_tables.size(); ++i)
            m_positions.insert(key(m_tables.at(i).schema, m_tables.at(i).name), i);
    }
    /// nullptr for a table the tables query did not return (created meanwhile
    /// is impossible inside one snapshot, but a catalog race must not crash).
    CatalogTable* find(const QSqlQuery& row)
    {
        const int position = m_positions.value(key(text(row, "schema_name"), text(row, "table_name")), -1);
        return position < 0 ? nullptr : &m_tables[position];
    }

private:
    static QString key(const QString& schema, const QString& name)
    {
        return schema + QLatin1Char('\n') + name;
    }
    QList<CatalogTable>& m_tables;
    QHash<QString, int> m_positions;
};

Result<CatalogSnapshot> readInTransaction(CountingExecutor& executor, const CatalogReader::Options& options)
{
    const QVariantList schemaParameter { jsonArrayText(options.schemas) };
    const QVariantList bothParameters { jsonArrayText(options.schemas),
        jsonArrayText(options.excludedTables) };
    CatalogSnapshot snapshot;
    snapshot.schemas = options.schemas;

    Result<QSqlQuery> tables = executor.catalogQuery(QStringLiteral("tables"), bothParameters);
    if (!tables)
        return tables.error();
    while (tables.value().next())
        snapshot.tables.append(
            CatalogTable { text(*tables, "schema_name"), text(*tables, "table_name"), {}, {}, {} });
    TableIndex tableIndex(snapshot.tables);

    Result<QSqlQuery> columns = executor.catalogQuery(QStringLiteral("columns"), bothParameters);
    if (!columns)
        return columns.error();
    while (columns.value().next()) {
        const QSqlQuery& row = columns.value();
        if (CatalogTable* table = tableIndex.find(row))
            table->columns.append(
                CatalogColumn { text(row, "column_name"), text(row, "data_type"), boolean(row, "nullable"),
                    text(row, "default_expression"), text(row, "identity"), text(row, "generated") });
    }

    Result<QSqlQuery> indexes = executor.catalogQuery(QStringLiteral("indexes"), bothParameters);
    if (!indexes)
        return indexes.error();
    while (indexes.value().next()) {
        const QSqlQuery& row = indexes.value();
        if (CatalogTable* table = tableIndex.find(row))
            table->indexes.append(CatalogIndex { text(row, "index_name"), text(row, "definition") });
    }

    Result<QSqlQuery> constraints = executor.catalogQuery(QStringLiteral("constraints"), bothParameters);
    if (!constraints)
        return constraints.error();
    while (constraints.value().next()) {
        const QSqlQuery& row = constraints.value();
        if (CatalogTable* table = tableIndex.find(row))
            table->constraints.append(CatalogConstraint {
                text(row, "constraint_name"), text(row, "constraint_type"), text(row, "definition") });
    }

    Result<QSqlQuery> enums = executor.catalogQuery(QStringLiteral("enums"), schemaParameter);
    if (!enums)
        return enums.error();
    while (enums.value().next()) {
        const QSqlQuery& row = enums.value();
        QStringList labels;
        const QJsonArray array = QJsonDocument::fromJson(text(row, "labels").toUtf8()).array();
        for (const QJsonValue& label : array)
            labels.append(label.toString());
        snapshot.enums.append(CatalogEnum { text(row, "schema_name"), text(row, "type_name"), labels });
    }

    Result<QSqlQuery> views = executor.catalogQuery(QStringLiteral("views"), schemaParameter);
    if (!views)
        return views.error();
    while (views.value().next()) {
        const QSqlQuery& row = views.value();
        snapshot.views.append(CatalogView { text(row, "schema_name"), text(row, "view_name"),
            boolean(row, "materialized"), text(row, "definition") });
    }

    Result<QSqlQuery> sequences = executor.catalogQuery(QStringLiteral("sequences"), bothParameters);
    if (!sequences)
        return sequences.error();
    while (sequences.value().next()) {
        const QSqlQuery& row = sequences.value();
        CatalogSequence sequence;
        sequence.schema = text(row, "schema_name");
        sequence.name = text(row, "sequence_name");
        sequence.dataType = text(row, "data_type");
        sequence.start = text(row, "start_value");
        sequence.increment = text(row, "increment");
        sequence.minValue = text(row, "min_value");
        sequence.maxValue = text(row, "max_value");
        sequence.cache = text(row, "cache_size");
        sequence.cycle = boolean(row, "cycle");
        sequence.ownerTable = text(row, "owner_table");
        sequence.ownerColumn = text(row, "owner_column");
        snapshot.sequences.append(sequence);
    }

    snapshot.sort();
    return snapshot;
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
    return lines.join(QLatin1Char('\n')).trimmed();
}

Result<CatalogSnapshot> CatalogReader::read(DatabaseConnection& connection, const QStringList& schemas)
{
    Options options;
    options.schemas = schemas;
    return read(connection, options);
}

Result<CatalogSnapshot> CatalogReader::read(
    DatabaseConnection& connection, const Options& options, Statistics* statistics)
{
    Statistics local;
    Statistics& counted = statistics ? *statistics : local;
    counted = Statistics();
    CountingExecutor executor(connection, counted);

    // One snapshot for all queries; read-only, so it is safe on production.
    if (Result<QSqlQuery> begin
        = executor.exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
        !begin)
        return begin.error();
    // With only pg_catalog on the search path, PostgreSQL prints every name
    // outside it schema-qualified ("public.batch_run_status", "REFERENCES
    // public.users(id)"): definitions no longer depend on the session's
    // search_path, so two databases compare equal when their schemas are.
    Result<QSqlQuery> searchPath = executor.exec(QStringLiteral("SET LOCAL search_path = pg_catalog"));
    Result<CatalogSnapshot> snapshot
        = searchPath ? readInTransaction(executor, options) : Result<CatalogSnapshot>(searchPath.error());
    // Nothing was written: COMMIT and ROLLBACK are the same here, but ROLLBACK
    // also leaves an aborted transaction.
    Result<QSqlQuery> end = executor.exec(QStringLiteral("ROLLBACK"));
    if (!snapshot)
        return snapshot;
    if (!end)
        return end.error();
    return snapshot;
}

} // namespace dbops
