#include "sql/SqlParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <vector>

extern "C" {
#include <pg_query.h>
#include <pg_query.pb-c.h>
}

namespace dbops {

namespace {

// libpg_query speaks UTF-8 byte offsets; Qt speaks UTF-16 character offsets.
// One pass builds both the bytes and the byte -> character map.
class Utf8Text
{
public:
    explicit Utf8Text(const QString& text)
        : m_bytes(text.toUtf8())
    {
        m_byteToChar.reserve(static_cast<size_t>(m_bytes.size()) + 1);
        const int n = text.size();
        for (int i = 0; i < n; ++i) {
            const char16_t c = text.at(i).unicode();
            int width = 1;
            if (c >= 0x80)
                width = c < 0x800 ? 2 : 3;
            if (QChar::isHighSurrogate(c) && i + 1 < n && text.at(i + 1).isLowSurrogate()) {
                // a pair is 4 bytes and 2 characters
                m_byteToChar.insert(m_byteToChar.end(), 4, i);
                ++i;
                continue;
            }
            m_byteToChar.insert(m_byteToChar.end(), static_cast<size_t>(width), i);
        }
        m_byteToChar.push_back(n);
    }

    const char* data() const { return m_bytes.constData(); }
    int byteSize() const { return static_cast<int>(m_bytes.size()); }
    char byteAt(int byteOffset) const { return m_bytes.at(byteOffset); }
    int charOffset(int byteOffset) const
    {
        if (byteOffset <= 0)
            return 0;
        if (byteOffset >= static_cast<int>(m_byteToChar.size()))
            return m_byteToChar.back();
        return m_byteToChar[static_cast<size_t>(byteOffset)];
    }

private:
    QByteArray m_bytes;
    std::vector<int> m_byteToChar;
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
    std::vector<RawToken> tokens;
    QString error;
    int errorByte = -1; // 0-based byte offset of the scanner error
};

ScanOutcome scanBytes(const char* input)
{
    ScanOutcome outcome;
    PgQueryScanResult result = pg_query_scan(input);
    if (result.error) {
        outcome.error = QString::fromUtf8(result.error->message);
        outcome.errorByte = result.error->cursorpos > 0 ? result.error->cursorpos - 1 : 0;
    } else {
        PgQuery__ScanResult* scan
            = pg_query__scan_result__unpack(nullptr, result.pbuf.len, reinterpret_cast<const uint8_t*>(result.pbuf.data));
        if (scan) {
            outcome.tokens.reserve(scan->n_tokens);
            for (size_t i = 0; i < scan->n_tokens; ++i) {
                const PgQuery__ScanToken* t = scan->tokens[i];
                outcome.tokens.push_back(RawToken { t->start, t->end, static_cast<int>(t->token),
                    t->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD });
            }
            pg_query__scan_result__free_unpacked(scan, nullptr);
        }
    }
    pg_query_free_scan_result(result);
    return outcome;
}

bool isComment(int token)
{
    return token == PG_QUERY__TOKEN__SQL_COMMENT || token == PG_QUERY__TOKEN__C_COMMENT;
}

bool isNoParseDirective(const QByteArray& comment)
{
    static const QRegularExpression directive(QStringLiteral("^--\\s*dbops:\\s*no-parse\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    return directive.match(QString::fromUtf8(comment).trimmed()).hasMatch();
}

QString describeFromKeywords(const QString& statement)
{
    // The statement's leading keywords, e.g. "CREATE TABLE", "ALTER TYPE".
    static const QRegularExpression words(QStringLiteral("^\\s*([A-Za-z]+)(?:\\s+([A-Za-z]+))?"));
    const QRegularExpressionMatch m = words.match(statement);
    if (!m.hasMatch())
        return {};
    QString text = m.captured(1).toUpper();
    static const QStringList twoWordVerbs = { QStringLiteral("CREATE"), QStringLiteral("ALTER"),
        QStringLiteral("DROP"), QStringLiteral("COMMENT"), QStringLiteral("GRANT"), QStringLiteral("REVOKE") };
    if (!m.captured(2).isEmpty() && twoWordVerbs.contains(text))
        text += QLatin1Char(' ') + m.captured(2).toUpper();
    return text;
}

bool hasDefElem(const QJsonArray& params, const QString& name)
{
    for (const QJsonValue& p : params) {
        if (p.toObject().value(QStringLiteral("DefElem")).toObject().value(QStringLiteral("defname")).toString() == name)
            return true;
    }
    return false;
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

    const ScanOutcome scan = scanBytes(utf8.data());
    if (!scan.error.isEmpty())
        return errorAt(scan.error, utf8.charOffset(scan.errorByte));

    // psql meta-commands: a backslash that starts a line and is not inside a
    // string or comment token.
    {
        size_t t = 0;
        int byte = 0;
        while (byte < utf8.byteSize()) {
            int first = byte;
            while (first < utf8.byteSize() && (utf8.byteAt(first) == ' ' || utf8.byteAt(first) == '\t'))
                ++first;
            if (first < utf8.byteSize() && utf8.byteAt(first) == '\\') {
                while (t < scan.tokens.size() && scan.tokens[t].end <= first)
                    ++t;
                const bool insideToken = t < scan.tokens.size() && scan.tokens[t].start < first;
                if (!insideToken) {
                    int end = first;
                    while (end < utf8.byteSize() && utf8.byteAt(end) != '\n' && utf8.byteAt(end) != ' ')
                        ++end;
                    const QString command = QString::fromUtf8(utf8.data() + first, end - first);
                    return errorAt(QStringLiteral("psql meta-command %1 is not supported in migrations; "
                                                  "write plain SQL statements")
                                       .arg(command),
                        utf8.charOffset(first));
                }
            }
            while (byte < utf8.byteSize() && utf8.byteAt(byte) != '\n')
                ++byte;
            ++byte;
        }
    }

    PgQuerySplitResult split = pg_query_split_with_scanner(utf8.data());
    if (split.error) {
        const int pos = split.error->cursorpos > 0 ? split.error->cursorpos - 1 : 0;
        Error error = errorAt(QString::fromUtf8(split.error->message), utf8.charOffset(pos));
        pg_query_free_split_result(split);
        return error;
    }
    struct Range
    {
        int start;
        int end;
    };
    std::vector<Range> pieces;
    pieces.reserve(static_cast<size_t>(split.n_stmts));
    for (int i = 0; i < split.n_stmts; ++i)
        pieces.push_back({ split.stmts[i]->stmt_location, split.stmts[i]->stmt_location + split.stmts[i]->stmt_len });
    pg_query_free_split_result(split);

    // The scanner splits at every top-level ';', also inside the SQL-standard
    // body of `CREATE FUNCTION ... BEGIN ATOMIC ... END`.  Join such pieces
    // again the way psql does: BEGIN ATOMIC and CASE open a block, END closes one.
    SqlStatementList statements;
    size_t tokenIndex = 0;
    size_t p = 0;
    while (p < pieces.size()) {
        Range range = pieces[p++];
        while (tokenIndex < scan.tokens.size() && scan.tokens[tokenIndex].end <= range.start)
            ++tokenIndex;
        int depth = 0;
        int previousToken = 0;
        size_t k = tokenIndex;
        for (;;) {
            for (; k < scan.tokens.size() && scan.tokens[k].start < range.end; ++k) {
                const int tok = scan.tokens[k].token;
                if (isComment(tok))
                    continue;
                if (tok == PG_QUERY__TOKEN__ATOMIC && previousToken == PG_QUERY__TOKEN__BEGIN_P)
                    ++depth;
                else if (depth > 0 && tok == PG_QUERY__TOKEN__CASE)
                    ++depth;
                else if (depth > 0 && tok == PG_QUERY__TOKEN__END_P)
                    --depth;
                previousToken = tok;
            }
            if (depth <= 0 || p >= pieces.size())
                break;
            range.end = pieces[p++].end;
        }

        bool noParse = false;
        int firstByte = -1;
        int lastByte = -1;
        for (size_t i = tokenIndex; i < scan.tokens.size() && scan.tokens[i].start < range.end; ++i) {
            const RawToken& token = scan.tokens[i];
            if (isComment(token.token)) {
                if (firstByte < 0 && token.token == PG_QUERY__TOKEN__SQL_COMMENT
                    && isNoParseDirective(QByteArray(utf8.data() + token.start, token.end - token.start)))
                    noParse = true;
                continue;
            }
            if (token.token == ';')
                continue;
            if (firstByte < 0)
                firstByte = token.start;
            lastByte = token.end;
        }
        if (firstByte < 0)
            continue; // only comments and whitespace
        SqlStatement statement;
        statement.offset = utf8.charOffset(firstByte);
        statement.text = sql.mid(statement.offset, utf8.charOffset(lastByte) - statement.offset);
        statement.noParse = noParse;
        lines.locate(statement.offset, &statement.line, &statement.column);
        statement.line += firstLine - 1;
        statements.append(statement);
    }
    return statements;
}

std::optional<SqlSyntaxError> SqlParser::checkSyntax(const QString& statement)
{
    const Utf8Text utf8(statement);
    PgQueryParseResult result = pg_query_parse(utf8.data());
    std::optional<SqlSyntaxError> error;
    if (result.error) {
        const int pos = result.error->cursorpos > 0 ? result.error->cursorpos - 1 : 0;
        error = SqlSyntaxError { QString::fromUtf8(result.error->message), utf8.charOffset(pos) };
    }
    pg_query_free_parse_result(result);
    return error;
}

StatementTraits SqlParser::classify(const QString& statement)
{
    StatementTraits traits;
    traits.description = describeFromKeywords(statement);
    const QByteArray utf8 = statement.toUtf8();
    PgQueryParseResult result = pg_query_parse(utf8.constData());
    if (result.error || !result.parse_tree) {
        pg_query_free_parse_result(result);
        return traits;
    }
    const QJsonObject tree = QJsonDocument::fromJson(QByteArray(result.parse_tree)).object();
    pg_query_free_parse_result(result);
    const QJsonArray stmts = tree.value(QStringLiteral("stmts")).toArray();
    if (stmts.isEmpty())
        return traits;
    const QJsonObject node = stmts.first().toObject().value(QStringLiteral("stmt")).toObject();
    if (node.isEmpty())
        return traits;
    traits.parsed = true;
    traits.nodeType = node.keys().constFirst();
    const QJsonObject body = node.value(traits.nodeType).toObject();
    const QString& type = traits.nodeType;
    auto flag = [&body](const char* key) { return body.value(QLatin1String(key)).toBool(); };

    if (type == QLatin1String("TransactionStmt")) {
        traits.isTransactionControl = true;
    } else if (type == QLatin1String("IndexStmt")) {
        traits.description = flag("unique") ? QStringLiteral("CREATE UNIQUE INDEX") : QStringLiteral("CREATE INDEX");
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
        } else if (kind == QLatin1String("REINDEX_OBJECT_DATABASE") || kind == QLatin1String("REINDEX_OBJECT_SYSTEM")) {
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
        traits.cannotRunInTransaction = hasDefElem(options, QStringLiteral("tablespace"));
    } else if (type == QLatin1String("ClusterStmt")) {
        traits.cannotRunInTransaction = !body.contains(QStringLiteral("relation"));
        traits.takesStrongLock = !traits.cannotRunInTransaction;
    } else if (type == QLatin1String("DiscardStmt")) {
        traits.cannotRunInTransaction = body.value(QStringLiteral("target")).toString() == QLatin1String("DISCARD_ALL");
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
    } else if (type == QLatin1String("TruncateStmt") || type == QLatin1String("RenameStmt")
        || type == QLatin1String("LockStmt") || type == QLatin1String("CreateTrigStmt")) {
        traits.takesStrongLock = true;
    }
    return traits;
}

SqlTokenList SqlParser::scan(const QString& sql)
{
    const Utf8Text utf8(sql);
    ScanOutcome outcome = scanBytes(utf8.data());
    SqlTokenKind tailKind = SqlTokenKind::Other;
    int tailStart = -1;
    if (!outcome.error.isEmpty()) {
        // Highlight what precedes the error; an unterminated literal colours the rest.
        const int errorByte = std::min(outcome.errorByte, utf8.byteSize());
        const QByteArray prefix(utf8.data(), errorByte);
        outcome = scanBytes(prefix.constData());
        tailStart = utf8.charOffset(errorByte);
        const char c = errorByte < utf8.byteSize() ? utf8.byteAt(errorByte) : 0;
        if (c == '\'' || c == '$' || c == 'E' || c == 'e')
            tailKind = SqlTokenKind::String;
        else if (c == '/')
            tailKind = SqlTokenKind::Comment;
        else if (c == '"')
            tailKind = SqlTokenKind::QuotedIdentifier;
    }
    SqlTokenList tokens;
    tokens.reserve(static_cast<int>(outcome.tokens.size()) + 1);
    for (const RawToken& raw : outcome.tokens) {
        SqlToken token;
        token.start = utf8.charOffset(raw.start);
        token.length = utf8.charOffset(raw.end) - token.start;
        switch (raw.token) {
        case PG_QUERY__TOKEN__IDENT:
            token.kind = utf8.byteAt(raw.start) == '"' ? SqlTokenKind::QuotedIdentifier : SqlTokenKind::Identifier;
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
            else if (raw.token < 256 || (raw.token >= PG_QUERY__TOKEN__Op && raw.token <= PG_QUERY__TOKEN__NOT_EQUALS))
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
