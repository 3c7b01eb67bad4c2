#include "sql/Utf8OffsetMap.h"

namespace dbops {

Utf8OffsetMap::Utf8OffsetMap(const QString& text)
{
    const int n = static_cast<int>(text.size());
    // Most SQL is ASCII: then bytes, characters and code points coincide
    // and the maps are the identity (a 7,400-statement file spends as
    // long building them as scanning it).
    if (std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; })) {
        m_bytes = text.toLatin1();
        m_asciiSize = n;
        return;
    }
    m_bytes.reserve(n * 3);
    m_byteToChar.reserve(static_cast<size_t>(n) * 3 + 1);
    m_charToByte.reserve(static_cast<size_t>(n) + 1);
    m_codePointToChar.reserve(static_cast<size_t>(n) + 1);
    for (int i = 0; i < n;) {
        const char16_t c = text.at(i).unicode();
        char32_t codePoint = c;
        int units = 1;
        if (QChar::isHighSurrogate(c) && i + 1 < n && text.at(i + 1).isLowSurrogate()) {
            codePoint = QChar::surrogateToUcs4(c, text.at(i + 1).unicode());
            units = 2;
        } else if (QChar::isSurrogate(c)) {
            codePoint = 0xFFFD;
        }
        const int firstByte = static_cast<int>(m_bytes.size());
        appendUtf8(codePoint);
        m_byteToChar.insert(m_byteToChar.end(), static_cast<size_t>(m_bytes.size() - firstByte), i);
        m_charToByte.insert(m_charToByte.end(), static_cast<size_t>(units), firstByte);
        m_codePointToChar.push_back(i);
        i += units;
    }
    m_byteToChar.push_back(n);
    m_charToByte.push_back(static_cast<int>(m_bytes.size()));
    m_codePointToChar.push_back(n);
}

void Utf8OffsetMap::appendUtf8(char32_t cp)
{
    if (cp < 0x80) {
        m_bytes.append(static_cast<char>(cp));
    } else if (cp < 0x800) {
        m_bytes.append(static_cast<char>(0xC0 | (cp >> 6)));
        m_bytes.append(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        m_bytes.append(static_cast<char>(0xE0 | (cp >> 12)));
        m_bytes.append(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        m_bytes.append(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        m_bytes.append(static_cast<char>(0xF0 | (cp >> 18)));
        m_bytes.append(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        m_bytes.append(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        m_bytes.append(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

} // namespace dbops
