#include "sql/SqlParser.h"

#include "sql/SqlScanner.h"
#include "sql/StatementClassifier.h"
#include "sql/StatementSplitter.h"
#include "sql/Utf8OffsetMap.h"

extern "C" {
#include <pg_query.h>
#include <pg_query.pb-c.h>
}

namespace dbops {

Result<SqlStatementList> SqlParser::split(const QString& sql, const QString& fileName, int firstLine)
{
    return StatementSplitter(sql, fileName, firstLine).split();
}

std::optional<SqlSyntaxError> SqlParser::checkSyntax(const QString& statement)
{
    const int nul = static_cast<int>(statement.indexOf(QChar(0)));
    if (nul >= 0)
        return SqlSyntaxError { QStringLiteral("NUL character in SQL text"), nul };
    const Utf8OffsetMap utf8(statement);
    PgQueryParseResult result = pg_query_parse(utf8.data());
    std::optional<SqlSyntaxError> error;
    if (result.error) {
        // cursorpos counts code points, not bytes; 0 when there is no position
        const int offset
            = result.error->cursorpos > 0 ? utf8.charOffsetOfPosition(result.error->cursorpos) : 0;
        error = SqlSyntaxError { SqlScanner::errorMessage(result.error->message), offset };
    }
    pg_query_free_parse_result(result);
    return error;
}

StatementTraits SqlParser::classify(const QString& statement)
{
    const QByteArray utf8 = statement.toUtf8();
    PgQueryParseResult result = pg_query_parse(utf8.constData());
    const StatementTraits traits = StatementClassifier::fromParseTree(
        statement, result.error ? nullptr : result.parse_tree, StatementClassifier::TargetRelation::Resolve);
    pg_query_free_parse_result(result);
    return traits;
}

StatementTraits SqlParser::classifyTokens(const QString& statement)
{
    const Utf8OffsetMap utf8(statement);
    return StatementClassifier::fromTokens(statement, utf8, SqlScanner::scan(utf8).tokens);
}

QString SqlParser::standardConformingStringsRefusal(const QString& statement)
{
    return QStringLiteral("'%1': turning standard_conforming_strings off is not supported in migrations: "
                          "dbops splits statements with PostgreSQL's scanner in its default mode "
                          "(standard_conforming_strings on), so it would read backslashes in '...' strings "
                          "differently from the server; remove the SET and write E'...' strings for "
                          "backslash escapes")
        .arg(statement.simplified().left(60));
}

SqlParser::Analysis SqlParser::analyze(const QString& statement)
{
    Analysis analysis;
    const int nul = static_cast<int>(statement.indexOf(QChar(0)));
    if (nul >= 0) {
        analysis.syntaxError = SqlSyntaxError { QStringLiteral("NUL character in SQL text"), nul };
        return analysis;
    }
    const Utf8OffsetMap utf8(statement);
    PgQueryParseResult result = pg_query_parse(utf8.data());
    if (result.error) {
        const int offset
            = result.error->cursorpos > 0 ? utf8.charOffsetOfPosition(result.error->cursorpos) : 0;
        analysis.syntaxError = SqlSyntaxError { SqlScanner::errorMessage(result.error->message), offset };
        analysis.traits.description = StatementClassifier::describeFromKeywords(statement);
    } else {
        analysis.traits = StatementClassifier::fromParseTree(
            statement, result.parse_tree, StatementClassifier::TargetRelation::Skip);
    }
    pg_query_free_parse_result(result);
    return analysis;
}

QByteArray SqlParser::parseTreeJson(const QString& sql)
{
    if (sql.contains(QChar(0)))
        return {}; // the parser would stop there and read a different statement
    const Utf8OffsetMap utf8(sql);
    PgQueryParseResult result = pg_query_parse(utf8.data());
    const QByteArray tree = result.error ? QByteArray() : QByteArray(result.parse_tree);
    pg_query_free_parse_result(result);
    return tree;
}

SqlTokenList SqlParser::scan(const QString& sql)
{
    const Utf8OffsetMap utf8(sql);
    const SqlScanner::Outcome outcome = SqlScanner::scan(utf8);
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
    for (const ScanToken& raw : outcome.tokens) {
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
