#pragma once

#include "sql/ScanTokenDecoder.h"

#include <QString>
#include <vector>

namespace dbops {

class Utf8OffsetMap;

/// PostgreSQL's own scanner (pg_query_scan, in its default mode:
/// standard_conforming_strings on) over a text's UTF-8 bytes.
class SqlScanner
{
public:
    struct Outcome
    {
        std::vector<ScanToken> tokens; ///< on an error: the tokens before it
        QString error;
        int errorChar = -1; ///< character offset of the scanner error
    };

    /// Scans the whole text (up to an embedded NUL); on a scanner error, the
    /// tokens before the error.
    static Outcome scan(const Utf8OffsetMap& utf8);

    static bool isComment(int token);

    /// PostgreSQL's message for a scanner or parser error.  It quotes the
    /// rest of the text after an unterminated literal ("unterminated quoted
    /// string at or near "'abc ...""), which can be the whole rest of a file:
    /// this keeps the first line of it, at most 40 characters.
    static QString errorMessage(const char* message);

private:
    static std::vector<ScanToken> scanTokens(const char* input, int size, QString* error, int* errorPosition);
    static int unicodeQuoteEnd(const char* bytes, int size, int start);
};

} // namespace dbops
