#include "sql/StatementClassifier.h"

#include "sql/SqlScanner.h"
#include "sql/Utf8OffsetMap.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstring>

extern "C" {
#include <pg_query.pb-c.h>
}

namespace dbops {

/// A token of the statement that is not a comment, with its text.
struct StatementClassifier::Word
{
    int token;
    QString text;
};

// The node type is the one key of the first statement's "stmt" object
// ({"version":..,"stmts":[{"stmt":{"CreateStmt":{..}}..}]}): read from the
// text.  The JSON is parsed only for the types whose options decide
// something; most migration statements (CREATE TABLE, INSERT ...) are
// classified by their type alone.
StatementTraits StatementClassifier::fromParseTree(
    const QString& statement, const char* parseTree, TargetRelation target)
{
    StatementTraits traits;
    traits.description = describeFromKeywords(statement);
    if (!parseTree)
        return traits;
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
        QStringLiteral("ClusterStmt"), QStringLiteral("DiscardStmt"), QStringLiteral("AlterSubscriptionStmt"),
        QStringLiteral("VariableSetStmt") };
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
    } else if (type == QLatin1String("VariableSetStmt")) {
        // SET [LOCAL | SESSION] name TO value: one constant, "on" or "true" as
        // a string, 1 as an Integer.  DEFAULT and RESET are other kinds.
        const QJsonArray args = body.value(QStringLiteral("args")).toArray();
        traits.turnsOffStandardConformingStrings
            = body.value(QStringLiteral("kind")).toString() == QLatin1String("VAR_SET_VALUE")
            && isStandardConformingStrings(body.value(QStringLiteral("name")).toString())
            && !(args.size() == 1 && isOn(constantText(args.first())));
    } else if (type == QLatin1String("TruncateStmt") || type == QLatin1String("RenameStmt")
        || type == QLatin1String("LockStmt") || type == QLatin1String("CreateTrigStmt")) {
        traits.takesStrongLock = true;
    }
    return traits;
}

StatementTraits StatementClassifier::fromTokens(
    const QString& statement, const Utf8OffsetMap& utf8, const std::vector<ScanToken>& tokens)
{
    StatementTraits traits;
    traits.description = describeFromKeywords(statement);
    Words words;
    words.reserve(tokens.size());
    for (const ScanToken& token : tokens) {
        if (!SqlScanner::isComment(token.token))
            words.push_back(
                Word { token.token, QString::fromUtf8(utf8.data() + token.start, token.end - token.start) });
    }
    if (!words.empty())
        classifyWords(words, traits);
    return traits;
}

// The same rules as fromParseTree, on the tokens: what a statement is, from
// its leading keywords (keywords are told apart from identifiers by the
// scanner, so a quoted "concurrently" is no keyword).
void StatementClassifier::classifyWords(const Words& words, StatementTraits& traits)
{
    auto at = [&words](size_t i) { return i < words.size() ? words[i].token : 0; };
    auto contains = [&words](int token, size_t from) {
        for (size_t i = from; i < words.size(); ++i) {
            if (words[i].token == token)
                return true;
        }
        return false;
    };
    // Past a parenthesised option list at `i`, if there is one.
    auto skipOptions = [&words, &at](size_t i) {
        if (at(i) != '(')
            return i;
        while (i < words.size() && words[i].token != ')')
            ++i;
        return i + 1;
    };
    const int first = at(0);
    if (first == PG_QUERY__TOKEN__BEGIN_P || first == PG_QUERY__TOKEN__COMMIT
        || first == PG_QUERY__TOKEN__END_P || first == PG_QUERY__TOKEN__ROLLBACK
        || first == PG_QUERY__TOKEN__ABORT_P || first == PG_QUERY__TOKEN__SAVEPOINT
        || first == PG_QUERY__TOKEN__RELEASE
        || ((first == PG_QUERY__TOKEN__START || first == PG_QUERY__TOKEN__PREPARE)
            && at(1) == PG_QUERY__TOKEN__TRANSACTION)) {
        traits.isTransactionControl = true;
        return;
    }
    auto cannotRun = [&traits](const QString& description = {}) {
        traits.cannotRunInTransaction = true;
        if (!description.isEmpty())
            traits.description = description;
    };
    const int second = at(1);
    const bool databaseObject = second == PG_QUERY__TOKEN__DATABASE || second == PG_QUERY__TOKEN__TABLESPACE
        || second == PG_QUERY__TOKEN__SUBSCRIPTION;
    if (first == PG_QUERY__TOKEN__CREATE) {
        const bool unique = second == PG_QUERY__TOKEN__UNIQUE;
        const size_t index = unique ? 2 : 1;
        if (at(index) == PG_QUERY__TOKEN__INDEX && at(index + 1) == PG_QUERY__TOKEN__CONCURRENTLY)
            cannotRun(unique ? QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY")
                             : QStringLiteral("CREATE INDEX CONCURRENTLY"));
        else if (databaseObject)
            cannotRun();
    } else if (first == PG_QUERY__TOKEN__DROP) {
        if (second == PG_QUERY__TOKEN__INDEX && at(2) == PG_QUERY__TOKEN__CONCURRENTLY)
            cannotRun(QStringLiteral("DROP INDEX CONCURRENTLY"));
        else if (databaseObject)
            cannotRun();
    } else if (first == PG_QUERY__TOKEN__REINDEX) {
        const int target = at(skipOptions(1));
        if (contains(PG_QUERY__TOKEN__CONCURRENTLY, 1))
            cannotRun(QStringLiteral("REINDEX CONCURRENTLY"));
        else if (target == PG_QUERY__TOKEN__DATABASE)
            cannotRun(QStringLiteral("REINDEX DATABASE"));
        else if (target == PG_QUERY__TOKEN__SYSTEM_P)
            cannotRun(QStringLiteral("REINDEX SYSTEM"));
    } else if (first == PG_QUERY__TOKEN__VACUUM) {
        cannotRun(QStringLiteral("VACUUM"));
    } else if (first == PG_QUERY__TOKEN__CLUSTER) {
        // CLUSTER [VERBOSE | (options)] without a table: every table, one transaction each.
        const size_t rest = at(1) == PG_QUERY__TOKEN__VERBOSE ? 2 : skipOptions(1);
        if (rest >= words.size())
            cannotRun();
    } else if (first == PG_QUERY__TOKEN__DISCARD) {
        if (second == PG_QUERY__TOKEN__ALL)
            cannotRun();
    } else if (first == PG_QUERY__TOKEN__ALTER && second == PG_QUERY__TOKEN__SYSTEM_P) {
        cannotRun();
    } else if (first == PG_QUERY__TOKEN__ALTER && second == PG_QUERY__TOKEN__DATABASE) {
        // ALTER DATABASE name SET TABLESPACE t, or [WITH] TABLESPACE t among
        // the options; not SET parameter, RESET, RENAME, OWNER, REFRESH.
        const int action = at(3);
        bool movesFiles = false;
        if (action == PG_QUERY__TOKEN__SET)
            movesFiles = at(4) == PG_QUERY__TOKEN__TABLESPACE;
        else if (action != PG_QUERY__TOKEN__RESET && action != PG_QUERY__TOKEN__RENAME
            && action != PG_QUERY__TOKEN__OWNER && action != PG_QUERY__TOKEN__REFRESH)
            movesFiles = contains(PG_QUERY__TOKEN__TABLESPACE, 3);
        if (movesFiles)
            cannotRun(QStringLiteral("ALTER DATABASE ... SET TABLESPACE"));
    } else if (first == PG_QUERY__TOKEN__ALTER && second == PG_QUERY__TOKEN__TABLE) {
        for (size_t i = 2; i + 1 < words.size(); ++i) {
            if (words[i].token == PG_QUERY__TOKEN__DETACH && words[i + 1].token == PG_QUERY__TOKEN__PARTITION
                && contains(PG_QUERY__TOKEN__CONCURRENTLY, i + 2)) {
                cannotRun(QStringLiteral("ALTER TABLE ... DETACH PARTITION CONCURRENTLY"));
                break;
            }
        }
    } else if (first == PG_QUERY__TOKEN__ALTER && second == PG_QUERY__TOKEN__SUBSCRIPTION) {
        // ALTER SUBSCRIPTION name REFRESH PUBLICATION, or SET / ADD / DROP
        // PUBLICATION ... unless WITH (refresh = false).
        const int action = at(3);
        const bool publication = at(4) == PG_QUERY__TOKEN__PUBLICATION;
        if (publication && action == PG_QUERY__TOKEN__REFRESH)
            cannotRun(QStringLiteral("ALTER SUBSCRIPTION ... REFRESH PUBLICATION"));
        else if (publication
            && (action == PG_QUERY__TOKEN__SET || action == PG_QUERY__TOKEN__ADD_P
                || action == PG_QUERY__TOKEN__DROP)
            && refreshesPublication(words, 5))
            cannotRun(QStringLiteral("ALTER SUBSCRIPTION ... %1 PUBLICATION").arg(words[3].text.toUpper()));
    } else if (first == PG_QUERY__TOKEN__SET) {
        // SET [LOCAL | SESSION] name { TO | = } value
        const size_t name = second == PG_QUERY__TOKEN__LOCAL || second == PG_QUERY__TOKEN__SESSION ? 2 : 1;
        const int assign = at(name + 1);
        if (name + 2 < words.size() && (assign == PG_QUERY__TOKEN__TO || assign == '=')
            && isStandardConformingStrings(words[name].text) && at(name + 2) != PG_QUERY__TOKEN__DEFAULT)
            traits.turnsOffStandardConformingStrings = !isOn(settingValue(words, name + 2));
    }
}

// Whether the WITH (...) options from `from` on leave `refresh` true, as
// defElemBool reads them: no value, or anything but false, off, no and 0.
bool StatementClassifier::refreshesPublication(const Words& words, size_t from)
{
    bool refresh = true;
    for (size_t i = from; i + 1 < words.size(); ++i) {
        if (words[i].token != PG_QUERY__TOKEN__WITH || words[i + 1].token != '(')
            continue;
        for (size_t j = i + 2; j < words.size() && words[j].token != ')'; ++j) {
            const bool optionName = words[j - 1].token == '(' || words[j - 1].token == ',';
            if (!optionName || words[j].text.compare(QLatin1String("refresh"), Qt::CaseInsensitive) != 0)
                continue;
            if (j + 2 >= words.size() || words[j + 1].token != '=') {
                refresh = true;
                continue;
            }
            const Word& value = words[j + 2];
            if (value.token == PG_QUERY__TOKEN__ICONST) {
                refresh = value.text.toLongLong() != 0;
                continue;
            }
            const QString word = value.text.toLower();
            refresh = !(word == QLatin1String("false") || word == QLatin1String("off")
                || word == QLatin1String("no"));
        }
        break;
    }
    return refresh;
}

// The value of a SET from `from` on: one constant as the server gets it (a
// string without its quotes, a word in lower case); several tokens as written.
QString StatementClassifier::settingValue(const Words& words, size_t from)
{
    if (from + 1 != words.size()) {
        QString text;
        for (size_t i = from; i < words.size(); ++i)
            text += words[i].text;
        return text;
    }
    const QString& text = words[from].text;
    const int quote = static_cast<int>(text.indexOf(QLatin1Char('\'')));
    if (words[from].token == PG_QUERY__TOKEN__SCONST && quote >= 0 && text.endsWith(QLatin1Char('\''))
        && text.size() >= quote + 2)
        return text.mid(quote + 1, text.size() - quote - 2)
            .replace(QStringLiteral("''"), QStringLiteral("'"));
    if (text.startsWith(QLatin1Char('"')) && text.endsWith(QLatin1Char('"')) && text.size() >= 2)
        return text.mid(1, text.size() - 2);
    return text.toLower();
}

// Parameter names are case-insensitive, quoted or not.
bool StatementClassifier::isStandardConformingStrings(const QString& name)
{
    QString bare = name;
    if (bare.size() >= 2 && bare.startsWith(QLatin1Char('"')) && bare.endsWith(QLatin1Char('"')))
        bare = bare.mid(1, bare.size() - 2);
    return bare.compare(QLatin1String("standard_conforming_strings"), Qt::CaseInsensitive) == 0;
}

// A boolean parameter's true, as PostgreSQL's parse_bool reads it: on, 1, and
// true or yes or any prefix of them, in any case.
bool StatementClassifier::isOn(const QString& value)
{
    const QString word = value.toLower();
    return word == QLatin1String("on") || word == QLatin1String("1")
        || (!word.isEmpty()
            && (QStringLiteral("true").startsWith(word) || QStringLiteral("yes").startsWith(word)));
}

QString StatementClassifier::describeFromKeywords(const QString& statement)
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

// The table a statement writes to or creates, from its RangeVar (or, for
// DROP TABLE, its one name list), e.g. to recognise version-table updates.
QString StatementClassifier::targetRelationOf(const QString& type, const QJsonObject& body)
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

bool StatementClassifier::hasDefElem(const QJsonArray& params, const QString& name)
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
bool StatementClassifier::defElemBool(const QJsonObject& defElem, bool fallback)
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

// An A_Const's value as text: {"A_Const":{"sval":{"sval":"off"}}}, an
// Integer as {"ival":{"ival":1}} (0 as {"ival":{}}), a Float as {"fval":{"fval":"1.5"}}.
QString StatementClassifier::constantText(const QJsonValue& node)
{
    const QJsonValue constant = member(node, "A_Const");
    if (member(constant, "sval").isObject())
        return member(member(constant, "sval"), "sval").toString();
    if (member(constant, "ival").isObject())
        return QString::number(member(member(constant, "ival"), "ival").toInt());
    if (member(constant, "fval").isObject())
        return member(member(constant, "fval"), "fval").toString();
    if (member(constant, "boolval").isObject())
        return member(member(constant, "boolval"), "boolval").toBool() ? QStringLiteral("true")
                                                                       : QStringLiteral("false");
    return {};
}

QString StatementClassifier::qualifiedName(const QString& schema, const QString& name)
{
    return schema.isEmpty() ? name : schema + QLatin1Char('.') + name;
}

QJsonValue StatementClassifier::member(const QJsonValue& value, const char* key)
{
    return value.toObject().value(QLatin1String(key));
}

} // namespace dbops
