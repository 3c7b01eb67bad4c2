#pragma once

#include "sql/ScanTokenDecoder.h"
#include "sql/SqlStatement.h"

#include <QString>
#include <vector>

QT_FORWARD_DECLARE_CLASS(QJsonArray)
QT_FORWARD_DECLARE_CLASS(QJsonObject)
QT_FORWARD_DECLARE_CLASS(QJsonValue)

namespace dbops {

class Utf8OffsetMap;

/// What a statement is (StatementTraits): from PostgreSQL's parse tree, or,
/// for a statement the parser may not read (`-- dbops: no-parse`), from the
/// scanner's tokens alone.
class StatementClassifier
{
public:
    /// What fromParseTree reads beyond the statement's type and options.
    enum class TargetRelation
    {
        Skip,
        Resolve
    };

    /// The traits from pg_query_parse's JSON tree; nullptr (no tree) gives the
    /// keyword description alone.  The target relation costs a JSON parse of
    /// every CREATE TABLE and INSERT/UPDATE/DELETE, so only SqlParser::classify()
    /// pays it: the validator's analyze() runs over every statement of a plan.
    static StatementTraits fromParseTree(
        const QString& statement, const char* parseTree, TargetRelation target);

    /// The traits the scanner's tokens of `statement` tell without a parse:
    /// transaction control, the statements that cannot run in a transaction
    /// block, a SET that turns standard_conforming_strings off, and the
    /// keyword description.  `parsed` stays false, and nodeType,
    /// takesStrongLock and targetRelation stay empty.
    static StatementTraits fromTokens(
        const QString& statement, const Utf8OffsetMap& utf8, const std::vector<ScanToken>& tokens);

    /// The statement's leading keywords, e.g. "CREATE TABLE", "ALTER TYPE".
    static QString describeFromKeywords(const QString& statement);

private:
    struct Word;
    using Words = std::vector<Word>;

    static void classifyWords(const Words& words, StatementTraits& traits);
    static bool refreshesPublication(const Words& words, size_t from);
    static QString settingValue(const Words& words, size_t from);
    static bool isStandardConformingStrings(const QString& name);
    static bool isOn(const QString& value);

    static QString targetRelationOf(const QString& type, const QJsonObject& body);
    static bool hasDefElem(const QJsonArray& params, const QString& name);
    static bool defElemBool(const QJsonObject& defElem, bool fallback);
    static QString constantText(const QJsonValue& node);
    static QString qualifiedName(const QString& schema, const QString& name);
    static QJsonValue member(const QJsonValue& value, const char* key);
};

} // namespace dbops
