#include "sql/SqlScanner.h"

#include "sql/Utf8OffsetMap.h"

#include <algorithm>

extern "C" {
#include <pg_query.h>
#include <pg_query.pb-c.h>
}

namespace dbops {

SqlScanner::Outcome SqlScanner::scan(const Utf8OffsetMap& utf8)
{
    Outcome outcome;
    const int size = static_cast<int>(qstrlen(utf8.data())); // up to an embedded NUL
    int position = 0;
    outcome.tokens = scanTokens(utf8.data(), size, &outcome.error, &position);
    if (!outcome.error.isEmpty()) {
        outcome.errorChar = utf8.charOffsetOfPosition(position);
        const int errorByte = std::min(utf8.byteOffset(outcome.errorChar), size);
        const QByteArray prefix(utf8.data(), errorByte);
        outcome.tokens = scanTokens(prefix.constData(), errorByte, nullptr, nullptr);
    }
    return outcome;
}

bool SqlScanner::isComment(int token)
{
    return token == PG_QUERY__TOKEN__SQL_COMMENT || token == PG_QUERY__TOKEN__C_COMMENT;
}

QString SqlScanner::errorMessage(const char* message)
{
    QString text = QString::fromUtf8(message);
    static const QLatin1String marker(" at or near \"");
    const int start = static_cast<int>(text.indexOf(marker));
    if (start < 0 || !text.endsWith(QLatin1Char('"')))
        return text;
    const int quoted = start + static_cast<int>(marker.size());
    const QString fragment = text.mid(quoted, text.size() - quoted - 1);
    int cut = static_cast<int>(fragment.indexOf(QLatin1Char('\n')));
    if (cut < 0 || cut > 40)
        cut = std::min(40, static_cast<int>(fragment.size()));
    if (cut < fragment.size()) {
        if (cut > 0 && fragment.at(cut - 1).isHighSurrogate())
            --cut;
        text = text.left(quoted) + fragment.left(cut).trimmed() + QStringLiteral("...\"");
    }
    return text;
}

std::vector<ScanToken> SqlScanner::scanTokens(const char* input, int size, QString* error, int* errorPosition)
{
    std::vector<ScanToken> tokens;
    PgQueryScanResult result = pg_query_scan(input);
    if (result.error) {
        if (error)
            *error = errorMessage(result.error->message);
        if (errorPosition)
            *errorPosition = result.error->cursorpos;
    } else {
        const auto* data = reinterpret_cast<const uint8_t*>(result.pbuf.data);
        tokens.reserve(static_cast<size_t>(size) / 3 + 16);
        if (!ScanTokenDecoder(data, result.pbuf.len).decode(tokens)) {
            tokens.clear();
            if (PgQuery__ScanResult* scan = pg_query__scan_result__unpack(nullptr, result.pbuf.len, data)) {
                for (size_t i = 0; i < scan->n_tokens; ++i) {
                    const PgQuery__ScanToken* t = scan->tokens[i];
                    tokens.push_back(ScanToken { t->start, t->end, static_cast<int>(t->token),
                        t->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD });
                }
                pg_query__scan_result__free_unpacked(scan, nullptr);
            }
        }
        for (ScanToken& token : tokens) {
            token.start = std::clamp(token.start, 0, size);
            token.end = std::clamp(token.end, 0, size);
            if (token.token == PG_QUERY__TOKEN__USCONST || token.token == PG_QUERY__TOKEN__UIDENT)
                token.end = unicodeQuoteEnd(input, size, token.start);
            token.end = std::max(token.end, token.start);
        }
    }
    pg_query_free_scan_result(result);
    return tokens;
}

// libpg_query reports the end of a U&'...' string or U&"..." identifier as its
// start; find the closing quote (doubled quotes escape it, as in the scanner).
int SqlScanner::unicodeQuoteEnd(const char* bytes, int size, int start)
{
    int i = start;
    while (i < size && bytes[i] != '\'' && bytes[i] != '"')
        ++i;
    if (i >= size)
        return size;
    const char quote = bytes[i++];
    while (i < size) {
        if (bytes[i] == quote) {
            if (i + 1 < size && bytes[i + 1] == quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return size;
}

} // namespace dbops
