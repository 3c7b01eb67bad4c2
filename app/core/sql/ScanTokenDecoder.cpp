#include "sql/ScanTokenDecoder.h"

extern "C" {
#include <pg_query.pb-c.h>
}

namespace dbops {

bool ScanTokenDecoder::decode(std::vector<ScanToken>& tokens)
{
    while (m_p < m_end) {
        uint64_t tag = 0;
        if (!varint(&tag))
            return false;
        if (tag == ((2 << 3) | 2)) {
            uint64_t length = 0;
            if (!varint(&length) || length > static_cast<uint64_t>(m_end - m_p))
                return false;
            const uint8_t* tokenEnd = m_p + length;
            ScanToken token { 0, 0, 0, false };
            while (m_p < tokenEnd) {
                uint64_t field = 0;
                uint64_t value = 0;
                if (!varint(&field))
                    return false;
                if ((field & 7) != 0) {
                    if (!skip(field & 7, tokenEnd))
                        return false;
                    continue;
                }
                if (!varint(&value))
                    return false;
                switch (field >> 3) {
                case 1:
                    token.start = static_cast<int>(static_cast<int32_t>(value));
                    break;
                case 2:
                    token.end = static_cast<int>(static_cast<int32_t>(value));
                    break;
                case 4:
                    token.token = static_cast<int>(value);
                    break;
                case 5:
                    token.keyword = value != PG_QUERY__KEYWORD_KIND__NO_KEYWORD;
                    break;
                default:
                    break;
                }
            }
            if (m_p != tokenEnd)
                return false;
            tokens.push_back(token);
        } else if (!skip(tag & 7, m_end)) {
            return false;
        }
    }
    return true;
}

bool ScanTokenDecoder::varint(uint64_t* value)
{
    uint64_t result = 0;
    for (int shift = 0; shift < 64 && m_p < m_end; shift += 7) {
        const uint8_t byte = *m_p++;
        result |= static_cast<uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *value = result;
            return true;
        }
    }
    return false;
}

bool ScanTokenDecoder::skip(uint64_t wireType, const uint8_t* limit)
{
    uint64_t value = 0;
    switch (wireType) {
    case 0:
        return varint(&value);
    case 1:
        return advance(8, limit);
    case 2:
        if (!varint(&value) || value > static_cast<uint64_t>(limit - m_p))
            return false;
        m_p += value;
        return true;
    case 5:
        return advance(4, limit);
    default:
        return false;
    }
}

// Checks before moving: a pointer past the buffer is undefined behaviour.
bool ScanTokenDecoder::advance(size_t bytes, const uint8_t* limit)
{
    if (bytes > static_cast<size_t>(limit - m_p))
        return false;
    m_p += bytes;
    return true;
}

} // namespace dbops
