#pragma once

#include <QList>
#include <QStringList>
#include <QTextStream>

namespace dbops::cli {

/// A plain-text table for terminal output: columns padded to their widest
/// cell, two spaces apart, the last column never padded (so long values such
/// as a list of names do not push trailing blanks).
class TextTable
{
public:
    explicit TextTable(const QStringList& header)
        : m_header(header)
    { }

    void addRow(const QStringList& cells) { m_rows.append(cells); }
    bool isEmpty() const { return m_rows.isEmpty(); }
    void print(QTextStream& out, const QString& indent = {}) const;

private:
    QStringList m_header;
    QList<QStringList> m_rows;
};

} // namespace dbops::cli
