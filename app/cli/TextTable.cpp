#include "TextTable.h"

namespace dbops::cli {

void TextTable::print(QTextStream& out, const QString& indent) const
{
    QList<int> widths;
    for (const QString& cell : m_header)
        widths.append(static_cast<int>(cell.size()));
    for (const QStringList& row : m_rows) {
        for (int i = 0; i < row.size(); ++i) {
            if (i >= widths.size())
                widths.append(0);
            widths[i] = std::max(widths.at(i), static_cast<int>(row.at(i).size()));
        }
    }
    auto printRow = [&](const QStringList& cells) {
        QString line = indent;
        for (int i = 0; i < cells.size(); ++i) {
            const bool last = i + 1 == cells.size();
            line += last ? cells.at(i) : cells.at(i).leftJustified(widths.at(i)) + QStringLiteral("  ");
        }
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        out << line << '\n';
    };
    printRow(m_header);
    for (const QStringList& row : m_rows)
        printRow(row);
}

} // namespace dbops::cli
