#include "catalog/SnapshotJsonWriter.h"

#include "catalog/SnapshotJsonKeys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <utility>

namespace dbops {

using namespace SnapshotJsonKeys;

namespace {

// Optional text fields are left out when empty, so the file only says what is there.
void insertIfSet(QJsonObject& object, const QString& key, const QString& value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

QJsonObject columnToJson(const CatalogColumn& column)
{
    QJsonObject object { { kName, column.name }, { kType, column.type }, { kNullable, column.nullable } };
    insertIfSet(object, kDefault, column.defaultExpression);
    insertIfSet(object, kIdentity, column.identity);
    insertIfSet(object, kGenerated, column.generated);
    return object;
}

QJsonObject tableToJson(const CatalogTable& table)
{
    QJsonArray columns;
    for (const CatalogColumn& column : table.columns)
        columns.append(columnToJson(column));
    QJsonArray indexes;
    for (const CatalogIndex& index : table.indexes)
        indexes.append(QJsonObject { { kName, index.name }, { kDefinition, index.definition } });
    QJsonArray constraints;
    for (const CatalogConstraint& constraint : table.constraints)
        constraints.append(QJsonObject {
            { kName, constraint.name }, { kType, constraint.type }, { kDefinition, constraint.definition } });
    return QJsonObject { { kSchema, table.schema }, { kName, table.name }, { kColumns, columns },
        { kIndexes, indexes }, { kConstraints, constraints } };
}

QJsonObject sequenceToJson(const CatalogSequence& sequence)
{
    QJsonObject object { { kSchema, sequence.schema }, { kName, sequence.name },
        { kDataType, sequence.dataType }, { kStart, sequence.start }, { kIncrement, sequence.increment },
        { kMinValue, sequence.minValue }, { kMaxValue, sequence.maxValue }, { kCache, sequence.cache },
        { kCycle, sequence.cycle } };
    insertIfSet(object, kOwnedByTable, sequence.ownerTable);
    insertIfSet(object, kOwnedByColumn, sequence.ownerColumn);
    return object;
}

/// Keys a reader looks for first; the rest follow alphabetically.
int keyRank(const QString& key)
{
    static const QStringList first { kFormat, kSchemas, kRevisions, kSchema, kName, kType, kDataType,
        kNullable, kDefault };
    const int rank = static_cast<int>(first.indexOf(key));
    return rank < 0 ? static_cast<int>(first.size()) : rank;
}

QByteArray jsonString(const QString& text)
{
    // QJsonDocument does the escaping: "[\"...\"]" without the brackets.
    const QByteArray array = QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

/// Indented JSON like QJsonDocument's, but with "schema" and "name" before
/// the lists they own, so the committed file reads top-down; empty lists stay "[]".
void writeJson(QByteArray& out, const QJsonValue& value, int depth)
{
    const QByteArray indent((depth + 1) * 4, ' ');
    const QByteArray closing(depth * 4, ' ');
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        QStringList keys = object.keys();
        std::stable_sort(keys.begin(), keys.end(), [](const QString& a, const QString& b) {
            return std::make_pair(keyRank(a), a) < std::make_pair(keyRank(b), b);
        });
        if (keys.isEmpty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        for (int i = 0; i < keys.size(); ++i) {
            out += indent + jsonString(keys.at(i)) + ": ";
            writeJson(out, object.value(keys.at(i)), depth + 1);
            out += i + 1 < keys.size() ? ",\n" : "\n";
        }
        out += closing + '}';
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.isEmpty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        for (int i = 0; i < array.size(); ++i) {
            out += indent;
            writeJson(out, array.at(i), depth + 1);
            out += i + 1 < array.size() ? ",\n" : "\n";
        }
        out += closing + ']';
    } else if (value.isString()) {
        out += jsonString(value.toString());
    } else if (value.isBool()) {
        out += value.toBool() ? "true" : "false";
    } else if (value.isDouble()) {
        out += QByteArray::number(value.toDouble(), 'g', 17);
    } else {
        out += "null";
    }
}

} // namespace

QJsonObject SnapshotJsonWriter::toJson(const CatalogSnapshot& snapshot)
{
    CatalogSnapshot sorted = snapshot;
    sorted.sort();
    QJsonArray tableArray;
    for (const CatalogTable& table : sorted.tables)
        tableArray.append(tableToJson(table));
    QJsonArray enumArray;
    for (const CatalogEnum& e : sorted.enums)
        enumArray.append(QJsonObject {
            { kSchema, e.schema }, { kName, e.name }, { kLabels, QJsonArray::fromStringList(e.labels) } });
    QJsonArray viewArray;
    for (const CatalogView& view : sorted.views)
        viewArray.append(QJsonObject { { kSchema, view.schema }, { kName, view.name },
            { kMaterialized, view.materialized }, { kDefinition, view.definition } });
    QJsonArray sequenceArray;
    for (const CatalogSequence& sequence : sorted.sequences)
        sequenceArray.append(sequenceToJson(sequence));
    return QJsonObject {
        { kFormat, CatalogSnapshot::kFormatVersion },
        { kSchemas, QJsonArray::fromStringList(sorted.schemas) },
        { kRevisions, QJsonArray::fromStringList(sorted.revisions) },
        { kTables, tableArray },
        { kEnums, enumArray },
        { kViews, viewArray },
        { kSequences, sequenceArray },
    };
}

QByteArray SnapshotJsonWriter::toJsonText(const CatalogSnapshot& snapshot)
{
    // The lists are sorted and the keys in a fixed order: the text is stable.
    QByteArray out;
    writeJson(out, toJson(snapshot), 0);
    return out + '\n';
}

} // namespace dbops
