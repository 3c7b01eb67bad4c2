#pragma once

#include "catalog/CatalogSnapshot.h"
#include "catalog/LibpqPipeline.h"
#include "common/Error.h"

#include <QHash>
#include <QList>
#include <optional>

namespace dbops {

/// Turns the rows of the catalog queries (app/core/catalog/sql/*.sql) into a
/// CatalogSnapshot: one row handler per query, each reading its columns by
/// name.  The tables query comes first: the per-table queries name their
/// table by oid.
class CatalogSnapshotBuilder
{
public:
    explicit CatalogSnapshotBuilder(CatalogSnapshot& snapshot)
        : m_snapshot(snapshot)
    { }

    std::optional<Error> tables(LibpqPipeline::Rows& rows);
    std::optional<Error> columns(LibpqPipeline::Rows& rows);
    std::optional<Error> indexes(LibpqPipeline::Rows& rows);
    std::optional<Error> constraints(LibpqPipeline::Rows& rows);
    std::optional<Error> enums(LibpqPipeline::Rows& rows);
    std::optional<Error> views(LibpqPipeline::Rows& rows);
    std::optional<Error> sequences(LibpqPipeline::Rows& rows);

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

    CatalogSnapshot& m_snapshot;
    std::optional<TableIndex> m_tableIndex; // once the tables query has been read
};

} // namespace dbops
