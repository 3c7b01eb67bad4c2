#pragma once

#include <QByteArray>
#include <QString>
#include <algorithm>
#include <vector>

namespace dbops {

/// A QString as the UTF-8 bytes libpg_query reads, with the maps between its
/// offsets and Qt's.  libpg_query speaks UTF-8 byte offsets and reports error
/// positions as 1-based code point numbers; Qt speaks UTF-16 character
/// offsets.  One pass encodes the bytes itself (so the maps always agree with
/// them, whatever Qt would do with an unpaired surrogate: here it becomes
/// U+FFFD) and builds the byte -> character, character -> byte and code point
/// -> character maps.
class Utf8OffsetMap
{
public:
    explicit Utf8OffsetMap(const QString& text);

    /// NUL-terminated; the scanner stops at an embedded NUL character.
    const char* data() const { return m_bytes.constData(); }
    int byteSize() const { return static_cast<int>(m_bytes.size()); }
    char byteAt(int byteOffset) const { return m_bytes.at(byteOffset); }
    int charOffset(int byteOffset) const { return lookup(m_byteToChar, byteOffset); }
    int byteOffset(int charOffset) const { return lookup(m_charToByte, charOffset); }
    /// The character offset of PostgreSQL's 1-based error position ("cursorpos").
    int charOffsetOfPosition(int cursorPosition) const
    {
        return lookup(m_codePointToChar, cursorPosition - 1);
    }

private:
    // Inline: the scanner's callers map every token's offsets.
    int lookup(const std::vector<int>& map, int index) const
    {
        if (m_asciiSize >= 0)
            return std::clamp(index, 0, m_asciiSize);
        if (index <= 0)
            return map.front();
        if (index >= static_cast<int>(map.size()))
            return map.back();
        return map[static_cast<size_t>(index)];
    }

    void appendUtf8(char32_t codePoint);

    QByteArray m_bytes;
    std::vector<int> m_byteToChar;
    std::vector<int> m_charToByte;
    std::vector<int> m_codePointToChar;
    int m_asciiSize = -1; // the text's length when it is all ASCII (no maps)
};

} // namespace dbops
