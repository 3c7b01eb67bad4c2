#include "query/QueryResultFormat.h"

#include <QIODevice>

namespace dbops {

QList<int> QueryResultFormat::allRows(const QueryTable& table)
{
    QList<int> rows;
    rows.reserve(table.rowCount());
    for (int row = 0; row < table.rowCount(); ++row)
        rows.append(row);
    return rows;
}

QList<int> QueryResultFormat::allColumns(const QueryTable& table)
{
    QList<int> columns;
    for (int column = 0; column < table.columnCount(); ++column)
        columns.append(column);
    return columns;
}

QString QueryResultFormat::csvField(const QString& text)
{
    const bool quote = text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"'))
        || text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))
        || (!text.isEmpty() && (text.front().isSpace() || text.back().isSpace()));
    if (!quote)
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString QueryResultFormat::markdownCell(const QString& text)
{
    QString cell = text;
    cell.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    cell.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    cell.replace(QStringLiteral("\r\n"), QStringLiteral("<br>"));
    cell.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    cell.replace(QLatin1Char('\r'), QStringLiteral("<br>"));
    return cell;
}

QString QueryResultFormat::csv(const QueryTable& table, const QList<int>& rows, const QList<int>& columns)
{
    QString text;
    QStringList fields;
    for (int column : columns)
        fields.append(csvField(table.columns().at(column).name));
    text += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int row : rows) {
        fields.clear();
        for (int column : columns)
            fields.append(table.isNull(row, column) ? QString() : csvField(table.text(row, column)));
        text += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return text;
}

QString QueryResultFormat::markdown(
    const QueryTable& table, const QList<int>& rows, const QList<int>& columns)
{
    QString text;
    QStringList cells;
    QStringList rule;
    for (int column : columns) {
        cells.append(markdownCell(table.columns().at(column).name));
        rule.append(table.columns().at(column).numeric ? QStringLiteral("---:") : QStringLiteral("---"));
    }
    text += QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
    text += QLatin1Char('|') + rule.join(QLatin1Char('|')) + QStringLiteral("|\n");
    for (int row : rows) {
        cells.clear();
        for (int column : columns)
            cells.append(
                table.isNull(row, column) ? QStringLiteral("*NULL*") : markdownCell(table.text(row, column)));
        text += QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
    }
    return text;
}

bool QueryResultFormat::writeCsv(const QueryTable& table, QIODevice& device)
{
    const QList<int> columns = allColumns(table);
    QStringList fields;
    for (int column : columns)
        fields.append(csvField(table.columns().at(column).name));
    QByteArray chunk = (fields.join(QLatin1Char(',')) + QLatin1Char('\n')).toUtf8();
    for (int row = 0; row < table.rowCount(); ++row) {
        fields.clear();
        for (int column : columns)
            fields.append(table.isNull(row, column) ? QString() : csvField(table.text(row, column)));
        chunk += (fields.join(QLatin1Char(',')) + QLatin1Char('\n')).toUtf8();
        if (chunk.size() >= (1 << 20)) {
            if (device.write(chunk) != chunk.size())
                return false;
            chunk.clear();
        }
    }
    return device.write(chunk) == chunk.size();
}

} // namespace dbops
