#pragma once

#include "common/Result.h"
#include "sql/SqlStatement.h"

#include <QByteArray>
#include <optional>

namespace dbops {

/// The front of libpg_query (PostgreSQL 15's own scanner and parser): only
/// sql/ talks to the library (the scanner in SqlScanner, the classification
/// in StatementClassifier, the splitting in StatementSplitter); everything
/// else sees Qt value types.  All offsets here are character offsets into
/// QStrings, not the library's UTF-8 byte offsets.
class SqlParser
{
public:
    /// Splits SQL text into statements with PostgreSQL's scanner at each ';'
    /// the way psql does: not inside parentheses and not inside
    /// `BEGIN ATOMIC ... END` bodies.  Every statement is kept, also one the
    /// parser will reject.  `firstLine` is the file line of the text's first
    /// character, so statement lines are file lines.  Fails on psql
    /// meta-commands (`\i`, `\set` ...), on NUL characters and on text the
    /// scanner rejects (for example an unterminated quote), naming the line;
    /// when a statement before that turns standard_conforming_strings off,
    /// names that statement instead (standardConformingStringsRefusal).
    static Result<SqlStatementList> split(
        const QString& sql, const QString& fileName = {}, int firstLine = 1);

    /// Parses one statement; the error, if any, with its character offset in
    /// `statement` (PostgreSQL's code point position, converted).
    static std::optional<SqlSyntaxError> checkSyntax(const QString& statement);

    /// Classifies one statement from its parse tree.
    static StatementTraits classify(const QString& statement);

    /// Classifies one statement from the scanner's tokens alone, for a
    /// statement the parser is not asked about (`-- dbops: no-parse`, written
    /// for a newer server): transaction control, the statements that cannot
    /// run in a transaction block, and a SET that turns
    /// standard_conforming_strings off.  `parsed` stays false.
    static StatementTraits classifyTokens(const QString& statement);

    /// Why a statement that turns standard_conforming_strings off
    /// (StatementTraits::turnsOffStandardConformingStrings) is refused:
    /// split() says it, at that statement, instead of the scanner error the
    /// text after it leads to, and MigrationValidator for every such statement.
    static QString standardConformingStringsRefusal(const QString& statement);

    /// checkSyntax and classify from one parse: what a migration's validation needs.
    struct Analysis
    {
        std::optional<SqlSyntaxError> syntaxError; ///< set: `traits` is not parsed
        StatementTraits traits;
    };
    static Analysis analyze(const QString& statement);

    /// PostgreSQL's parse tree of `sql` (one statement or several) as
    /// libpg_query's JSON, `{"version":..,"stmts":[{"stmt":{"CreateStmt":{..}}}..]}`,
    /// for walkers such as SchemaChanges that need more than classify() tells;
    /// empty when the text does not parse.
    static QByteArray parseTreeJson(const QString& sql);

    /// Tokens for highlighting; comments included.  Never fails: on a scanner
    /// error the tokens before it are returned and the rest is left plain.
    static SqlTokenList scan(const QString& sql);
};

} // namespace dbops
