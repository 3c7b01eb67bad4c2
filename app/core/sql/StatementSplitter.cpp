#include "sql/StatementSplitter.h"

#include "sql/SqlParser.h"
#include "sql/SqlScanner.h"

#include <QRegularExpression>
#include <algorithm>

extern "C" {
#include <pg_query.pb-c.h>
}

namespace dbops {

StatementSplitter::StatementSplitter(const QString& sql, const QString& fileName, int firstLine)
    : m_sql(sql)
    , m_fileName(fileName)
    , m_firstLine(firstLine)
    , m_utf8(sql)
{
    m_lineStarts.push_back(0);
    for (int i = 0; i < sql.size(); ++i) {
        if (sql.at(i) == QLatin1Char('\n'))
            m_lineStarts.push_back(i + 1);
    }
}

Result<SqlStatementList> StatementSplitter::split() const
{
    // The scanner stops at a NUL character: everything after it would be lost.
    const int nul = static_cast<int>(m_sql.indexOf(QChar(0)));
    if (nul >= 0)
        return errorAt(QStringLiteral("NUL character in SQL text"), nul);

    const SqlScanner::Outcome scan = SqlScanner::scan(m_utf8);

    // psql meta-commands: a backslash outside strings, quoted identifiers and
    // comments (those are single tokens) is never SQL.  Checked on the tokens
    // before a scanner error too: a `\set x 'a` line is a meta-command first.
    std::optional<Error> failure;
    size_t clean = scan.tokens.size(); // the tokens before the failure
    for (size_t i = 0; i < scan.tokens.size(); ++i) {
        if (scan.tokens[i].token != '\\')
            continue;
        const int start = m_utf8.charOffset(scan.tokens[i].start);
        int end = start;
        while (end < m_sql.size() && !m_sql.at(end).isSpace())
            ++end;
        failure = errorAt(QStringLiteral("psql meta-command %1 is not supported in migrations; "
                                         "write plain SQL statements")
                              .arg(m_sql.mid(start, std::min(end - start, 40))),
            start);
        clean = i;
        break;
    }
    if (!failure && !scan.error.isEmpty())
        failure = errorAt(scan.error, scan.errorChar);
    if (failure) {
        // After `SET standard_conforming_strings = off` the text was written
        // for another reading of backslashes in strings: name that cause.
        for (const SqlStatement& statement : statements(scan.tokens, clean)) {
            if (SqlParser::classifyTokens(statement.text).turnsOffStandardConformingStrings)
                return Error::input(SqlParser::standardConformingStringsRefusal(statement.text), m_fileName,
                    statement.line, statement.column);
        }
        return *failure;
    }
    return statements(scan.tokens, scan.tokens.size());
}

// Split at each ';' the way psql does: not inside parentheses (a rule's
// `DO INSTEAD (...; ...)`) and not inside the SQL-standard body of
// `CREATE FUNCTION ... BEGIN ATOMIC ... END`, where BEGIN ATOMIC and CASE
// open a block and END closes one.  Strings, quoted identifiers and
// comments are single tokens, so a ';' in them never splits.
SqlStatementList StatementSplitter::statements(const std::vector<ScanToken>& tokens, size_t count) const
{
    SqlStatementList statements;
    int parenDepth = 0;
    int blockDepth = 0;
    int previousToken = 0;
    size_t pieceStart = 0;
    for (size_t i = 0; i < count; ++i) {
        const int tok = tokens[i].token;
        if (SqlScanner::isComment(tok))
            continue;
        if (tok == ';' && parenDepth == 0 && blockDepth == 0) {
            addStatement(tokens, pieceStart, i, statements);
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
    addStatement(tokens, pieceStart, count, statements);
    return statements;
}

void StatementSplitter::addStatement(
    const std::vector<ScanToken>& tokens, size_t first, size_t last, SqlStatementList& statements) const
{
    bool noParse = false;
    int firstByte = -1;
    int lastByte = -1;
    for (size_t i = first; i < last; ++i) {
        const ScanToken& token = tokens[i];
        if (SqlScanner::isComment(token.token)) {
            if (firstByte < 0 && token.token == PG_QUERY__TOKEN__SQL_COMMENT
                && isNoParseDirective(QByteArray(m_utf8.data() + token.start, token.end - token.start)))
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
    statement.offset = m_utf8.charOffset(firstByte);
    statement.text = m_sql.mid(statement.offset, m_utf8.charOffset(lastByte) - statement.offset);
    statement.noParse = noParse;
    locate(statement.offset, &statement.line, &statement.column);
    statement.line += m_firstLine - 1;
    statements.append(statement);
}

Error StatementSplitter::errorAt(const QString& message, int charOffset) const
{
    int line = 0;
    int column = 0;
    locate(charOffset, &line, &column);
    return Error::input(message, m_fileName, line + m_firstLine - 1, column);
}

// Offset -> line:column within the text, both from 1.
void StatementSplitter::locate(int charOffset, int* line, int* column) const
{
    auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), charOffset);
    const int index = static_cast<int>(it - m_lineStarts.begin()) - 1;
    *line = index + 1;
    *column = charOffset - m_lineStarts[static_cast<size_t>(index)] + 1;
}

bool StatementSplitter::isNoParseDirective(const QByteArray& comment)
{
    static const QRegularExpression directive(
        QStringLiteral("^--\\s*dbops:\\s*no-parse\\s*$"), QRegularExpression::CaseInsensitiveOption);
    return directive.match(QString::fromUtf8(comment).trimmed()).hasMatch();
}

} // namespace dbops
