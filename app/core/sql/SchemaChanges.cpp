#include "sql/SchemaChanges.h"

#include "catalog/DdlText.h"
#include "sql/SqlParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPair>
#include <QStringList>

namespace dbops {

namespace {

using Kind = SchemaChange::Kind;

QJsonValue member(const QJsonValue& value, const char* key)
{
    return value.toObject().value(QLatin1String(key));
}

QString textOf(const QJsonValue& value, const char* key)
{
    return member(value, key).toString();
}

bool flagOf(const QJsonValue& value, const char* key)
{
    return member(value, key).toBool();
}

QString qualified(const QString& schema, const QString& name)
{
    return schema.isEmpty() ? name : schema + QLatin1Char('.') + name;
}

// {"String":{"sval":"x"}}; libpg_query before PostgreSQL 15 called the field "str".
QString stringNode(const QJsonValue& node)
{
    const QJsonValue string = member(node, "String");
    const QJsonValue sval = member(string, "sval");
    return sval.isString() ? sval.toString() : textOf(string, "str");
}

QStringList strings(const QJsonValue& list)
{
    QStringList out;
    for (const QJsonValue& item : list.toArray())
        out.append(stringNode(item));
    return out;
}

// The name parts of an object as DROP, RENAME and ALTER ... OWNER name it: a
// List of Strings (relations, triggers), a TypeName (types, domains), an
// ObjectWithArgs (functions) or one String (schemas, extensions).
QStringList nameParts(const QJsonValue& object)
{
    const QJsonObject node = object.toObject();
    if (node.contains(QLatin1String("List")))
        return strings(member(node.value(QLatin1String("List")), "items"));
    if (node.contains(QLatin1String("TypeName")))
        return strings(member(node.value(QLatin1String("TypeName")), "names"));
    if (node.contains(QLatin1String("ObjectWithArgs")))
        return strings(member(node.value(QLatin1String("ObjectWithArgs")), "objname"));
    if (node.contains(QLatin1String("String")))
        return { stringNode(object) };
    return {};
}

// The part `fromEnd` places before the last of a dotted name, or empty: in
// db.schema.table the schema is part 1 from the end.
QString partFromEnd(const QStringList& parts, int fromEnd)
{
    const int i = static_cast<int>(parts.size()) - 1 - fromEnd;
    return i >= 0 ? parts.at(i) : QString();
}

struct Relation
{
    QString schema;
    QString name;
    bool temporary = false; ///< gone at the end of the session: no schema change
    QString qualifiedName() const { return qualified(schema, name); }
};

Relation relationOf(const QJsonValue& rangeVar)
{
    return { textOf(rangeVar, "schemaname"), textOf(rangeVar, "relname"),
        textOf(rangeVar, "relpersistence") == QLatin1String("t") };
}

bool cascades(const QJsonValue& node)
{
    return textOf(node, "behavior") == QLatin1String("DROP_CASCADE");
}

// "SetNotNull" -> "SET NOT NULL", "AlterTSConfiguration" -> "ALTER TS CONFIGURATION".
QString camelWords(const QString& camel)
{
    QString words;
    for (int i = 0; i < camel.size(); ++i) {
        const QChar c = camel.at(i);
        const bool startsWord = i > 0 && c.isUpper()
            && (camel.at(i - 1).isLower()
                || (i + 1 < camel.size() && camel.at(i + 1).isLower() && camel.at(i - 1).isUpper()));
        if (startsWord)
            words += QLatin1Char(' ');
        words += c.toUpper();
    }
    // The parse tree's abbreviations, spelt as in SQL.
    QStringList parts = words.split(QLatin1Char(' '));
    for (QString& part : parts) {
        if (part == QLatin1String("TRIG"))
            part = QStringLiteral("TRIGGER");
        else if (part == QLatin1String("SEQ"))
            part = QStringLiteral("SEQUENCE");
        else if (part == QLatin1String("FDW"))
            part = QStringLiteral("FOREIGN DATA WRAPPER");
        else if (part == QLatin1String("STATS"))
            part = QStringLiteral("STATISTICS");
        else if (part == QLatin1String("TS"))
            part = QStringLiteral("TEXT SEARCH");
    }
    return parts.join(QLatin1Char(' ')).replace(QLatin1String("TABLE SPACE"), QLatin1String("TABLESPACE"));
}

// An ObjectType as SQL names it: "OBJECT_MATVIEW" -> "MATERIALIZED VIEW".
QString objectWords(const QString& objectType)
{
    static const QList<QPair<QLatin1String, QLatin1String>> special {
        { QLatin1String("MATVIEW"), QLatin1String("MATERIALIZED VIEW") },
        { QLatin1String("TABCONSTRAINT"), QLatin1String("CONSTRAINT") },
        { QLatin1String("DOMCONSTRAINT"), QLatin1String("CONSTRAINT") },
        { QLatin1String("FDW"), QLatin1String("FOREIGN DATA WRAPPER") },
        { QLatin1String("FOREIGN_SERVER"), QLatin1String("SERVER") },
        { QLatin1String("OPCLASS"), QLatin1String("OPERATOR CLASS") },
        { QLatin1String("OPFAMILY"), QLatin1String("OPERATOR FAMILY") },
        { QLatin1String("STATISTIC_EXT"), QLatin1String("STATISTICS") },
        { QLatin1String("TSCONFIGURATION"), QLatin1String("TEXT SEARCH CONFIGURATION") },
        { QLatin1String("TSDICTIONARY"), QLatin1String("TEXT SEARCH DICTIONARY") },
        { QLatin1String("TSPARSER"), QLatin1String("TEXT SEARCH PARSER") },
        { QLatin1String("TSTEMPLATE"), QLatin1String("TEXT SEARCH TEMPLATE") },
        { QLatin1String("LARGEOBJECT"), QLatin1String("LARGE OBJECT") },
    };
    const QString bare = objectType.startsWith(QLatin1String("OBJECT_")) ? objectType.mid(7) : objectType;
    for (const auto& entry : special) {
        if (bare == entry.first)
            return entry.second;
    }
    return QString(bare).replace(QLatin1Char('_'), QLatin1Char(' '));
}

// The SQL verb and object of a statement node: "CreateTrigStmt" -> "CREATE TRIGGER".
QString statementWords(const QString& type)
{
    static const QList<QPair<QLatin1String, QLatin1String>> special {
        { QLatin1String("RuleStmt"), QLatin1String("CREATE RULE") },
        { QLatin1String("AlterEnumStmt"), QLatin1String("ALTER TYPE") },
        { QLatin1String("CreatePLangStmt"), QLatin1String("CREATE LANGUAGE") },
        { QLatin1String("CreateAmStmt"), QLatin1String("CREATE ACCESS METHOD") },
        { QLatin1String("CreateForeignServerStmt"), QLatin1String("CREATE SERVER") },
        { QLatin1String("AlterForeignServerStmt"), QLatin1String("ALTER SERVER") },
        { QLatin1String("CreateOpClassStmt"), QLatin1String("CREATE OPERATOR CLASS") },
        { QLatin1String("CreateOpFamilyStmt"), QLatin1String("CREATE OPERATOR FAMILY") },
        { QLatin1String("AlterOpFamilyStmt"), QLatin1String("ALTER OPERATOR FAMILY") },
        { QLatin1String("AlterExtensionContentsStmt"), QLatin1String("ALTER EXTENSION") },
    };
    for (const auto& entry : special) {
        if (type == entry.first)
            return entry.second;
    }
    return camelWords(type.endsWith(QLatin1String("Stmt")) ? type.chopped(4) : type);
}

// Statements that change something, but no object of a database's schemas:
// roles, databases, tablespaces, the server's settings, subscriptions.
bool isClusterLevel(const QString& type)
{
    static const QStringList types { QStringLiteral("CreateRoleStmt"), QStringLiteral("AlterRoleStmt"),
        QStringLiteral("AlterRoleSetStmt"), QStringLiteral("DropRoleStmt"), QStringLiteral("CreatedbStmt"),
        QStringLiteral("AlterDatabaseStmt"), QStringLiteral("AlterDatabaseSetStmt"),
        QStringLiteral("AlterDatabaseRefreshCollStmt"), QStringLiteral("DropdbStmt"),
        QStringLiteral("CreateTableSpaceStmt"), QStringLiteral("DropTableSpaceStmt"),
        QStringLiteral("AlterTableSpaceOptionsStmt"), QStringLiteral("AlterTableMoveAllStmt"),
        QStringLiteral("AlterSystemStmt"), QStringLiteral("CreateUserMappingStmt"),
        QStringLiteral("AlterUserMappingStmt"), QStringLiteral("DropUserMappingStmt"),
        QStringLiteral("CreateSubscriptionStmt"), QStringLiteral("AlterSubscriptionStmt"),
        QStringLiteral("DropSubscriptionStmt"), QStringLiteral("AlterDefaultPrivilegesStmt") };
    return types.contains(type);
}

// PostgreSQL names its DDL nodes Create*, Alter*, Drop*; the rest are reads,
// writes of rows, privileges, comments, session and transaction control.
bool isSchemaChange(const QString& type)
{
    if (isClusterLevel(type))
        return false;
    return type.startsWith(QLatin1String("Create")) || type.startsWith(QLatin1String("Alter"))
        || type.startsWith(QLatin1String("Drop")) || type == QLatin1String("DefineStmt")
        || type == QLatin1String("RuleStmt") || type == QLatin1String("ImportForeignSchemaStmt");
}

QString constraintWords(const QString& contype)
{
    if (contype == QLatin1String("CONSTR_PRIMARY"))
        return QStringLiteral("primary key");
    if (contype == QLatin1String("CONSTR_UNIQUE"))
        return QStringLiteral("unique constraint");
    if (contype == QLatin1String("CONSTR_CHECK"))
        return QStringLiteral("check constraint");
    if (contype == QLatin1String("CONSTR_FOREIGN"))
        return QStringLiteral("foreign key");
    if (contype == QLatin1String("CONSTR_EXCLUSION"))
        return QStringLiteral("exclusion constraint");
    return {};
}

/// Walks the statement nodes of one parse tree, appending to `changes`.
class Walker
{
public:
    SchemaChangeList changes;

    void statement(const QString& type, const QJsonObject& body)
    {
        if (type == QLatin1String("CreateStmt"))
            createTable(body, {});
        else if (type == QLatin1String("CreateForeignTableStmt"))
            createTable(body.value(QLatin1String("base")).toObject(), QStringLiteral("foreign table"));
        else if (type == QLatin1String("CreateTableAsStmt"))
            createTableAs(body);
        else if (type == QLatin1String("SelectStmt"))
            selectInto(body);
        else if (type == QLatin1String("IndexStmt"))
            createIndex(body);
        else if (type == QLatin1String("ViewStmt"))
            createRelation(Kind::CreateView, body.value(QLatin1String("view")), false);
        else if (type == QLatin1String("CreateSeqStmt"))
            createRelation(
                Kind::CreateSequence, body.value(QLatin1String("sequence")), flagOf(body, "if_not_exists"));
        else if (type == QLatin1String("CreateEnumStmt") || type == QLatin1String("CreateRangeStmt"))
            createNamed(Kind::CreateType, strings(body.value(QLatin1String("typeName"))), {});
        else if (type == QLatin1String("CompositeTypeStmt"))
            compositeType(body);
        else if (type == QLatin1String("CreateDomainStmt"))
            createNamed(
                Kind::CreateType, strings(body.value(QLatin1String("domainname"))), QStringLiteral("domain"));
        else if (type == QLatin1String("CreateFunctionStmt"))
            createFunction(body);
        else if (type == QLatin1String("DefineStmt"))
            define(type, body);
        else if (type == QLatin1String("CreateSchemaStmt"))
            createSchema(body);
        else if (type == QLatin1String("DropStmt"))
            drop(body);
        else if (type == QLatin1String("AlterTableStmt"))
            alterTable(body);
        else if (type == QLatin1String("RenameStmt"))
            rename(body);
        else if (isSchemaChange(type))
            other(type, body);
    }

private:
    SchemaChange& add(Kind kind, const QString& schema, const QString& table, const QString& name = {})
    {
        SchemaChange change;
        change.kind = kind;
        change.schema = schema;
        change.table = table;
        change.name = name;
        changes.append(change);
        return changes.last();
    }

    void createTable(const QJsonObject& body, const QString& detail)
    {
        const Relation relation = relationOf(body.value(QLatin1String("relation")));
        if (relation.temporary)
            return;
        SchemaChange& change = add(Kind::CreateTable, relation.schema, relation.name);
        change.detail = detail;
        change.ifExists = flagOf(body, "if_not_exists");
    }

    void createTableAs(const QJsonObject& body)
    {
        const Relation relation = relationOf(member(body.value(QLatin1String("into")), "rel"));
        if (relation.temporary)
            return;
        const bool view = textOf(body, "objtype") == QLatin1String("OBJECT_MATVIEW");
        SchemaChange& change
            = add(view ? Kind::CreateView : Kind::CreateTable, relation.schema, relation.name);
        if (view)
            change.detail = QStringLiteral("materialized view");
        change.ifExists = flagOf(body, "if_not_exists");
    }

    void selectInto(const QJsonObject& body)
    {
        // SELECT ... INTO t creates t, like CREATE TABLE t AS SELECT.
        const QJsonValue into = body.value(QLatin1String("intoClause"));
        if (into.isObject())
            createRelation(Kind::CreateTable, member(into, "rel"), false);
    }

    void createRelation(Kind kind, const QJsonValue& rangeVar, bool ifNotExists)
    {
        const Relation relation = relationOf(rangeVar);
        if (relation.temporary)
            return;
        add(kind, relation.schema, relation.name).ifExists = ifNotExists;
    }

    void createIndex(const QJsonObject& body)
    {
        const Relation relation = relationOf(body.value(QLatin1String("relation")));
        if (relation.temporary)
            return;
        SchemaChange& change
            = add(Kind::CreateIndex, relation.schema, relation.name, textOf(body, "idxname"));
        change.ifExists = flagOf(body, "if_not_exists");
        for (const QJsonValue& element : body.value(QLatin1String("indexParams")).toArray()) {
            const QString column = textOf(member(element, "IndexElem"), "name");
            if (column.isEmpty()) { // an expression
                change.columns.clear();
                break;
            }
            change.columns.append(column);
        }
    }

    void createFunction(const QJsonObject& body)
    {
        const bool procedure = flagOf(body, "is_procedure");
        createNamed(Kind::CreateFunction, strings(body.value(QLatin1String("funcname"))),
            procedure ? QStringLiteral("procedure") : QString());
        if (!procedure) // a procedure's OUT arguments are part of its signature: not written here
            changes.last().arguments = functionArguments(body.value(QLatin1String("parameters")));
    }

    // "(pg_catalog.int4, text[])": the input argument types, without typmods
    // (the signature has none); empty when one is not a plain type name.
    static QString functionArguments(const QJsonValue& parameters)
    {
        QStringList types;
        for (const QJsonValue& item : parameters.toArray()) {
            const QJsonValue parameter = member(item, "FunctionParameter");
            const QString mode = textOf(parameter, "mode");
            if (mode == QLatin1String("FUNC_PARAM_OUT") || mode == QLatin1String("FUNC_PARAM_TABLE"))
                continue;
            const QJsonValue type = member(parameter, "argType");
            if (flagOf(type, "pct_type") || flagOf(type, "setof"))
                return {};
            QStringList names;
            for (const QString& part : strings(member(type, "names")))
                names.append(DdlText::identifier(part));
            if (names.isEmpty())
                return {};
            QString text = names.join(QLatin1Char('.'));
            for (int bound = 0; bound < member(type, "arrayBounds").toArray().size(); ++bound)
                text += QStringLiteral("[]");
            types.append(text);
        }
        return QLatin1Char('(') + types.join(QStringLiteral(", ")) + QLatin1Char(')');
    }

    void createNamed(Kind kind, const QStringList& parts, const QString& detail)
    {
        add(kind, partFromEnd(parts, 1), {}, partFromEnd(parts, 0)).detail = detail;
    }

    void compositeType(const QJsonObject& body)
    {
        const Relation type = relationOf(body.value(QLatin1String("typevar")));
        add(Kind::CreateType, type.schema, {}, type.name);
    }

    void define(const QString& type, const QJsonObject& body)
    {
        const QString kind = textOf(body, "kind");
        const QStringList parts = strings(body.value(QLatin1String("defnames")));
        if (kind == QLatin1String("OBJECT_TYPE"))
            createNamed(Kind::CreateType, parts, {}); // a base type, or a shell type
        else if (kind == QLatin1String("OBJECT_AGGREGATE"))
            createNamed(Kind::CreateFunction, parts, QStringLiteral("aggregate"));
        else
            other(type, body);
    }

    void createSchema(const QJsonObject& body)
    {
        // CREATE SCHEMA AUTHORIZATION joe creates the schema joe.
        QString schema = textOf(body, "schemaname");
        if (schema.isEmpty())
            schema = textOf(body.value(QLatin1String("authrole")), "rolename");
        add(Kind::CreateSchema, schema, {}).ifExists = flagOf(body, "if_not_exists");
        // CREATE SCHEMA s CREATE TABLE t ... creates its elements in s.
        const int first = static_cast<int>(changes.size());
        for (const QJsonValue& element : body.value(QLatin1String("schemaElts")).toArray()) {
            const QJsonObject node = element.toObject();
            for (auto it = node.begin(); it != node.end(); ++it)
                statement(it.key(), it.value().toObject());
        }
        for (int i = first; i < changes.size(); ++i) {
            if (changes[i].schema.isEmpty())
                changes[i].schema = schema;
        }
    }

    void drop(const QJsonObject& body)
    {
        const QString removeType = textOf(body, "removeType");
        struct Mapping
        {
            const char* removeType;
            Kind kind;
            const char* detail;
        };
        static const Mapping mappings[] = {
            { "OBJECT_TABLE", Kind::DropTable, "" },
            { "OBJECT_FOREIGN_TABLE", Kind::DropTable, "foreign table" },
            { "OBJECT_VIEW", Kind::DropView, "" },
            { "OBJECT_MATVIEW", Kind::DropView, "materialized view" },
            { "OBJECT_INDEX", Kind::DropIndex, "" },
            { "OBJECT_SEQUENCE", Kind::DropSequence, "" },
            { "OBJECT_TYPE", Kind::DropType, "" },
            { "OBJECT_DOMAIN", Kind::DropType, "domain" },
            { "OBJECT_FUNCTION", Kind::DropFunction, "" },
            { "OBJECT_PROCEDURE", Kind::DropFunction, "procedure" },
            { "OBJECT_ROUTINE", Kind::DropFunction, "routine" },
            { "OBJECT_AGGREGATE", Kind::DropFunction, "aggregate" },
            { "OBJECT_SCHEMA", Kind::DropSchema, "" },
        };
        Kind kind = Kind::Other;
        QString detail;
        for (const Mapping& m : mappings) {
            if (removeType == QLatin1String(m.removeType)) {
                kind = m.kind;
                detail = QLatin1String(m.detail);
                break;
            }
        }
        // Triggers, rules and policies are named "[schema.]table.name".
        const bool onTable = removeType == QLatin1String("OBJECT_TRIGGER")
            || removeType == QLatin1String("OBJECT_RULE") || removeType == QLatin1String("OBJECT_POLICY");
        for (const QJsonValue& object : body.value(QLatin1String("objects")).toArray()) {
            const QStringList parts = nameParts(object);
            const QString last = partFromEnd(parts, 0);
            SchemaChange* change = nullptr;
            switch (kind) {
            case Kind::DropTable:
            case Kind::DropView:
            case Kind::DropSequence:
                change = &add(kind, partFromEnd(parts, 1), last);
                break;
            case Kind::DropSchema:
                change = &add(kind, last, {});
                break;
            case Kind::Other:
                if (onTable) {
                    change = &add(kind, partFromEnd(parts, 2), partFromEnd(parts, 1), last);
                    change->detail = QStringLiteral("DROP ") + objectWords(removeType) + QLatin1Char(' ')
                        + last + QStringLiteral(" ON ") + qualified(change->schema, change->table);
                } else {
                    change = &add(kind, partFromEnd(parts, 1), {}, last);
                    change->detail = QStringLiteral("DROP ") + objectWords(removeType)
                        + (parts.isEmpty() ? QString()
                                           : QString(QLatin1Char(' ') + parts.join(QLatin1Char('.'))));
                }
                break;
            default: // indexes, types, functions
                change = &add(kind, partFromEnd(parts, 1), {}, last);
                break;
            }
            if (kind != Kind::Other)
                change->detail = detail;
            change->ifExists = flagOf(body, "missing_ok");
            change->cascade = cascades(body);
        }
    }

    void alterTable(const QJsonObject& body)
    {
        const Relation relation = relationOf(body.value(QLatin1String("relation")));
        const QString objtype = textOf(body, "objtype");
        // ALTER TYPE ... ADD ATTRIBUTE and ALTER INDEX are AlterTableStmts too.
        const bool onTable
            = objtype == QLatin1String("OBJECT_TABLE") || objtype == QLatin1String("OBJECT_FOREIGN_TABLE");
        for (const QJsonValue& command : body.value(QLatin1String("cmds")).toArray()) {
            const QJsonValue cmd = member(command, "AlterTableCmd");
            const QString subtype = textOf(cmd, "subtype");
            const QJsonValue def = member(cmd, "def");
            QString name = textOf(cmd, "name");
            Kind kind = Kind::Other;
            QString detail;
            QStringList columns;
            if (onTable && subtype == QLatin1String("AT_AddColumn")) {
                kind = Kind::AddColumn;
                name = textOf(member(def, "ColumnDef"), "colname");
            } else if (onTable && subtype == QLatin1String("AT_DropColumn")) {
                kind = Kind::DropColumn;
            } else if (onTable && subtype == QLatin1String("AT_AlterColumnType")) {
                kind = Kind::AlterColumnType;
            } else if (onTable && subtype == QLatin1String("AT_AddConstraint")) {
                kind = Kind::AddConstraint;
                const QJsonValue constraint = member(def, "Constraint");
                name = textOf(constraint, "conname");
                detail = constraintWords(textOf(constraint, "contype"));
                columns = strings(member(constraint,
                    textOf(constraint, "contype") == QLatin1String("CONSTR_FOREIGN") ? "fk_attrs" : "keys"));
            } else if (onTable && subtype == QLatin1String("AT_DropConstraint")) {
                kind = Kind::DropConstraint;
            } else {
                QString words = subcommandWords(subtype, cmd);
                if (objtype == QLatin1String("OBJECT_TYPE")) // ALTER TYPE c ADD ATTRIBUTE a
                    words.replace(QLatin1String("COLUMN"), QLatin1String("ATTRIBUTE"));
                detail = QStringLiteral("ALTER ") + objectWords(objtype) + QLatin1Char(' ')
                    + relation.qualifiedName() + QLatin1Char(' ') + words;
            }
            // An index or a type is the object itself, not a table.
            const bool named
                = objtype == QLatin1String("OBJECT_INDEX") || objtype == QLatin1String("OBJECT_TYPE");
            SchemaChange& change = named ? add(kind, relation.schema, {}, relation.name)
                                         : add(kind, relation.schema, relation.name, name);
            change.detail = detail;
            change.columns = columns;
            change.ifExists = flagOf(cmd, "missing_ok") || flagOf(body, "missing_ok");
            change.cascade = cascades(cmd);
        }
    }

    // An ALTER TABLE subcommand in SQL words: "ALTER COLUMN c SET NOT NULL".
    static QString subcommandWords(const QString& subtype, const QJsonValue& cmd)
    {
        const QString bare = subtype.startsWith(QLatin1String("AT_")) ? subtype.mid(3) : subtype;
        const QString name = textOf(cmd, "name");
        const QJsonValue def = member(cmd, "def");
        static const QStringList columnLevel { QStringLiteral("SetNotNull"), QStringLiteral("DropNotNull"),
            QStringLiteral("AddIdentity"), QStringLiteral("SetIdentity"), QStringLiteral("DropIdentity"),
            QStringLiteral("SetStatistics"), QStringLiteral("SetStorage"), QStringLiteral("SetCompression"),
            QStringLiteral("DropExpression"), QStringLiteral("SetOptions"), QStringLiteral("ResetOptions"),
            QStringLiteral("AlterColumnGenericOptions") };
        if (bare == QLatin1String("ColumnDefault"))
            return QStringLiteral("ALTER COLUMN ") + name
                + (def.isUndefined() ? QStringLiteral(" DROP DEFAULT") : QStringLiteral(" SET DEFAULT"));
        if (columnLevel.contains(bare))
            return QStringLiteral("ALTER COLUMN ") + name + QLatin1Char(' ') + camelWords(bare);
        if (bare == QLatin1String("ChangeOwner"))
            return QStringLiteral("OWNER TO ") + textOf(member(cmd, "newowner"), "rolename");
        QString object = name;
        if (object.isEmpty())
            object = relationOf(member(member(def, "PartitionCmd"), "name"))
                         .qualifiedName(); // ATTACH PARTITION p
        if (object.isEmpty())
            object = relationOf(member(def, "RangeVar")).qualifiedName(); // INHERIT parent
        if (object.isEmpty())
            object = textOf(member(def, "ColumnDef"), "colname"); // ALTER TYPE c ADD ATTRIBUTE a
        return object.isEmpty() ? camelWords(bare) : camelWords(bare) + QLatin1Char(' ') + object;
    }

    void rename(const QJsonObject& body)
    {
        const QString renameType = textOf(body, "renameType");
        const Relation relation = relationOf(body.value(QLatin1String("relation")));
        const QString newName = textOf(body, "newname");
        const QString subname = textOf(body, "subname");
        SchemaChange* change = nullptr;
        if (renameType == QLatin1String("OBJECT_TABLE")
            || renameType == QLatin1String("OBJECT_FOREIGN_TABLE")) {
            change = &add(Kind::RenameTable, relation.schema, relation.name);
            if (renameType == QLatin1String("OBJECT_FOREIGN_TABLE"))
                change->detail = QStringLiteral("foreign table");
        } else if (renameType == QLatin1String("OBJECT_COLUMN")) {
            change = &add(Kind::RenameColumn, relation.schema, relation.name, subname);
        } else {
            // Anything else renamed: "ALTER INDEX ix RENAME TO iy", "ALTER CONSTRAINT a ON t RENAME TO b".
            QString object;
            if (!relation.name.isEmpty()) {
                change = renameType == QLatin1String("OBJECT_INDEX")
                    ? &add(Kind::Other, relation.schema, {}, relation.name)
                    : &add(Kind::Other, relation.schema, relation.name, subname);
                object = subname.isEmpty() ? relation.qualifiedName()
                                           : subname + QStringLiteral(" ON ") + relation.qualifiedName();
            } else {
                const QStringList parts = nameParts(body.value(QLatin1String("object")));
                change = &add(Kind::Other, partFromEnd(parts, 1), {}, partFromEnd(parts, 0));
                object = parts.join(QLatin1Char('.'));
                if (!subname.isEmpty()) // ALTER TYPE e RENAME ATTRIBUTE, RENAME VALUE ...
                    object += QLatin1Char(' ') + subname;
            }
            change->detail = QStringLiteral("ALTER ") + objectWords(renameType) + QLatin1Char(' ') + object
                + QStringLiteral(" RENAME TO ") + newName;
        }
        change->newName = newName;
        change->ifExists = flagOf(body, "missing_ok");
    }

    // Any other DDL: "CREATE TRIGGER trg ON t", "ALTER TYPE e OWNER TO x".
    void other(const QString& type, const QJsonObject& body)
    {
        QString words = statementWords(type);
        QStringList parts;
        QString suffix;
        if (type == QLatin1String("DefineStmt")) {
            words = QStringLiteral("CREATE ") + objectWords(textOf(body, "kind"));
            parts = strings(body.value(QLatin1String("defnames")));
        } else if (type == QLatin1String("AlterOwnerStmt")
            || type == QLatin1String("AlterObjectSchemaStmt")) {
            words = QStringLiteral("ALTER ") + objectWords(textOf(body, "objectType"));
            parts = nameParts(body.value(QLatin1String("object")));
            suffix = type == QLatin1String("AlterOwnerStmt")
                ? QStringLiteral(" OWNER TO ") + textOf(body.value(QLatin1String("newowner")), "rolename")
                : QStringLiteral(" SET SCHEMA ") + textOf(body, "newschema");
        } else {
            for (const char* key : { "defnames", "typeName", "collname", "opclassname", "opfamilyname",
                     "conversion_name", "funcname" }) {
                const QJsonValue list = body.value(QLatin1String(key));
                if (list.isArray()) {
                    parts = strings(list);
                    break;
                }
            }
            for (const char* key : { "trigname", "rulename", "policy_name", "extname", "servername",
                     "fdwname", "pubname", "plname", "amname" }) {
                const QString name = textOf(body, key);
                if (!name.isEmpty()) {
                    parts = QStringList { name };
                    break;
                }
            }
        }
        Relation relation;
        for (const char* key : { "relation", "table", "sequence" }) {
            relation = relationOf(body.value(QLatin1String(key)));
            if (!relation.name.isEmpty())
                break;
        }
        // The object is a name ("CREATE EXTENSION pgcrypto"), a name on a
        // table ("CREATE TRIGGER trg ON t") or the relation itself ("ALTER
        // SEQUENCE q", "ALTER TABLE t SET SCHEMA s2").
        QString object;
        SchemaChange* change = nullptr;
        if (parts.isEmpty()) {
            object = relation.qualifiedName();
            change = &add(Kind::Other, relation.schema, relation.name);
        } else if (relation.name.isEmpty()) {
            object = parts.join(QLatin1Char('.'));
            change = &add(Kind::Other, partFromEnd(parts, 1), {}, partFromEnd(parts, 0));
        } else {
            object = parts.join(QLatin1Char('.')) + QStringLiteral(" ON ") + relation.qualifiedName();
            change = &add(Kind::Other, relation.schema, relation.name, partFromEnd(parts, 0));
        }
        change->detail = object.isEmpty() ? QString(words + suffix)
                                          : QString(words + QLatin1Char(' ') + object + suffix);
        change->ifExists = flagOf(body, "missing_ok") || flagOf(body, "if_not_exists");
        change->cascade = cascades(body);
    }
};

} // namespace

SchemaChangeList SchemaChanges::of(const QString& statement)
{
    const QByteArray json = SqlParser::parseTreeJson(statement);
    if (json.isEmpty())
        return {};
    Walker walker;
    const QJsonArray statements
        = QJsonDocument::fromJson(json).object().value(QLatin1String("stmts")).toArray();
    for (const QJsonValue& entry : statements) {
        // {"stmt":{"CreateStmt":{..}}}: the node's type is its one key.
        const QJsonObject node = member(entry, "stmt").toObject();
        for (auto it = node.begin(); it != node.end(); ++it)
            walker.statement(it.key(), it.value().toObject());
    }
    return walker.changes;
}

} // namespace dbops
