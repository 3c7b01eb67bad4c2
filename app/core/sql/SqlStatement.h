#pragma once

#include <QList>
#include <QString>

namespace dbops {

/// One statement of a migration section, as PostgreSQL's scanner split it,
/// with its place in the file so server and parser errors map back to it.
struct SqlStatement
{
    QString text; ///< from the first token up to (not including) the terminating ';'
    int offset = 0; ///< character offset of the first token in the source text
    int line = 1; ///< 1-based line of the first token (in the file, not the section)
    int column = 1; ///< 1-based column of the first token, in characters (UTF-16 code units, as offsets)
    bool noParse = false; ///< preceded by a `-- dbops: no-parse` comment

    /// Where a 1-based character position inside `text` (SqlSyntaxError::offset
    /// + 1) lies in the file.  A server error's "position" counts code points:
    /// the same number unless the text before it has characters outside the
    /// BMP (each of those is two characters here).
    void locate(int positionInStatement, int* lineOut, int* columnOut) const;
};

using SqlStatementList = QList<SqlStatement>;

/// What the parse tree says about a statement.
struct StatementTraits
{
    bool parsed = false; ///< false when the statement was not parsed (no-parse)
    QString nodeType; ///< e.g. "IndexStmt", "CreateStmt"
    QString description; ///< e.g. "CREATE INDEX CONCURRENTLY"
    bool cannotRunInTransaction = false;
    bool isTransactionControl = false;
    bool takesStrongLock = false; ///< ACCESS EXCLUSIVE on an existing object (ALTER/DROP TABLE ...)
    /// The table a CREATE TABLE, INSERT, UPDATE, DELETE or single-table DROP
    /// TABLE works on, as the parser resolved it ("schema.name" when the
    /// schema is written, else "name"); empty for other statements.  Filled
    /// by SqlParser::classify(), not by the cheaper SqlParser::analyze().
    QString targetRelation;
    /// A SET, SET LOCAL or SET SESSION of standard_conforming_strings to
    /// anything but on (off, false, 0 ...).  PostgreSQL's scanner, which
    /// splits the SQL here, reads strings as with the setting on, so after
    /// such a SET the server would read backslashes in '...' strings otherwise.
    bool turnsOffStandardConformingStrings = false;
};

/// A syntax error the parser found, with its place.
struct SqlSyntaxError
{
    QString message;
    int offset = 0; ///< character offset in the text that was parsed
};

/// Lexical classes for highlighting, from PostgreSQL's own scanner.
enum class SqlTokenKind
{
    Keyword,
    Identifier,
    QuotedIdentifier,
    String,
    Number,
    Comment,
    Operator,
    Punctuation,
    Parameter,
    Other,
};

struct SqlToken
{
    int start = 0; ///< character offset
    int length = 0; ///< in characters
    SqlTokenKind kind = SqlTokenKind::Other;
};

using SqlTokenList = QList<SqlToken>;

} // namespace dbops
