#pragma once

#include "common/Error.h"
#include "connection/DatabaseConnection.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace dbops {

/// One column of a query result: its name and the server's type.
struct QueryColumn
{
    QString name;
    quint32 typeOid = 0;
    QString typeName; ///< format_type(oid, NULL), e.g. "integer", "timestamp with time zone"
    bool numeric = false; ///< a number type: right-aligned in views
};

/// The rows of a query result as the server sent them (its text format),
/// stored compactly: all cells' UTF-8 bytes in one buffer and one 32-bit end
/// offset per cell (its top bit marks NULL).  100,000 rows of 10 short
/// columns take about 10 MB of text and 4 MB of offsets, where a QVariant
/// or QString per cell would take several times that.  A table is filled once
/// (by ReadOnlyQuery) and then only read, so it is shared between threads as
/// a `shared_ptr<const QueryTable>`.
class QueryTable
{
public:
    /// The most cell bytes a table holds (the offsets have 31 bits).
    static constexpr qint64 kMaxBytes = 0x7fffffff;

    const QList<QueryColumn>& columns() const { return m_columns; }
    int columnCount() const { return static_cast<int>(m_columns.size()); }
    int rowCount() const { return m_rowCount; }

    bool isNull(int row, int column) const { return (m_ends[cell(row, column)] & kNullBit) != 0; }
    /// The cell as the server wrote it; empty for NULL.
    QString text(int row, int column) const;
    /// At most `maxCharacters` of the cell, with "…" when cut: for views,
    /// which need not lay out a megabyte of JSON to show one line of it.
    QString displayText(int row, int column, int maxCharacters) const;
    int byteLength(int row, int column) const;

    /// The memory the cells take (buffer and offsets), for the status line and tests.
    qint64 memoryBytes() const;

    // Filling, row by row, cell by cell (ReadOnlyQuery).
    void setColumns(const QList<QueryColumn>& columns);
    QList<QueryColumn>& mutableColumns() { return m_columns; }
    /// False when the cell would not fit (kMaxBytes): the table is full.
    bool appendCell(const char* data, int length, bool null);
    void finishRow() { ++m_rowCount; }
    qint64 byteCount() const { return static_cast<qint64>(m_bytes.size()); }
    /// Gives back the spare capacity the buffers grew by.
    void squeeze();

private:
    static constexpr quint32 kNullBit = 0x80000000u;
    size_t cell(int row, int column) const { return size_t(row) * size_t(m_columns.size()) + size_t(column); }
    quint32 start(size_t index) const { return index == 0 ? 0 : (m_ends[index - 1] & ~kNullBit); }

    QList<QueryColumn> m_columns;
    std::vector<char> m_bytes;
    std::vector<quint32> m_ends;
    int m_rowCount = 0;
};

/// What a run of the query console gave: the rows of its last statement, or
/// why it did not run (refused before anything was sent), failed on the
/// server, or was cancelled.
struct QueryResult
{
    enum class Status
    {
        Ok,
        Refused, ///< not a read, or not SQL the parser accepts: nothing was sent
        Failed, ///< the server (or the connection) reported an error; the timeout included
        Cancelled, ///< cancelled by the user; the transaction was rolled back
    };

    Status status = Status::Failed;
    /// Refused, Failed, Cancelled: what and, where known, line and column in the SQL text.
    std::optional<Error> error;
    /// Ok: the last statement's rows (no columns for a statement without rows).
    std::shared_ptr<const QueryTable> table;
    QString commandTag; ///< the server's, e.g. "SELECT 12", "SHOW", "EXPLAIN"
    int statementCount = 0;
    /// More rows (or bytes) were there than the limits let in; `table` has the first ones.
    bool truncated = false;
    int rowLimit = 0;
    int statementTimeoutSeconds = 0;
    qint64 milliseconds = 0;
    QList<ServerNotice> notices;

    bool ok() const { return status == Status::Ok; }
    int rowCount() const { return table ? table->rowCount() : 0; }
    static QString statusName(Status status);
};

} // namespace dbops

Q_DECLARE_METATYPE(dbops::QueryResult)
