#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dbops {

/// One token of PostgreSQL's scanner (pg_query_scan), in UTF-8 bytes.
struct ScanToken
{
    int start; ///< byte offset
    int end; ///< byte offset, exclusive
    int token; ///< the scanner's token number (a character, or PgQuery__Token)
    bool keyword; ///< a keyword of any kind, reserved or not
};

/// Decodes pg_query_scan's ScanResult (pg_query.proto: `repeated ScanToken
/// tokens = 2`; ScanToken: start = 1, end = 2, token = 4, keyword_kind = 5)
/// straight from the protobuf wire format: protobuf-c's generic unpacking
/// allocates every token and costs more than the scan.
class ScanTokenDecoder
{
public:
    ScanTokenDecoder(const uint8_t* data, size_t size)
        : m_p(data)
        , m_end(data + size)
    { }

    /// Appends the tokens; false on anything unexpected (the caller then
    /// unpacks with protobuf-c).
    bool decode(std::vector<ScanToken>& tokens);

private:
    bool varint(uint64_t* value);
    bool skip(uint64_t wireType, const uint8_t* limit);
    bool advance(size_t bytes, const uint8_t* limit);

    const uint8_t* m_p;
    const uint8_t* m_end;
};

} // namespace dbops
