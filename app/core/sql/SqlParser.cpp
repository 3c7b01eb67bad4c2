#include "sql/SqlParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>
#include <cstring>
#include <vector>

extern "C" {
#include <pg_query.h>
#include <pg_query.pb-c.h>
}

namespace dbops {

namespace {

// libpg_query speaks UTF-8 byte offsets and reports error positions as
// 1-based code point numbers; Qt speaks UTF-16 character offsets.  One pass
// encodes the bytes itself (so the maps always agree with them, whatever Qt
// would do with an unpaired surrogate: here it becomes U+FFFD) and builds the
// byte -> character, character -> byte and code point -> character maps.
class Utf8Text
{
public:
    explicit Utf8Text(const QString& text)
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
    int lookup(const std::vector<int>& map, int index) const
    {
        if (m_asciiSize >= 0)
            return std::clamp(index, 0, m_asciiSize);
        return lookupMap(map, index);
    }

    static int lookupMap(const std::vector<int>& map, int index)
    {
        if (index <= 0)
            return map.front();
        if (index >= static_cast<int>(map.size()))
            return map.back();
        return map[static_cast<size_t>(index)];
    }

    void appendUtf8(char32_t cp)
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

    QByteArray m_bytes;
    std::vector<int> m_byteToChar;
    std::vector<int> m_charToByte;
    std::vector<int> m_codePointToChar;
    int m_asciiSize = -1; // the text's length when it is all ASCII (no maps)
};

// Line starts of a text, for offset -> line:column.
class LineIndex
{
public:
    explicit LineIndex(const QString& text)
    {
        m_starts.push_back(0);
        for (int i = 0; i < text.size(); ++i) {
            if (text.at(i) == QLatin1Char('\n'))
                m_starts.push_back(i + 1);
        }
    }
    void locate(int offset, int* line, int* column) const
    {
        auto it = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
        const int index = static_cast<int>(it - m_starts.begin()) - 1;
        *line = index + 1;
        *column = offset - m_starts[static_cast<size_t>(index)] + 1;
    }

private:
    std::vector<int> m_starts;
};

struct RawToken
{
    int start; // bytes
    int end; // bytes, exclusive
    int token;
    bool keyword;
};

struct ScanOutcome
{
    std::vector<RawToken> tokens; // on an error: the tokens before it
    QString error;
    int errorChar = -1; // character offset of the scanner error
};

// PostgreSQL quotes the rest of the text after an unterminated literal
// ("unterminated quoted string at or near "'abc ...""), which can be the whole
// rest of a file: keep the first line of it, at most 40 characters.
QString errorMessage(const char* message)
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

// libpg_query reports the end of a U&'...' string or U&"..." identifier as its
// start; find the closing quote (doubled quotes escape it, as in the scanner).
int unicodeQuoteEnd(const char* bytes, int size, int start)
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

/// Decodes pg_query_scan's ScanResult (pg_query.proto: `repeated ScanToken
/// tokens = 2`; ScanToken: start = 1, end = 2, token = 4, keyword_kind = 5)
/// straight from the wire format: protobuf-c's generic unpacking allocates
/// every token and costs more than the scan.  False on anything unexpected;
/// the caller then unpacks with protobuf-c.
class ScanResultDecoder
{
public:
    ScanResultDecoder(const uint8_t* data, size_t size)
        : m_p(data)
        , m_end(data + size)
    { }

    bool decode(std::vector<RawToken>& tokens)
    {
        while (m_p < m_end) {
            quint64 tag = 0;
            if (!varint(&tag))
                return false;
            if (tag == ((2 << 3) | 2)) {
                quint64 length = 0;
                if (!varint(&length) || length > static_cast<quint64>(m_end - m_p))
                    return false;
                const uint8_t* tokenEnd = m_p + length;
                RawToken token { 0, 0, 0, false };
                while (m_p < tokenEnd) {
                    quint64 field = 0;
                    quint64 value = 0;
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
                        token.start = static_cast<int>(static_cast<qint32>(value));
                        break;
                    case 2:
                        token.end = static_cast<int>(static_cast<qint32>(value));
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

private:
    bool varint(quint64* value)
    {
        quint64 result = 0;
        for (int shift = 0; shift < 64 && m_p < m_end; shift += 7) {
            const uint8_t byte = *m_p++;
            result |= static_cast<quint64>(byte & 0x7f) << shift;
            if (!(byte & 0x80)) {
                *value = result;
                return true;
            }
        }
        return false;
    }
    bool skip(quint64 wireType, const uint8_t* limit)
    {
        quint64 value = 0;
        switch (wireType) {
        case 0:
            return varint(&value);
        case 1:
            return advance(8, limit);
        case 2:
            if (!varint(&value) || value > static_cast<quint64>(limit - m_p))
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
    bool advance(size_t bytes, const uint8_t* limit)
    {
        if (bytes > static_cast<size_t>(limit - m_p))
            return false;
        m_p += bytes;
        return true;
    }

    const uint8_t* m_p;
    const uint8_t* m_end;
};

std::vector<RawToken> scanTokens(const char* input, int size, QString* error, int* errorPosition)
{
    std::vector<RawToken> tokens;
    PgQueryScanResult result = pg_query_scan(input);
    if (result.error) {
        if (error)
            *error = errorMessage(result.error->message);
        if (errorPosition)
            *errorPosition = result.error->cursorpos;
    } else {
        const auto* data = reinterpret_cast<const uint8_t*>(result.pbuf.data);
        tokens.reserve(static_cast<size_t>(size) / 3 + 16);
        if (!ScanResultDecoder(data, result.pbuf.len).decode(tokens)) {
            tokens.clear();
            if (PgQuery__ScanResult* scan = pg_query__scan_result__unpack(nullptr, result.pbuf.len, data)) {
                for (size_t i = 0; i < scan->n_tokens; ++i) {
                    const PgQuery__ScanToken* t = scan->tokens[i];
                    tokens.push_back(RawToken { t->start, t->end, static_cast<int>(t->token),
                        t->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD });
                }
                pg_query__scan_result__free_unpacked(scan, nullptr);
            }
        }
        for (RawToken& token : tokens) {
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

// Scans the whole text; on a scanner error, the tokens before the error.
ScanOutcome scanText(const Utf8Text& utf8)
{
    ScanOutcome outcome;
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

bool isComment(int token)
{
    return token == PG_QUERY__TOKEN__SQL_COMMENT || token == PG_QUERY__TOKEN__C_COMMENT;
}

bool isNoParseDirective(const QByteArray& comment)
{
    static const QRegularExpression directive(
        QStringLiteral("^--\\s*dbops:\\s*no-parse\\s*$"), QRegularExpression::CaseInsensitiveOption);
    return directive.match(QString::fromUtf8(comment).trimmed()).hasMatch();
}

QString describeFromKeywords(const QString& statement)
{
    // The statement's leading keywords, e.g. "CREATE TABLE", "ALTER TYPE":
    // whitespace, ASCII letters, whitespace, ASCII letters (called for every
    // statement, so without a regular expression).
    auto isLetter = [](QChar c) {
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'));
    };
    const int n = static_cast<int>(statement.size());
    int i = 0;
    while (i < n && statement.at(i).isSpace())
        ++i;
    const int firstStart = i;
    while (i < n && isLetter(statement.at(i)))
        ++i;
    if (i == firstStart)
        return {};
    QString text = statement.mid(firstStart, i - firstStart).toUpper();
    const int firstEnd = i;
    while (i < n && statement.at(i).isSpace())
        ++i;
    const int secondStart = i;
    while (i < n && isLetter(statement.at(i)))
        ++i;
    static const QStringList twoWordVerbs
        = { QStringLiteral("CREATE"), QStringLiteral("ALTER"), QStringLiteral("DROP"),
              QStringLiteral("COMMENT"), QStringLiteral("GRANT"), QStringLiteral("REVOKE") };
    if (secondStart > firstEnd && i > secondStart && twoWordVerbs.contains(text))
        text += QLatin1Char(' ') + statement.mid(secondStart, i - secondStart).toUpper();
    return text;
}

QString qualifiedName(const QString& schema, const QString& name)
{
    return schema.isEmpty() ? name : schema + QLatin1Char('.') + name;
}

QJsonValue member(const QJsonValue& value, const char* key)
{
    return value.toObject().value(QLatin1String(key));
}

// The table a statement writes to or creates, from its RangeVar (or, for
// DROP TABLE, its one name list), e.g. to recognise version-table updates.
QString targetRelationOf(const QString& type, const QJsonObject& body)
{
    if (type == QLatin1String("CreateStmt") || type == QLatin1String("InsertStmt")
        || type == QLatin1String("UpdateStmt") || type == QLatin1String("DeleteStmt")) {
        const QJsonValue relation = body.value(QStringLiteral("relation"));
        return qualifiedName(
            member(relation, "schemaname").toString(), member(relation, "relname").toString());
    }
    if (type == QLatin1String("DropStmt")
        && body.value(QStringLiteral("removeType")).toString() == QLatin1String("OBJECT_TABLE")) {
        const QJsonArray objects = body.value(QStringLiteral("objects")).toArray();
        if (objects.size() != 1)
            return {};
        QStringList parts;
        for (const QJsonValue& item : member(member(objects.first(), "List"), "items").toArray())
            parts.append(member(member(item, "String"), "sval").toString());
        return parts.join(QLatin1Char('.'));
    }
    return {};
}

bool hasDefElem(const QJsonArray& params, const QString& name)
{
    for (const QJsonValue& p : params) {
        if (p.toObject()
                .value(QStringLiteral("DefElem"))
                .toObject()
                .value(QStringLiteral("defname"))
                .toString()
            == name)
            return true;
    }
    return false;
}

// The boolean value of a DefElem option: `true` arrives as a Boolean or String
// node, `off` as a TypeName, `0` as an Integer; no argument means true.
bool defElemBool(const QJsonObject& defElem, bool fallback)
{
    const QJsonValue argValue = defElem.value(QStringLiteral("arg"));
    if (argValue.isUndefined())
        return true;
    const QJsonObject arg = argValue.toObject();
    QString word;
    if (arg.contains(QStringLiteral("Boolean")))
        return arg.value(QStringLiteral("Boolean")).toObject().value(QStringLiteral("boolval")).toBool();
    if (arg.contains(QStringLiteral("Integer")))
        return arg.value(QStringLiteral("Integer")).toObject().value(QStringLiteral("ival")).toInt() != 0;
    if (arg.contains(QStringLiteral("String")))
        word = arg.value(QStringLiteral("String")).toObject().value(QStringLiteral("sval")).toString();
    else if (arg.contains(QStringLiteral("TypeName")))
        word = arg.value(QStringLiteral("TypeName"))
                   .toObject()
                   .value(QStringLiteral("names"))
                   .toArray()
                   .last()
                   .toObject()
                   .value(QStringLiteral("String"))
                   .toObject()
                   .value(QStringLiteral("sval"))
                   .toString();
    word = word.toLower();
    if (word == QLatin1String("true") || word == QLatin1String("on") || word == QLatin1String("yes"))
        return true;
    if (word == QLatin1String("false") || word == QLatin1String("off") || word == QLatin1String("no"))
        return false;
    return fallback;
}

} // namespace

void SqlStatement::locate(int positionInStatement, int* lineOut, int* columnOut) const
{
    // positionInStatement is 1-based, as PostgreSQL reports it.
    int line = this->line;
    int column = this->column;
    const int limit = std::min(static_cast<int>(text.size()), std::max(0, positionInStatement - 1));
    for (int i = 0; i < limit; ++i) {
        if (text.at(i) == QLatin1Char('\n')) {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    *lineOut = line;
    *columnOut = column;
}

Result<SqlStatementList> SqlParser::split(const QString& sql, const QString& fileName, int firstLine)
{
    const Utf8Text utf8(sql);
    const LineIndex lines(sql);
    auto errorAt = [&](const QString& message, int charOffset) {
        int line = 0;
        int column = 0;
        lines.locate(charOffset, &line, &column);
        return Error::input(message, fileName, line + firstLine - 1, column);
    };

    // The scanner stops at a NUL character: everything after it would be lost.
    const int nul = static_cast<int>(sql.indexOf(QChar(0)));
    if (nul >= 0)
        return errorAt(QStringLiteral("NUL character in SQL text"), nul);

    const ScanOutcome scan = scanText(utf8);

    // psql meta-commands: a backslash outside strings, quoted identifiers and
    // comments (those are single tokens) is never SQL.  Checked on the tokens
    // before a scanner error too: a `\set x 'a` line is a meta-command first.
    for (const RawToken& token : scan.tokens) {
        if (token.token != '\\')
            continue;
        const int start = utf8.charOffset(token.start);
        int end = start;
        while (end < sql.size() && !sql.at(end).isSpace())
            ++end;
        return errorAt(QStringLiteral("psql meta-command %1 is not supported in migrations; "
                                      "write plain SQL statements")
                           .arg(sql.mid(start, std::min(end - start, 40))),
            start);
    }
    if (!scan.error.isEmpty())
        return errorAt(scan.error, scan.errorChar);

    // Split at each ';' the way psql does: not inside parentheses (a rule's
    // `DO INSTEAD (...; ...)`) and not inside the SQL-standard body of
    // `CREATE FUNCTION ... BEGIN ATOMIC ... END`, where BEGIN ATOMIC and CASE
    // open a block and END closes one.  Strings, quoted identifiers and
    // comments are single tokens, so a ';' in them never splits.
    SqlStatementList statements;
    auto addStatement = [&](size_t first, size_t last) {
        bool noParse = false;
        int firstByte = -1;
        int lastByte = -1;
        for (size_t i = first; i < last; ++i) {
            const RawToken& token = scan.tokens[i];
            if (isComment(token.token)) {
                if (firstByte < 0 && token.token == PG_QUERY__TOKEN__SQL_COMMENT
                    && isNoParseDirective(QByteArray(utf8.data() + token.start, token.end - token.start)))
                    noParse = true;
                continue;
            }
            if (firstByte < 0)
                firstByte = token.start;
            lastByte = token.end;
        }
        if (firstByte < 0)
            return; // only comments and whitespace
        SqlStatement statement;
        statement.offset = utf8.charOffset(firstByte);
        statement.text = sql.mid(statement.offset, utf8.charOffset(lastByte) - statement.offset);
        statement.noParse = noParse;
        lines.locate(statement.offset, &statement.line, &statement.column);
        statement.line += firstLine - 1;
        statements.append(statement);
    };
    int parenDepth = 0;
    int blockDepth = 0;
    int previousToken = 0;
    size_t pieceStart = 0;
    for (size_t i = 0; i < scan.tokens.size(); ++i) {
        const int tok = scan.tokens[i].token;
        if (isComment(tok))
            continue;
        if (tok == ';' && parenDepth == 0 && blockDepth == 0) {
            addStatement(pieceStart, i);
            pieceStart = i + 1;
        } else if (tok == '(') {
            ++parenDepth;
        } else if (tok == ')') {
            parenDepth = std::max(0, parenDepth - 1);
        } else if (tok == PG_QUERY__TOKEN__ATOMIC && previousToken == PG_QUERY__TOKEN__BEGIN_P) {
            ++blockDepth;
        } else if (blockDepth > 0 && tok == PG_QUERY__TOKEN__CASE) {
            ++blockDepth;
        } else if (blockDepth > 0 && tok == PG_QUERY__TOKEN__END_P) {
            --blockDepth;
        }
        previousToken = tok;
    }
    addStatement(pieceStart, scan.tokens.size());
    return statements;
}

std::optional<SqlSyntaxError> SqlParser::checkSyntax(const QString& statement)
{
    const int nul = static_cast<int>(statement.indexOf(QChar(0)));
    if (nul >= 0)
        return SqlSyntaxError { QStringLiteral("NUL character in SQL text"), nul };
    const Utf8Text utf8(statement);
    PgQueryParseResult result = pg_query_parse(utf8.data());
    std::optional<SqlSyntaxError> error;
    if (result.error) {
        // cursorpos counts code points, not bytes; 0 when there is no position
        const int offset
            = result.error->cursorpos > 0 ? utf8.charOffsetOfPosition(result.error->cursorpos) : 0;
        error = SqlSyntaxError { errorMessage(result.error->message), offset };
    }
    pg_query_free_parse_result(result);
    return error;
}

namespace {

/// What classifyTree reads beyond the statement's type and options.
enum class TargetRelation
{
    Skip,
    Resolve
};

StatementTraits classifyTree(const QString& statement, const char* parseTree, TargetRelation target);

} // namespace

StatementTraits SqlParser::classify(const QString& statement)
{
    const QByteArray utf8 = statement.toUtf8();
    PgQueryParseResult result = pg_query_parse(utf8.constData());
    const StatementTraits traits
        = classifyTree(statement, result.error ? nullptr : result.parse_tree, TargetRelation::Resolve);
    pg_query_free_parse_result(result);
    return traits;
}

SqlParser::Analysis SqlParser::analyze(const QString& statement)
{
    Analysis analysis;
    const int nul = static_cast<int>(statement.indexOf(QChar(0)));
    if (nul >= 0) {
        analysis.syntaxError = SqlSyntaxError { QStringLiteral("NUL character in SQL text"), nul };
        return analysis;
    }
    const Utf8Text utf8(statement);
    PgQueryParseResult result = pg_query_parse(utf8.data());
    if (result.error) {
        const int offset
            = result.error->cursorpos > 0 ? utf8.charOffsetOfPosition(result.error->cursorpos) : 0;
        analysis.syntaxError = SqlSyntaxError { errorMessage(result.error->message), offset };
        analysis.traits.description = describeFromKeywords(statement);
    } else {
        analysis.traits = classifyTree(statement, result.parse_tree, TargetRelation::Skip);
    }
    pg_query_free_parse_result(result);
    return analysis;
}

QByteArray SqlParser::parseTreeJson(const QString& sql)
{
    if (sql.contains(QChar(0)))
        return {}; // the parser would stop there and read a different statement
    const Utf8Text utf8(sql);
    PgQueryParseResult result = pg_query_parse(utf8.data());
    const QByteArray tree = result.error ? QByteArray() : QByteArray(result.parse_tree);
    pg_query_free_parse_result(result);
    return tree;
}

namespace {

// The traits from pg_query_parse's JSON tree; nullptr (no tree) gives the
// keyword description alone.  The target relation costs a JSON parse of
// every CREATE TABLE and INSERT/UPDATE/DELETE, so only classify() pays it:
// the validator's analyze() runs over every statement of a plan.
StatementTraits classifyTree(const QString& statement, const char* parseTree, TargetRelation target)
{
    StatementTraits traits;
    traits.description = describeFromKeywords(statement);
    if (!parseTree)
        return traits;
    // The node type is the one key of the first statement's "stmt" object
    // ({"version":..,"stmts":[{"stmt":{"CreateStmt":{..}}..}]}): read from
    // the text.  The JSON is parsed only for the types whose options decide
    // something; most migration statements (CREATE TABLE, INSERT ...) are
    // classified by their type alone.
    static const char marker[] = "\"stmt\":{\"";
    const char* typeStart = std::strstr(parseTree, marker);
    const char* typeEnd = typeStart ? std::strchr(typeStart + sizeof marker - 1, '"') : nullptr;
    if (!typeEnd)
        return traits;
    typeStart += sizeof marker - 1;
    traits.parsed = true;
    traits.nodeType = QString::fromLatin1(typeStart, static_cast<int>(typeEnd - typeStart));
    const QString& type = traits.nodeType;
    static const QStringList typesWithOptions { QStringLiteral("IndexStmt"), QStringLiteral("DropStmt"),
        QStringLiteral("ReindexStmt"), QStringLiteral("VacuumStmt"), QStringLiteral("AlterDatabaseStmt"),
        QStringLiteral("ClusterStmt"), QStringLiteral("DiscardStmt"),
        QStringLiteral("AlterSubscriptionStmt") };
    QJsonObject body;
    static const QStringList typesWithTarget { QStringLiteral("CreateStmt"), QStringLiteral("InsertStmt"),
        QStringLiteral("UpdateStmt"), QStringLiteral("DeleteStmt") };
    if (typesWithOptions.contains(type)
        || (type == QLatin1String("AlterTableStmt") && std::strstr(typeEnd, "\"AT_DetachPartition\""))
        || (target == TargetRelation::Resolve && typesWithTarget.contains(type))) {
        const QJsonObject tree = QJsonDocument::fromJson(QByteArray(parseTree)).object();
        body = tree.value(QStringLiteral("stmts"))
                   .toArray()
                   .first()
                   .toObject()
                   .value(QStringLiteral("stmt"))
                   .toObject()
                   .value(type)
                   .toObject();
    }
    auto flag = [&body](const char* key) { return body.value(QLatin1String(key)).toBool(); };

    traits.targetRelation = targetRelationOf(type, body);
    if (type == QLatin1String("TransactionStmt")) {
        traits.isTransactionControl = true;
    } else if (type == QLatin1String("IndexStmt")) {
        traits.description
            = flag("unique") ? QStringLiteral("CREATE UNIQUE INDEX") : QStringLiteral("CREATE INDEX");
        if (flag("concurrent")) {
            traits.description += QStringLiteral(" CONCURRENTLY");
            traits.cannotRunInTransaction = true;
        } else {
            traits.takesStrongLock = true; // SHARE lock: blocks writes while it builds
        }
    } else if (type == QLatin1String("DropStmt")) {
        if (flag("concurrent")) {
            traits.description += QStringLiteral(" CONCURRENTLY");
            traits.cannotRunInTransaction = true;
        } else {
            traits.takesStrongLock = true;
        }
    } else if (type == QLatin1String("ReindexStmt")) {
        const QString kind = body.value(QStringLiteral("kind")).toString();
        if (hasDefElem(body.value(QStringLiteral("params")).toArray(), QStringLiteral("concurrently"))) {
            traits.description = QStringLiteral("REINDEX CONCURRENTLY");
            traits.cannotRunInTransaction = true;
        } else if (kind == QLatin1String("REINDEX_OBJECT_DATABASE")
            || kind == QLatin1String("REINDEX_OBJECT_SYSTEM")) {
            traits.description = kind == QLatin1String("REINDEX_OBJECT_DATABASE")
                ? QStringLiteral("REINDEX DATABASE")
                : QStringLiteral("REINDEX SYSTEM");
            traits.cannotRunInTransaction = true;
        } else {
            traits.takesStrongLock = true;
        }
    } else if (type == QLatin1String("VacuumStmt")) {
        traits.description = flag("is_vacuumcmd") ? QStringLiteral("VACUUM") : QStringLiteral("ANALYZE");
        traits.cannotRunInTransaction = flag("is_vacuumcmd");
    } else if (type == QLatin1String("CreatedbStmt") || type == QLatin1String("DropdbStmt")
        || type == QLatin1String("CreateTableSpaceStmt") || type == QLatin1String("DropTableSpaceStmt")
        || type == QLatin1String("AlterSystemStmt") || type == QLatin1String("CreateSubscriptionStmt")
        || type == QLatin1String("DropSubscriptionStmt")) {
        traits.cannotRunInTransaction = true;
    } else if (type == QLatin1String("AlterDatabaseStmt")) {
        // ALTER DATABASE ... SET TABLESPACE moves files and refuses a transaction block.
        const QJsonArray options = body.value(QStringLiteral("options")).toArray();
        if (hasDefElem(options, QStringLiteral("tablespace"))) {
            traits.description = QStringLiteral("ALTER DATABASE ... SET TABLESPACE");
            traits.cannotRunInTransaction = true;
        }
    } else if (type == QLatin1String("ClusterStmt")) {
        traits.cannotRunInTransaction = !body.contains(QStringLiteral("relation"));
        traits.takesStrongLock = !traits.cannotRunInTransaction;
    } else if (type == QLatin1String("DiscardStmt")) {
        traits.cannotRunInTransaction
            = body.value(QStringLiteral("target")).toString() == QLatin1String("DISCARD_ALL");
    } else if (type == QLatin1String("AlterTableStmt")) {
        traits.takesStrongLock = true;
        const QJsonArray cmds = body.value(QStringLiteral("cmds")).toArray();
        for (const QJsonValue& cmd : cmds) {
            const QJsonObject c = cmd.toObject().value(QStringLiteral("AlterTableCmd")).toObject();
            if (c.value(QStringLiteral("subtype")).toString() == QLatin1String("AT_DetachPartition")
                && c.value(QStringLiteral("def"))
                       .toObject()
                       .value(QStringLiteral("PartitionCmd"))
                       .toObject()
                       .value(QStringLiteral("concurrent"))
                       .toBool()) {
                traits.description = QStringLiteral("ALTER TABLE ... DETACH PARTITION CONCURRENTLY");
                traits.cannotRunInTransaction = true;
            }
        }
        // DETACH PARTITION CONCURRENTLY (which must be the only command) takes
        // SHARE UPDATE EXCLUSIVE instead of ACCESS EXCLUSIVE.
        if (traits.cannotRunInTransaction && cmds.size() == 1)
            traits.takesStrongLock = false;
    } else if (type == QLatin1String("AlterSubscriptionStmt")) {
        // REFRESH PUBLICATION, and SET / ADD / DROP PUBLICATION unless
        // `WITH (refresh = false)`, refuse a transaction block.
        const QString kind = body.value(QStringLiteral("kind")).toString();
        if (kind == QLatin1String("ALTER_SUBSCRIPTION_REFRESH")) {
            traits.description = QStringLiteral("ALTER SUBSCRIPTION ... REFRESH PUBLICATION");
            traits.cannotRunInTransaction = true;
        } else if (kind == QLatin1String("ALTER_SUBSCRIPTION_SET_PUBLICATION")
            || kind == QLatin1String("ALTER_SUBSCRIPTION_ADD_PUBLICATION")
            || kind == QLatin1String("ALTER_SUBSCRIPTION_DROP_PUBLICATION")) {
            bool refresh = true;
            for (const QJsonValue& option : body.value(QStringLiteral("options")).toArray()) {
                const QJsonObject def = option.toObject().value(QStringLiteral("DefElem")).toObject();
                if (def.value(QStringLiteral("defname")).toString() != QLatin1String("refresh"))
                    continue;
                refresh = defElemBool(def, true);
            }
            if (refresh) {
                traits.description = QStringLiteral("ALTER SUBSCRIPTION ... %1 PUBLICATION")
                                         .arg(kind.section(QLatin1Char('_'), 2, 2)); // SET, ADD or DROP
                traits.cannotRunInTransaction = true;
            }
        }
    } else if (type == QLatin1String("TruncateStmt") || type == QLatin1String("RenameStmt")
        || type == QLatin1String("LockStmt") || type == QLatin1String("CreateTrigStmt")) {
        traits.takesStrongLock = true;
    }
    return traits;
}

} // namespace

SqlTokenList SqlParser::scan(const QString& sql)
{
    const Utf8Text utf8(sql);
    const ScanOutcome outcome = scanText(utf8);
    SqlTokenKind tailKind = SqlTokenKind::Other;
    int tailStart = -1;
    if (!outcome.error.isEmpty()) {
        // Highlight what precedes the error; an unterminated literal colours the rest.
        tailStart = outcome.errorChar;
        int i = tailStart;
        if (i < sql.size() && QStringLiteral("bBeEnNuUxX").contains(sql.at(i))) {
            ++i; // a prefixed literal: E'..', B'..', X'..', N'..', U&'..', U&".."
            if (i < sql.size() && sql.at(i) == QLatin1Char('&'))
                ++i;
        }
        const QChar c = i < sql.size() ? sql.at(i) : QChar();
        if (c == QLatin1Char('\'') || c == QLatin1Char('$'))
            tailKind = SqlTokenKind::String;
        else if (c == QLatin1Char('/'))
            tailKind = SqlTokenKind::Comment;
        else if (c == QLatin1Char('"'))
            tailKind = SqlTokenKind::QuotedIdentifier;
    }
    SqlTokenList tokens;
    tokens.reserve(static_cast<int>(outcome.tokens.size()) + 1);
    for (const RawToken& raw : outcome.tokens) {
        SqlToken token;
        token.start = utf8.charOffset(raw.start);
        token.length = utf8.charOffset(raw.end) - token.start;
        if (token.length <= 0)
            continue;
        switch (raw.token) {
        case PG_QUERY__TOKEN__IDENT:
            token.kind
                = utf8.byteAt(raw.start) == '"' ? SqlTokenKind::QuotedIdentifier : SqlTokenKind::Identifier;
            break;
        case PG_QUERY__TOKEN__UIDENT:
            token.kind = SqlTokenKind::QuotedIdentifier;
            break;
        case PG_QUERY__TOKEN__SCONST:
        case PG_QUERY__TOKEN__USCONST:
        case PG_QUERY__TOKEN__BCONST:
        case PG_QUERY__TOKEN__XCONST:
            token.kind = SqlTokenKind::String;
            break;
        case PG_QUERY__TOKEN__ICONST:
        case PG_QUERY__TOKEN__FCONST:
            token.kind = SqlTokenKind::Number;
            break;
        case PG_QUERY__TOKEN__SQL_COMMENT:
        case PG_QUERY__TOKEN__C_COMMENT:
            token.kind = SqlTokenKind::Comment;
            break;
        case PG_QUERY__TOKEN__PARAM:
            token.kind = SqlTokenKind::Parameter;
            break;
        case '(':
        case ')':
        case ',':
        case ';':
        case '[':
        case ']':
        case '.':
            token.kind = SqlTokenKind::Punctuation;
            break;
        default:
            if (raw.keyword)
                token.kind = SqlTokenKind::Keyword;
            else if (raw.token < 256
                || (raw.token >= PG_QUERY__TOKEN__Op && raw.token <= PG_QUERY__TOKEN__NOT_EQUALS))
                token.kind = SqlTokenKind::Operator;
            else
                token.kind = SqlTokenKind::Other;
        }
        tokens.append(token);
    }
    if (tailStart >= 0 && tailStart < sql.size())
        tokens.append(SqlToken { tailStart, static_cast<int>(sql.size()) - tailStart, tailKind });
    return tokens;
}

} // namespace dbops
