#include "query/QueryResult.h"

#include <algorithm>

namespace dbops {

QString QueryTable::text(int row, int column) const
{
    const size_t index = cell(row, column);
    const quint32 from = start(index);
    const quint32 to = m_ends[index] & ~kNullBit;
    return QString::fromUtf8(m_bytes.data() + from, static_cast<int>(to - from));
}

QString QueryTable::displayText(int row, int column, int maxCharacters) const
{
    const size_t index = cell(row, column);
    const quint32 from = start(index);
    const int length = static_cast<int>((m_ends[index] & ~kNullBit) - from);
    // A UTF-8 character is at least one byte: this many bytes hold enough characters.
    const int bytes = std::min(length, maxCharacters * 4);
    QString text = QString::fromUtf8(m_bytes.data() + from, bytes);
    if (text.size() > maxCharacters || bytes < length) {
        text.truncate(maxCharacters);
        text.append(QChar(0x2026));
    }
    return text;
}

int QueryTable::byteLength(int row, int column) const
{
    const size_t index = cell(row, column);
    return static_cast<int>((m_ends[index] & ~kNullBit) - start(index));
}

qint64 QueryTable::memoryBytes() const
{
    return static_cast<qint64>(m_bytes.capacity() + m_ends.capacity() * sizeof(quint32));
}

void QueryTable::setColumns(const QList<QueryColumn>& columns)
{
    m_columns = columns;
}

bool QueryTable::appendCell(const char* data, int length, bool null)
{
    if (byteCount() + length > kMaxBytes)
        return false;
    m_bytes.insert(m_bytes.end(), data, data + length);
    m_ends.push_back(static_cast<quint32>(m_bytes.size()) | (null ? kNullBit : 0u));
    return true;
}

void QueryTable::squeeze()
{
    m_bytes.shrink_to_fit();
    m_ends.shrink_to_fit();
}

QString QueryResult::statusName(Status status)
{
    switch (status) {
    case Status::Ok:
        return QStringLiteral("ok");
    case Status::Refused:
        return QStringLiteral("refused");
    case Status::Failed:
        return QStringLiteral("failed");
    case Status::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

} // namespace dbops
