#pragma once

#include "query/QueryResult.h"

#include <QList>
#include <QString>

class QIODevice;

namespace dbops {

/// A query result as text to paste or save: CSV (RFC 4180 quoting; NULL is
/// an empty field) and a GitHub Markdown table (numbers right-aligned, NULL
/// as *NULL*), each with a header of the column names.  `rows` and `columns`
/// pick and order the cells (a view's selection); all() picks everything.
class QueryResultFormat
{
public:
    static QList<int> allRows(const QueryTable& table);
    static QList<int> allColumns(const QueryTable& table);

    static QString csv(const QueryTable& table, const QList<int>& rows, const QList<int>& columns);
    static QString markdown(const QueryTable& table, const QList<int>& rows, const QList<int>& columns);

    /// Writes the whole table as CSV (UTF-8) to `device`, row by row, without
    /// building the text in memory first.  False when a write fails.
    static bool writeCsv(const QueryTable& table, QIODevice& device);

    static QString csvField(const QString& text);
    static QString markdownCell(const QString& text);
};

} // namespace dbops
