#pragma once

#include "catalog/CatalogSnapshot.h"
#include "catalog/LibpqPipeline.h"
#include "common/Error.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <functional>
#include <optional>
#include <vector>

namespace dbops {

/// One QString per distinct text: a catalog repeats the same few types,
/// defaults and column names thousands of times, and a shared QString costs
/// no allocation, no copy and no memory of its own.
class StringPool
{
public:
    /// `bytes` (UTF-8, `size` of them) as a QString, shared with every earlier equal text.
    QString text(const char* bytes, int size) { return size == 0 ? QString() : at(id(bytes, size)); }
    /// The number of that text (-1 for the empty one), for at().
    int id(const char* bytes, int size)
    {
        if (size == 0)
            return -1;
        const auto found = m_ids.constFind(QByteArray::fromRawData(bytes, size));
        if (found != m_ids.constEnd())
            return *found;
        m_texts.append(QString::fromUtf8(bytes, size));
        m_ids.insert(QByteArray(bytes, size), static_cast<int>(m_texts.size() - 1));
        return static_cast<int>(m_texts.size() - 1);
    }
    QString at(int id) const { return id < 0 ? QString() : m_texts.at(id); }

private:
    QHash<QByteArray, int> m_ids;
    QList<QString> m_texts;
};

/// Turns the rows of the catalog queries (app/core/catalog/sql/*.sql) into a
/// CatalogSnapshot: one row handler per query, each reading its columns by
/// name.  The tables query comes first: the per-table queries name their
/// table by oid.
class CatalogSnapshotBuilder
{
public:
    explicit CatalogSnapshotBuilder(
        CatalogSnapshot& snapshot, std::function<const CatalogSnapshot*()> sharedWith = {})
        : m_snapshot(snapshot)
        , m_sharedWith(std::move(sharedWith))
    { }

    std::optional<Error> tables(LibpqPipeline::Rows& rows);
    std::optional<Error> columns(LibpqPipeline::Rows& rows);
    std::optional<Error> indexes(LibpqPipeline::Rows& rows);
    std::optional<Error> constraints(LibpqPipeline::Rows& rows);
    std::optional<Error> enums(LibpqPipeline::Rows& rows);
    std::optional<Error> views(LibpqPipeline::Rows& rows);
    std::optional<Error> sequences(LibpqPipeline::Rows& rows);
    std::optional<Error> opclasses(LibpqPipeline::Rows& rows);

    /// Once every result above is in: the plain indexes' definitions composed
    /// from their parts (indexes.sql), as pg_get_indexdef prints them.  Returns
    /// the oids of the indexes to read pg_get_indexdef's text of
    /// (indexDefinitions()): those it cannot compose (a collation of its own
    /// ...), and a sample index per pair of column type and operator class it
    /// cannot judge alone (varchar under text_ops prints no class, where
    /// GetDefaultOpClass picks it for varchar): what the server printed for the
    /// sample holds for every index with that pair.  Call it again after
    /// indexDefinitions() until it returns none, then finishIndexes() hands
    /// the indexes to their tables.
    QList<quint32> composeIndexes();
    std::optional<Error> indexDefinitions(LibpqPipeline::Rows& rows);
    /// Once every result above is in: the plain constraints' definitions
    /// composed from their parts (constraints.sql), as pg_get_constraintdef
    /// prints them.  Returns the oids of those it cannot compose (a foreign
    /// key to a table outside the audit), whose text constraintDefinitions()
    /// then reads.
    QList<quint32> composeConstraints();
    std::optional<Error> constraintDefinitions(LibpqPipeline::Rows& rows);
    /// Hands the indexes and constraints to their tables.
    void finishParts();

    /// The tables query's oids, in its order: the per-table queries' parameter.
    const QList<quint32>& tableOids() const { return m_tableOids; }

private:
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
            const int at = position(oid);
            return at < 0 ? nullptr : &m_tables[at];
        }
        /// The table's place in the tables query's order; -1 for none.
        int position(quint32 oid) const { return m_positions.value(oid, -1); }

    private:
        QList<CatalogTable>& m_tables;
        QHash<quint32, int> m_positions;
    };

    /// The tables a per-table result filled: their lists sorted, and where
    /// the snapshot to share with has equal ones, those taken instead.
    /// Appends each pending part to its table, then shares the lists as shareParts does.
    template<typename Pending, typename Part>
    void handOver(std::vector<Pending>& pendings, QList<Part> CatalogTable::*part, Part Pending::*made);
    template<typename Part> void shareParts(const std::vector<CatalogTable*>& owners, Part part);
    const CatalogTable* sharedTable(const CatalogTable& table);
    /// `list` becomes `other` (shared) when equal, once sorted as CatalogSnapshot::sort has it.
    template<typename T> static void shareList(QList<T>& list, const QList<T>& other);

    /// A value of `rows`, shared with the equal ones read before.
    QString pooled(const LibpqPipeline::Rows& rows, int row, int column)
    {
        return m_pool.text(rows.value(row, column), rows.length(row, column));
    }

    /// What an index definition needs of a column (20 bytes: 400,000 of them
    /// are held until the indexes are composed).
    struct ColumnKey
    {
        int table; ///< its position in the tables query's order; -1: not audited
        int number;
        quint32 type;
        quint32 collation;
        int quotedName; ///< in m_pool
    };
    /// An index read, its definition composed (or asked for) once every column is in.
    struct PendingIndex
    {
        quint32 tableOid;
        quint32 oid;
        CatalogIndex index; ///< definition empty while to be composed or asked for
        QString quotedName; ///< empty when the name needs no quotes
        int accessMethod; ///< in m_pool
        int firstKey; ///< in m_indexKeys: (column number, operator class, collation) per key column
        int keyCount;
    };
    struct PendingConstraint
    {
        quint32 tableOid;
        quint32 oid;
        CatalogConstraint constraint; ///< definition empty while to be composed or asked for
        char kind; ///< contype of a constraint to compose: 'p', 'u' or 'f'; 0: read whole
        int firstKey; ///< in m_constraintKeys: its column numbers, then the referenced ones
        int keyCount;
        int referencedKeyCount;
        quint32 referencedTable;
        char actions[3]; ///< a foreign key's confmatchtype, confupdtype, confdeltype
        char flags[3]; ///< condeferrable, condeferred, convalidated: '0' or '1'
    };
    struct Range
    {
        int first = 0;
        int count = 0;
    };
    enum class Composed
    {
        Yes,
        Ask, ///< pg_get_indexdef's text wanted
        Undecided ///< a (type, class) pair not judged yet: composed as if the class were the type's default
    };
    /// The definition into `text`; `undecided` gets the (type, class) pairs it took as default.
    Composed compose(const PendingIndex& pending, QString& text, QList<quint64>* undecided) const;
    /// The constraint's definition into `text`; false when it cannot be composed.
    bool compose(const PendingConstraint& pending, QString& text) const;
    /// "a, b": the quoted names of the columns `numbers` of the table at
    /// `table` (the tables query's order); false when one is not known.
    bool columnList(int table, const int* numbers, int count, QString& list) const;
    /// m_columnKeys sorted by table and m_columnRanges filled, once.
    void indexColumns();

    CatalogSnapshot& m_snapshot;
    StringPool m_pool;
    // Until finishIndexes: every audited column's key (sorted by table, with
    // m_columnRanges in the tables query's order, once composing), each table's
    // quoted "schema"."name", the plain indexes' key columns.
    std::vector<ColumnKey> m_columnKeys;
    std::vector<Range> m_columnRanges;
    std::vector<int> m_qualifiedNames;
    std::vector<quint32> m_indexKeys;
    QHash<quint32, quint32> m_defaultOpclassTypes; // default operator class -> its type
    QHash<quint32, QList<quint64>> m_samples; // index oid -> the undecided pairs it samples
    QSet<quint64> m_sampledPairs;
    QHash<quint64, bool> m_classIsTypesDefault; // by (column type, operator class), decided
    std::vector<PendingIndex> m_pendingIndexes;
    std::vector<PendingConstraint> m_pendingConstraints;
    std::vector<int> m_constraintKeys;
    std::optional<TableIndex> m_tableIndex; // once the tables query has been read
    QList<quint32> m_tableOids;
    std::function<const CatalogSnapshot*()> m_sharedWith;
    const CatalogSnapshot* m_shared = nullptr;
    QHash<QString, const CatalogTable*> m_sharedTables; // m_shared's, by schema and name
};

} // namespace dbops
