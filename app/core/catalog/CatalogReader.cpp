#include "catalog/CatalogReader.h"

#include "connection/DatabaseConnection.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QSqlRecord>
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

// Reads the current row of one query by column name.  The names are looked up
// once: Qt 6's QPSQL rebuilds the whole record on every QSqlQuery::value(name).
class RowReader
{
public:
    explicit RowReader(const QSqlQuery& query)
        : m_query(query)
        , m_record(query.record())
    {
    }

    QString text(const char* column) const { return m_query.value(index(column)).toString(); }

    // QPSQL hands booleans over as QVariant(bool); "t"/"f" text covers older drivers.
    bool boolean(const char* column) const
    {
        const QVariant value = m_query.value(index(column));
        if (value.userType() == QMetaType::Bool)
            return value.toBool();
        const QString s = value.toString();
        return s == QLatin1String("t") || s == QLatin1String("true");
    }

private:
    int index(const char* column) const
    {
        auto it = m_indexes.constFind(column);
        if (it == m_indexes.constEnd())
            it = m_indexes.insert(column, m_record.indexOf(QLatin1String(column)));
        return *it;
    }

    const QSqlQuery& m_query;
    QSqlRecord m_record;
    mutable QHash<const char*, int> m_indexes; // keys are the literals of this file
};

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
    CatalogTable* find(const RowReader& row)
    {
        const int position = m_positions.value(key(row.text("schema_name"), row.text("table_name")), -1);
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
    const RowReader tableRow(tables.value());
    while (tables.value().next())
        snapshot.tables.append(CatalogTable { tableRow.text("schema_name"), tableRow.text("table_name"), {}, {}, {} });
    TableIndex tableIndex(snapshot.tables);

    Result<QSqlQuery> columns = executor.catalogQuery(QStringLiteral("columns"), bothParameters);
    if (!columns)
        return columns.error();
    const RowReader columnRow(columns.value());
    while (columns.value().next()) {
        const RowReader& row = columnRow;
        if (CatalogTable* table = tableIndex.find(row))
            table->columns.append(
                CatalogColumn { row.text("column_name"), row.text("data_type"), row.boolean("nullable"),
                    row.text("default_expression"), row.text("identity"), row.text("generated") });
    }

    Result<QSqlQuery> indexes = executor.catalogQuery(QStringLiteral("indexes"), bothParameters);
    if (!indexes)
        return indexes.error();
    const RowReader indexRow(indexes.value());
    while (indexes.value().next()) {
        const RowReader& row = indexRow;
        if (CatalogTable* table = tableIndex.find(row))
            table->indexes.append(CatalogIndex { row.text("index_name"), row.text("definition") });
    }

    Result<QSqlQuery> constraints = executor.catalogQuery(QStringLiteral("constraints"), bothParameters);
    if (!constraints)
        return constraints.error();
    const RowReader constraintRow(constraints.value());
    while (constraints.value().next()) {
        const RowReader& row = constraintRow;
        if (CatalogTable* table = tableIndex.find(row))
            table->constraints.append(CatalogConstraint {
                row.text("constraint_name"), row.text("constraint_type"), row.text("definition") });
    }

    Result<QSqlQuery> enums = executor.catalogQuery(QStringLiteral("enums"), schemaParameter);
    if (!enums)
        return enums.error();
    const RowReader enumRow(enums.value());
    while (enums.value().next()) {
        const RowReader& row = enumRow;
        QStringList labels;
        const QJsonArray array = QJsonDocument::fromJson(row.text("labels").toUtf8()).array();
        for (const QJsonValue& label : array)
            labels.append(label.toString());
        snapshot.enums.append(CatalogEnum { row.text("schema_name"), row.text("type_name"), labels });
    }

    Result<QSqlQuery> views = executor.catalogQuery(QStringLiteral("views"), schemaParameter);
    if (!views)
        return views.error();
    const RowReader viewRow(views.value());
    while (views.value().next()) {
        const RowReader& row = viewRow;
        snapshot.views.append(CatalogView { row.text("schema_name"), row.text("view_name"),
            row.boolean("materialized"), row.text("definition") });
    }

    Result<QSqlQuery> sequences = executor.catalogQuery(QStringLiteral("sequences"), bothParameters);
    if (!sequences)
        return sequences.error();
    const RowReader sequenceRow(sequences.value());
    while (sequences.value().next()) {
        const RowReader& row = sequenceRow;
        CatalogSequence sequence;
        sequence.schema = row.text("schema_name");
        sequence.name = row.text("sequence_name");
        sequence.dataType = row.text("data_type");
        sequence.start = row.text("start_value");
        sequence.increment = row.text("increment");
        sequence.minValue = row.text("min_value");
        sequence.maxValue = row.text("max_value");
        sequence.cache = row.text("cache_size");
        sequence.cycle = row.boolean("cycle");
        sequence.ownerTable = row.text("owner_table");
        sequence.ownerColumn = row.text("owner_column");
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
