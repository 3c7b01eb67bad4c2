#pragma once

#include "catalog/CatalogSnapshot.h"
#include "catalog/LibpqPipeline.h"
#include "common/Error.h"

#include <QHash>
#include <QList>
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
    QString text(const char* bytes, int size)
    {
        if (size == 0)
            return QString();
        const auto found = m_strings.constFind(QByteArray::fromRawData(bytes, size));
        if (found != m_strings.constEnd())
            return *found;
        const QString text = QString::fromUtf8(bytes, size);
        m_strings.insert(QByteArray(bytes, size), text);
        return text;
    }

private:
    QHash<QByteArray, QString> m_strings;
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
            const auto it = m_positions.constFind(oid);
            return it == m_positions.constEnd() ? nullptr : &m_tables[*it];
        }

    private:
        QList<CatalogTable>& m_tables;
        QHash<quint32, int> m_positions;
    };

    /// The tables a per-table result filled: their lists sorted, and where
    /// the snapshot to share with has equal ones, those taken instead.
    template<typename Part> void shareParts(const std::vector<CatalogTable*>& owners, Part part);
    template<typename Part, typename MakePart>
    void appendParts(LibpqPipeline::Rows& rows, int tableColumn, Part part, const MakePart& make);
    const CatalogTable* sharedTable(const CatalogTable& table);
    /// `list` becomes `other` (shared) when equal, once sorted as CatalogSnapshot::sort has it.
    template<typename T> static void shareList(QList<T>& list, const QList<T>& other);

    /// A value of `rows`, shared with the equal ones read before.
    QString pooled(const LibpqPipeline::Rows& rows, int row, int column)
    {
        return m_pool.text(rows.value(row, column), rows.length(row, column));
    }

    CatalogSnapshot& m_snapshot;
    StringPool m_pool;
    std::optional<TableIndex> m_tableIndex; // once the tables query has been read
    QList<quint32> m_tableOids;
    std::function<const CatalogSnapshot*()> m_sharedWith;
    const CatalogSnapshot* m_shared = nullptr;
    QHash<QString, const CatalogTable*> m_sharedTables; // m_shared's, by schema and name
};

} // namespace dbops
