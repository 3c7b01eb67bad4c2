#pragma once

#include "query/QueryResult.h"

#include <QAbstractTableModel>
#include <memory>

namespace dbops::ui {

/// A query result for a QTableView, straight over the compact QueryTable:
/// nothing is copied or converted up front, data() decodes a cell when the
/// view paints it, so 100,000 rows appear at once and scroll without work
/// proportional to the result.  NULL shows as a grey, italic "NULL"; numbers
/// are right-aligned; the header's tooltip names the column's type.
class QueryResultModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    /// Cells show at most this many characters (the rest is in copies and exports).
    static constexpr int kDisplayCharacters = 500;

    explicit QueryResultModel(QObject* parent = nullptr);

    void setTable(std::shared_ptr<const QueryTable> table);
    void clear();
    const std::shared_ptr<const QueryTable>& table() const { return m_table; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const QueryTable> m_table;
};

} // namespace dbops::ui
