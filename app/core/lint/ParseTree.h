#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace dbops::lint {

/// Small readers over libpg_query's JSON parse tree (SqlParser::parseTreeJson),
/// shared by the lock model and the rules.
namespace tree {

inline QJsonValue member(const QJsonValue& value, const char* key)
{
    return value.toObject().value(QLatin1String(key));
}

inline QString text(const QJsonValue& value, const char* key)
{
    return member(value, key).toString();
}

inline bool flag(const QJsonValue& value, const char* key)
{
    return member(value, key).toBool();
}

inline QJsonArray list(const QJsonValue& value, const char* key)
{
    return member(value, key).toArray();
}

/// The one key of a node object ({"ColumnDef": {...}} -> "ColumnDef").
inline QString nodeType(const QJsonValue& node)
{
    const QJsonObject object = node.toObject();
    return object.isEmpty() ? QString() : object.constBegin().key();
}

inline QJsonObject nodeBody(const QJsonValue& node)
{
    const QJsonObject object = node.toObject();
    return object.isEmpty() ? QJsonObject() : object.constBegin().value().toObject();
}

/// {"String":{"sval":"x"}} -> "x".
inline QString stringNode(const QJsonValue& node)
{
    return text(member(node, "String"), "sval");
}

inline QStringList strings(const QJsonArray& items)
{
    QStringList out;
    for (const QJsonValue& item : items)
        out.append(stringNode(item));
    return out;
}

/// A RangeVar as "schema.name" when the schema is written, else "name".
inline QString relationName(const QJsonValue& rangeVar)
{
    const QString schema = text(rangeVar, "schemaname");
    const QString name = text(rangeVar, "relname");
    return schema.isEmpty() ? name : schema + QLatin1Char('.') + name;
}

/// A dotted name list (DROP, RENAME of an index ...) as "schema.name".
inline QString dottedName(const QJsonValue& listNode)
{
    const QStringList parts = strings(list(member(listNode, "List"), "items"));
    return parts.mid(qMax(0, static_cast<int>(parts.size()) - 2)).join(QLatin1Char('.'));
}

/// The type's own name, without pg_catalog: "int4", "varchar", "timestamptz".
inline QString typeName(const QJsonValue& typeNameNode)
{
    const QStringList names = strings(list(typeNameNode, "names"));
    return names.isEmpty() ? QString() : names.last();
}

/// The integer type modifiers as written: varchar(20) -> {20}.
inline QList<int> typeModifiers(const QJsonValue& typeNameNode)
{
    QList<int> mods;
    for (const QJsonValue& mod : list(typeNameNode, "typmods"))
        mods.append(member(member(member(mod, "A_Const"), "ival"), "ival").toInt());
    return mods;
}

} // namespace tree

} // namespace dbops::lint
