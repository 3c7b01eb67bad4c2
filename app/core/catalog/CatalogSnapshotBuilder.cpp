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

/// The rows of index_definitions.sql or constraint_definitions.sql: the
/// server's text by the object's oid (none when a column is missing).
QHash<quint32, QString> definitionsByOid(LibpqPipeline::Rows& rows, const char* oidColumn)
{
    const int oid = rows.column(oidColumn);
    const int definition = rows.column("definition");
    QHash<quint32, QString> definitions;
    if (!rows.missingColumn().isEmpty())
        return definitions;
    for (int r = 0, n = rows.count(); r < n; ++r)
        definitions.insert(rows.oid(r, oid), rows.text(r, definition));
    return definitions;
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

std::optional<Error> CatalogSnapshotBuilder::tables(LibpqPipeline::Rows& rows)
{
    const int oid = rows.column("table_oid");
    const int schema = rows.column("schema_name");
    const int name = rows.column("table_name");
    const int qualifiedName = rows.column("qualified_name");
    if (!rows.missingColumn().isEmpty())
        return std::nullopt;
    const int n = rows.count();
    m_snapshot.tables.reserve(n);
    m_qualifiedNames.reserve(static_cast<size_t>(n));
    QList<quint32> oids;
    oids.reserve(n);
    for (int r = 0; r < n; ++r) {
        oids.append(rows.oid(r, oid));
        m_qualifiedNames.push_back(m_pool.id(rows.value(r, qualifiedName), rows.length(r, qualifiedName)));
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
    const int number = rows.column("column_number");
    const int typeOid = rows.column("type_oid");
    const int collationOid = rows.column("collation_oid");
    const int quotedName = rows.column("quoted_name");
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
        const int nameId = m_pool.id(rows.value(r, name), rows.length(r, name));
        const int quoted = rows.length(r, quotedName) > 0
            ? m_pool.id(rows.value(r, quotedName), rows.length(r, quotedName))
            : nameId;
        m_columnKeys.push_back(ColumnKey { m_tableIndex->position(rows.oid(r, table)),
            std::atoi(rows.value(r, number)), rows.oid(r, typeOid), rows.oid(r, collationOid), quoted });
        if (CatalogTable* owner = owners[static_cast<size_t>(r)])
            owner->columns.append(CatalogColumn { m_pool.at(nameId), pooled(rows, r, type),
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
    const int oid = rows.column("index_oid");
    const int quotedName = rows.column("quoted_name");
    const int accessMethod = rows.column("access_method");
    const int keyColumns = rows.column("key_columns");
    const int operatorClasses = rows.column("operator_classes");
    const int collations = rows.column("collations");
    if (!rows.missingColumn().isEmpty() || !m_tableIndex)
        return std::nullopt;
    const int n = rows.count();
    for (int r = 0; r < n; ++r) {
        PendingIndex pending { rows.oid(r, table), rows.oid(r, oid),
            CatalogIndex { rows.text(r, name), rows.text(r, definition), rows.boolean(r, valid) },
            rows.text(r, quotedName), m_pool.id(rows.value(r, accessMethod), rows.length(r, accessMethod)),
            static_cast<int>(m_indexKeys.size()), 0 };
        // int2vector and oidvector text: "2 5", "3124 3126", "0 100"; empty for an index not composed.
        const char* vectors[]
            = { rows.value(r, keyColumns), rows.value(r, operatorClasses), rows.value(r, collations) };
        for (bool more = *vectors[0] != 0; more;) {
            for (const char*& text : vectors) {
                char* end = nullptr;
                m_indexKeys.push_back(static_cast<quint32>(std::strtoul(text, &end, 10)));
                text = end;
            }
            ++pending.keyCount;
            more = *vectors[0] == ' ';
        }
        m_pendingIndexes.push_back(std::move(pending));
    }
    return std::nullopt;
}

std::optional<Error> CatalogSnapshotBuilder::opclasses(LibpqPipeline::Rows& rows)
{
    const int oid = rows.column("opclass_oid");
    const int type = rows.column("type_oid");
    if (!rows.missingColumn().isEmpty())
        return std::nullopt;
    for (int r = 0, n = rows.count(); r < n; ++r)
        m_defaultOpclassTypes.insert(rows.oid(r, oid), rows.oid(r, type));
    return std::nullopt;
}

// pg_get_indexdef's text of a plain index (ruleutils.c, pg_get_indexdef_worker):
// "CREATE INDEX name ON schema.table USING am (a, b)".  A key column prints no
// operator class when its class is what GetDefaultOpClass picks for the
// column's type, and no COLLATE when the index uses the column's collation;
// only the certain case (the class is the default of exactly the column's
// type) is composed here.
CatalogSnapshotBuilder::Composed CatalogSnapshotBuilder::compose(
    const PendingIndex& pending, QString& text, QList<quint64>* undecided) const
{
    const int table = m_tableIndex ? m_tableIndex->position(pending.tableOid) : -1;
    if (table < 0 || pending.keyCount == 0)
        return Composed::Ask;
    if (static_cast<size_t>(table) >= m_columnRanges.size())
        return Composed::Ask;
    const Range columns = m_columnRanges[static_cast<size_t>(table)];
    const auto firstColumn = m_columnKeys.cbegin() + columns.first;
    const auto endColumn = firstColumn + columns.count;
    Composed composed = Composed::Yes;
    QString keys;
    for (int k = 0; k < pending.keyCount; ++k) {
        const quint32* key = &m_indexKeys[static_cast<size_t>(pending.firstKey + 3 * k)];
        const auto column = std::find_if(firstColumn, endColumn,
            [key](const ColumnKey& candidate) { return candidate.number == static_cast<int>(key[0]); });
        const auto classType = m_defaultOpclassTypes.constFind(key[1]);
        if (column == endColumn || classType == m_defaultOpclassTypes.constEnd()
            || key[2] != column->collation)
            return Composed::Ask;
        if (*classType != column->type) {
            // Another type's default class: printed or not as GetDefaultOpClass
            // decides for the column's type (binary coercion, preferred types).
            const quint64 pair = (quint64(column->type) << 32) | key[1];
            const auto decided = m_classIsTypesDefault.constFind(pair);
            if (decided == m_classIsTypesDefault.constEnd()) {
                composed = Composed::Undecided;
                if (undecided)
                    undecided->append(pair);
            } else if (!*decided) {
                return Composed::Ask;
            }
        }
        if (k > 0)
            keys += QLatin1String(", ");
        keys += m_pool.at(column->quotedName);
    }
    text = QLatin1String("CREATE INDEX ")
        + (pending.quotedName.isEmpty() ? pending.index.name : pending.quotedName) + QLatin1String(" ON ")
        + m_pool.at(m_qualifiedNames[static_cast<size_t>(table)]) + QLatin1String(" USING ")
        + m_pool.at(pending.accessMethod) + QLatin1String(" (") + keys + QLatin1Char(')');
    return composed;
}

void CatalogSnapshotBuilder::indexColumns()
{
    if (!m_columnRanges.empty() || m_columnKeys.empty())
        return;
    // A table's columns together (a hash join returns them interleaved).
    std::sort(m_columnKeys.begin(), m_columnKeys.end(), [](const ColumnKey& a, const ColumnKey& b) {
        return a.table != b.table ? a.table < b.table : a.number < b.number;
    });
    m_columnRanges.resize(m_snapshot.tables.size());
    for (size_t i = 0; i < m_columnKeys.size(); ++i) {
        const int table = m_columnKeys[i].table;
        if (table < 0)
            continue;
        Range& range = m_columnRanges[static_cast<size_t>(table)];
        if (range.count == 0)
            range.first = static_cast<int>(i);
        ++range.count;
    }
}

QList<quint32> CatalogSnapshotBuilder::composeIndexes()
{
    indexColumns();
    QList<quint32> asked;
    for (PendingIndex& pending : m_pendingIndexes) {
        if (!pending.index.definition.isEmpty())
            continue;
        QString text;
        QList<quint64> undecided;
        switch (compose(pending, text, &undecided)) {
        case Composed::Yes:
            pending.index.definition = text;
            break;
        case Composed::Ask:
            asked.append(pending.oid);
            break;
        case Composed::Undecided: {
            // The first index with a pair not yet sampled samples it; the
            // others wait for the verdict.
            QList<quint64> fresh;
            for (quint64 pair : undecided) {
                if (!m_sampledPairs.contains(pair))
                    fresh.append(pair);
            }
            if (!fresh.isEmpty()) {
                for (quint64 pair : fresh)
                    m_sampledPairs.insert(pair);
                m_samples.insert(pending.oid, fresh);
                asked.append(pending.oid);
            }
            break;
        }
        }
    }
    return asked;
}

std::optional<Error> CatalogSnapshotBuilder::indexDefinitions(LibpqPipeline::Rows& rows)
{
    const QHash<quint32, QString> definitions = definitionsByOid(rows, "index_oid");
    for (PendingIndex& pending : m_pendingIndexes) {
        if (!pending.index.definition.isEmpty())
            continue;
        const auto found = definitions.constFind(pending.oid);
        if (found == definitions.constEnd())
            continue;
        pending.index.definition = *found;
        const auto sample = m_samples.constFind(pending.oid);
        if (sample == m_samples.constEnd())
            continue;
        // Printed as composed with the classes taken for the types' defaults:
        // they are (each printed class would show).  Otherwise none is trusted.
        QString composed;
        compose(pending, composed, nullptr);
        for (quint64 pair : *sample)
            m_classIsTypesDefault.insert(pair, composed == *found);
    }
    // A sample that did not come back (its index dropped meanwhile) is no evidence.
    for (auto it = m_samples.cbegin(); it != m_samples.cend(); ++it) {
        for (quint64 pair : *it) {
            if (!m_classIsTypesDefault.contains(pair))
                m_classIsTypesDefault.insert(pair, false);
        }
    }
    m_samples.clear();
    return std::nullopt;
}

// pg_get_constraintdef's text of a primary key, unique constraint or foreign
// key (ruleutils.c, pg_get_constraintdef_worker): "PRIMARY KEY (a, b)",
// "UNIQUE (a)", "FOREIGN KEY (a) REFERENCES schema.table(b)" with its match
// type and actions, then DEFERRABLE, INITIALLY DEFERRED and NOT VALID.  The
// shapes it prints more for are never composed (constraints.sql).
bool CatalogSnapshotBuilder::compose(const PendingConstraint& pending, QString& text) const
{
    const int table = m_tableIndex ? m_tableIndex->position(pending.tableOid) : -1;
    const int* keys = m_constraintKeys.data() + pending.firstKey;
    QString columns;
    if (table < 0 || !columnList(table, keys, pending.keyCount, columns))
        return false;
    switch (pending.kind) {
    case 'p':
        text = QLatin1String("PRIMARY KEY (") + columns + QLatin1Char(')');
        break;
    case 'u':
        text = QLatin1String("UNIQUE (") + columns + QLatin1Char(')');
        break;
    case 'f': {
        const int referenced = m_tableIndex->position(pending.referencedTable);
        QString referencedColumns;
        if (referenced < 0
            || !columnList(
                referenced, keys + pending.keyCount, pending.referencedKeyCount, referencedColumns))
            return false;
        text = QLatin1String("FOREIGN KEY (") + columns + QLatin1String(") REFERENCES ")
            + m_pool.at(m_qualifiedNames[static_cast<size_t>(referenced)]) + QLatin1Char('(')
            + referencedColumns + QLatin1Char(')');
        switch (pending.actions[0]) {
        case 's':
            break;
        case 'f':
            text += QLatin1String(" MATCH FULL");
            break;
        default:
            return false;
        }
        auto action = [](char code) -> const char* {
            switch (code) {
            case 'a':
                return ""; // NO ACTION, the default, is not printed
            case 'r':
                return "RESTRICT";
            case 'c':
                return "CASCADE";
            case 'n':
                return "SET NULL";
            case 'd':
                return "SET DEFAULT";
            default:
                return nullptr;
            }
        };
        const char* onUpdate = action(pending.actions[1]);
        const char* onDelete = action(pending.actions[2]);
        if (!onUpdate || !onDelete)
            return false;
        if (*onUpdate)
            text += QLatin1String(" ON UPDATE ") + QLatin1String(onUpdate);
        if (*onDelete)
            text += QLatin1String(" ON DELETE ") + QLatin1String(onDelete);
        break;
    }
    default:
        return false;
    }
    if (pending.flags[0] == '1')
        text += QLatin1String(" DEFERRABLE");
    if (pending.flags[1] == '1')
        text += QLatin1String(" INITIALLY DEFERRED");
    if (pending.flags[2] == '0')
        text += QLatin1String(" NOT VALID");
    return true;
}

bool CatalogSnapshotBuilder::columnList(int table, const int* numbers, int count, QString& list) const
{
    if (count == 0 || static_cast<size_t>(table) >= m_columnRanges.size())
        return false;
    const Range columns = m_columnRanges[static_cast<size_t>(table)];
    const auto first = m_columnKeys.cbegin() + columns.first;
    const auto end = first + columns.count;
    for (int k = 0; k < count; ++k) {
        // Sorted by number within the table.
        const auto column = std::lower_bound(first, end, numbers[k],
            [](const ColumnKey& candidate, int number) { return candidate.number < number; });
        if (column == end || column->number != numbers[k])
            return false;
        if (k > 0)
            list += QLatin1String(", ");
        list += m_pool.at(column->quotedName);
    }
    return true;
}

QList<quint32> CatalogSnapshotBuilder::composeConstraints()
{
    indexColumns();
    QList<quint32> asked;
    for (PendingConstraint& pending : m_pendingConstraints) {
        if (pending.kind == 0)
            continue;
        QString text;
        if (compose(pending, text))
            pending.constraint.definition = text;
        else
            asked.append(pending.oid);
    }
    return asked;
}

std::optional<Error> CatalogSnapshotBuilder::constraintDefinitions(LibpqPipeline::Rows& rows)
{
    const QHash<quint32, QString> definitions = definitionsByOid(rows, "constraint_oid");
    for (PendingConstraint& pending : m_pendingConstraints) {
        if (pending.kind != 0 && pending.constraint.definition.isEmpty())
            pending.constraint.definition = definitions.value(pending.oid);
    }
    return std::nullopt;
}

template<typename Pending, typename Part>
void CatalogSnapshotBuilder::handOver(
    std::vector<Pending>& pendings, QList<Part> CatalogTable::*part, Part Pending::*made)
{
    std::vector<CatalogTable*> owners;
    owners.reserve(pendings.size());
    for (Pending& pending : pendings) {
        CatalogTable* owner = m_tableIndex->find(pending.tableOid);
        owners.push_back(owner);
        if (owner)
            (owner->*part).append(std::move(pending.*made));
    }
    pendings = {};
    shareParts(owners, part);
}

void CatalogSnapshotBuilder::finishParts()
{
    if (!m_tableIndex)
        return;
    handOver(m_pendingConstraints, &CatalogTable::constraints, &PendingConstraint::constraint);
    handOver(m_pendingIndexes, &CatalogTable::indexes, &PendingIndex::index);
    m_constraintKeys = {};
    m_columnKeys = {};
    m_columnRanges = {};
    m_qualifiedNames = {};
    m_indexKeys = {};
    m_classIsTypesDefault.clear();
    m_sampledPairs.clear();
}

std::optional<Error> CatalogSnapshotBuilder::constraints(LibpqPipeline::Rows& rows)
{
    const int table = rows.column("table_oid");
    const int name = rows.column("constraint_name");
    const int type = rows.column("constraint_type");
    const int definition = rows.column("definition");
    const int oid = rows.column("constraint_oid");
    const int kind = rows.column("kind");
    const int keyColumns = rows.column("key_columns");
    const int referencedTable = rows.column("referenced_table");
    const int referencedColumns = rows.column("referenced_columns");
    const int actions = rows.column("actions");
    const int flags = rows.column("flags");
    if (!rows.missingColumn().isEmpty() || !m_tableIndex)
        return std::nullopt;
    const int n = rows.count();
    m_pendingConstraints.reserve(m_pendingConstraints.size() + static_cast<size_t>(n));
    // "1 2" (array_to_string of an int2[]) into m_constraintKeys; their count.
    auto numbers = [this](const char* text) {
        int count = 0;
        while (*text) {
            char* end = nullptr;
            m_constraintKeys.push_back(static_cast<int>(std::strtol(text, &end, 10)));
            ++count;
            text = *end == ' ' ? end + 1 : end;
            if (end == text && *text)
                break; // not a number: left to the server (compose finds no such column)
        }
        return count;
    };
    for (int r = 0; r < n; ++r) {
        PendingConstraint pending { rows.oid(r, table), rows.oid(r, oid),
            CatalogConstraint { rows.text(r, name), pooled(rows, r, type), rows.text(r, definition) },
            rows.length(r, kind) == 1 ? rows.value(r, kind)[0] : char(0),
            static_cast<int>(m_constraintKeys.size()), 0, 0, 0, { 0, 0, 0 }, { 0, 0, 0 } };
        if (pending.kind != 0) {
            pending.keyCount = numbers(rows.value(r, keyColumns));
            if (pending.kind == 'f') {
                pending.referencedTable = rows.oid(r, referencedTable);
                pending.referencedKeyCount = numbers(rows.value(r, referencedColumns));
                if (rows.length(r, actions) == 3)
                    std::copy_n(rows.value(r, actions), 3, pending.actions);
            }
            if (rows.length(r, flags) == 3)
                std::copy_n(rows.value(r, flags), 3, pending.flags);
        }
        m_pendingConstraints.push_back(std::move(pending));
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
