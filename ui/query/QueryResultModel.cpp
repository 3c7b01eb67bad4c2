#include "QueryResultModel.h"

#include <QBrush>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

namespace dbops::ui {

QueryResultModel::QueryResultModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void QueryResultModel::setTable(std::shared_ptr<const QueryTable> table)
{
    beginResetModel();
    m_table = std::move(table);
    endResetModel();
}

void QueryResultModel::clear()
{
    setTable(nullptr);
}

int QueryResultModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_table ? 0 : m_table->rowCount();
}

int QueryResultModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_table ? 0 : m_table->columnCount();
}

QVariant QueryResultModel::data(const QModelIndex& index, int role) const
{
    if (!m_table || !index.isValid())
        return {};
    const int row = index.row();
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        if (m_table->isNull(row, column))
            return QStringLiteral("NULL");
        return m_table->displayText(row, column, kDisplayCharacters);
    case Qt::EditRole: // what a copy of one cell gives: the whole text
        return m_table->isNull(row, column) ? QVariant() : QVariant(m_table->text(row, column));
    case Qt::TextAlignmentRole:
        return m_table->columns().at(column).numeric ? int(Qt::AlignRight | Qt::AlignVCenter)
                                                     : int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (m_table->isNull(row, column))
            return QBrush(QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text));
        return {};
    case Qt::FontRole:
        if (m_table->isNull(row, column)) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        return {};
    default:
        return {};
    }
}

QVariant QueryResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_table)
        return {};
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    if (section < 0 || section >= m_table->columnCount())
        return {};
    const QueryColumn& column = m_table->columns().at(section);
    if (role == Qt::DisplayRole)
        return column.name;
    if (role == Qt::ToolTipRole)
        return QStringLiteral("%1 (%2)").arg(column.name, column.typeName);
    return {};
}

} // namespace dbops::ui
