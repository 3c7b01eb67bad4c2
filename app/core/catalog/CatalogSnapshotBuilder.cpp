#include "catalog/CatalogSnapshotBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dbops {

std::optional<Error> CatalogSnapshotBuilder::tables(LibpqPipeline::Rows& rows)
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

std::optional<Error> CatalogSnapshotBuilder::columns(LibpqPipeline::Rows& rows)
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

std::optional<Error> CatalogSnapshotBuilder::indexes(LibpqPipeline::Rows& rows)
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

std::optional<Error> CatalogSnapshotBuilder::constraints(LibpqPipeline::Rows& rows)
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

std::optional<Error> CatalogSnapshotBuilder::enums(LibpqPipeline::Rows& rows)
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

std::optional<Error> CatalogSnapshotBuilder::views(LibpqPipeline::Rows& rows)
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

std::optional<Error> CatalogSnapshotBuilder::sequences(LibpqPipeline::Rows& rows)
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

} // namespace dbops
