#include "catalog/CatalogSnapshotBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <vector>

namespace dbops {

namespace {

bool sameParts(const CatalogColumn& a, const CatalogColumn& b)
{
    return a == b;
}
bool sameParts(const CatalogIndex& a, const CatalogIndex& b)
{
    return a.name == b.name && a.definition == b.definition && a.valid == b.valid;
}
bool sameParts(const CatalogConstraint& a, const CatalogConstraint& b)
{
    return a.name == b.name && a.type == b.type && a.definition == b.definition;
}

/// Sorted by name, as CatalogSnapshot::sort has them.
template<typename T> void sortByName(QList<T>& list)
{
    const QList<T>& constList = list;
    if (!std::is_sorted(
            constList.begin(), constList.end(), [](const T& a, const T& b) { return a.name < b.name; }))
        std::sort(list.begin(), list.end(), [](const T& a, const T& b) { return a.name < b.name; });
}

/// The distinct tables of a result's rows, in order (a table's rows come together).
std::vector<CatalogTable*> distinct(const std::vector<CatalogTable*>& owners)
{
    std::vector<CatalogTable*> tables;
    for (size_t r = 0; r < owners.size(); ++r) {
        if (owners[r] && (r == 0 || owners[r - 1] != owners[r]))
            tables.push_back(owners[r]);
    }
    return tables;
}

} // namespace

const CatalogTable* CatalogSnapshotBuilder::sharedTable(const CatalogTable& table)
{
    if (!m_shared && m_sharedWith) {
        m_shared = m_sharedWith();
        if (m_shared) {
            m_sharedTables.reserve(m_shared->tables.size());
            for (const CatalogTable& t : m_shared->tables)
                m_sharedTables.insert(t.schema + QChar(0) + t.name, &t);
            // What was read before it was there (it is parsed meanwhile) shares now.
            for (CatalogTable& read : m_snapshot.tables) {
                if (const CatalogTable* other = m_sharedTables.value(read.schema + QChar(0) + read.name)) {
                    shareList(read.columns, other->columns);
                    shareList(read.indexes, other->indexes);
                    shareList(read.constraints, other->constraints);
                }
            }
        }
    }
    if (!m_shared)
        return nullptr;
    return m_sharedTables.value(table.schema + QChar(0) + table.name);
}

template<typename T> void CatalogSnapshotBuilder::shareList(QList<T>& list, const QList<T>& other)
{
    if (list.isEmpty())
        return; // not read yet (or nothing to hold)
    sortByName(list);
    if (list.size() == other.size()
        && std::equal(list.cbegin(), list.cend(), other.cbegin(),
            [](const T& a, const T& b) { return sameParts(a, b); }))
        list = other;
}

template<typename Part>
void CatalogSnapshotBuilder::shareParts(const std::vector<CatalogTable*>& owners, Part part)
{
    if (!m_sharedWith)
        return;
    for (CatalogTable* table : distinct(owners)) {
        if (const CatalogTable* other = sharedTable(*table))
            shareList(table->*part, other->*part);
    }
}

// One part per row, appended to the table the row's oid names (rows of
// tables the audit does not cover are passed over), then shared with
// head.json's copy where equal.
template<typename Part, typename MakePart>
void CatalogSnapshotBuilder::appendParts(
    LibpqPipeline::Rows& rows, int tableColumn, Part part, const MakePart& make)
{
    std::vector<CatalogTable*> owners(static_cast<size_t>(rows.count()));
    for (int r = 0, n = rows.count(); r < n; ++r) {
        CatalogTable* owner = m_tableIndex->find(rows.oid(r, tableColumn));
        owners[static_cast<size_t>(r)] = owner;
        if (owner)
            (owner->*part).append(make(r));
    }
    shareParts(owners, part);
}

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
        m_snapshot.tables.append(CatalogTable { pooled(rows, r, schema), rows.text(r, name), {}, {}, {} });
    }
    m_tableIndex.emplace(m_snapshot.tables, oids);
    m_tableOids = oids;
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
    // Each table's list gets its exact size first: grown column by column,
    // 20 columns take room for 30 (400,000 columns: ~25 MB more).  A table's
    // rows come one after the other (the plan walks the tables): the length
    // of a table's first run is its column count.
    const int n = rows.count();
    std::vector<CatalogTable*> owners(static_cast<size_t>(n));
    for (int r = 0; r < n; ++r)
        owners[static_cast<size_t>(r)] = m_tableIndex->find(rows.oid(r, table));
    for (int r = 0; r < n;) {
        CatalogTable* owner = owners[static_cast<size_t>(r)];
        int end = r + 1;
        while (end < n && owners[static_cast<size_t>(end)] == owner)
            ++end;
        if (owner && owner->columns.isEmpty())
            owner->columns.reserve(end - r);
        r = end;
    }
    for (int r = 0; r < n; ++r) {
        if (CatalogTable* owner = owners[static_cast<size_t>(r)])
            owner->columns.append(CatalogColumn { pooled(rows, r, name), pooled(rows, r, type),
                rows.boolean(r, nullable), pooled(rows, r, defaultExpression), pooled(rows, r, identity),
                pooled(rows, r, generated) });
    }
    shareParts(owners, &CatalogTable::columns);
    return std::nullopt;
}

std::optional<Error> CatalogSnapshotBuilder::indexes(LibpqPipeline::Rows& rows)
{
    const int table = rows.column("table_oid");
    const int name = rows.column("index_name");
    const int definition = rows.column("definition");
    const int valid = rows.column("valid");
    if (!rows.missingColumn().isEmpty() || !m_tableIndex)
        return std::nullopt;
    appendParts(rows, table, &CatalogTable::indexes, [&](int r) {
        return CatalogIndex { rows.text(r, name), rows.text(r, definition), rows.boolean(r, valid) };
    });
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
    appendParts(rows, table, &CatalogTable::constraints, [&](int r) {
        return CatalogConstraint { rows.text(r, name), pooled(rows, r, type), rows.text(r, definition) };
    });
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
        sequence.schema = pooled(rows, r, schema);
        sequence.name = rows.text(r, name);
        sequence.dataType = pooled(rows, r, dataType);
        sequence.start = pooled(rows, r, start);
        sequence.increment = pooled(rows, r, increment);
        sequence.minValue = pooled(rows, r, minValue);
        sequence.maxValue = pooled(rows, r, maxValue);
        sequence.cache = pooled(rows, r, cache);
        sequence.cycle = rows.boolean(r, cycle);
        sequence.ownerTable = rows.text(r, ownerTable);
        sequence.ownerColumn = pooled(rows, r, ownerColumn);
        m_snapshot.sequences.append(sequence);
    }
    return std::nullopt;
}

} // namespace dbops
