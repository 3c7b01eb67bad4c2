#include "catalog/CatalogSnapshot.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <tuple>

namespace dbops {

namespace {

// JSON keys, in one place: the file format is documented in docs/cli.md.
const QString kFormat = QStringLiteral("format");
const QString kSchemas = QStringLiteral("schemas");
const QString kRevisions = QStringLiteral("revisions");
const QString kTables = QStringLiteral("tables");
const QString kEnums = QStringLiteral("enums");
const QString kViews = QStringLiteral("views");
const QString kSequences = QStringLiteral("sequences");
const QString kSchema = QStringLiteral("schema");
const QString kName = QStringLiteral("name");
const QString kColumns = QStringLiteral("columns");
const QString kIndexes = QStringLiteral("indexes");
const QString kConstraints = QStringLiteral("constraints");
const QString kType = QStringLiteral("type");
const QString kNullable = QStringLiteral("nullable");
const QString kDefault = QStringLiteral("default");
const QString kIdentity = QStringLiteral("identity");
const QString kGenerated = QStringLiteral("generated");
const QString kDefinition = QStringLiteral("definition");
const QString kLabels = QStringLiteral("labels");
const QString kMaterialized = QStringLiteral("materialized");
const QString kDataType = QStringLiteral("data_type");
const QString kStart = QStringLiteral("start");
const QString kIncrement = QStringLiteral("increment");
const QString kMinValue = QStringLiteral("min_value");
const QString kMaxValue = QStringLiteral("max_value");
const QString kCache = QStringLiteral("cache");
const QString kCycle = QStringLiteral("cycle");
const QString kOwnedByTable = QStringLiteral("owned_by_table");
const QString kOwnedByColumn = QStringLiteral("owned_by_column");

template<typename T> void sortByName(QList<T>& list)
{
    std::sort(list.begin(), list.end(), [](const T& a, const T& b) { return a.name < b.name; });
}

template<typename T> void sortBySchemaAndName(QList<T>& list)
{
    std::sort(list.begin(), list.end(),
        [](const T& a, const T& b) { return std::tie(a.schema, a.name) < std::tie(b.schema, b.name); });
}

// Optional text fields are left out when empty, so the file only says what is there.
void insertIfSet(QJsonObject& object, const QString& key, const QString& value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

/// Reads the parts of a snapshot with one error message style: "where: what".
class JsonReader
{
public:
    explicit JsonReader(QString where)
        : m_where(std::move(where))
    { }

    QString text(const QJsonObject& object, const QString& key, bool required = true)
    {
        const QJsonValue value = object.value(key);
        if (value.isString())
            return value.toString();
        if (required || !value.isUndefined())
            fail(QStringLiteral("'%1' must be a string").arg(key));
        return {};
    }
    bool boolean(const QJsonObject& object, const QString& key)
    {
        const QJsonValue value = object.value(key);
        if (value.isBool())
            return value.toBool();
        if (!value.isUndefined())
            fail(QStringLiteral("'%1' must be true or false").arg(key));
        return false;
    }
    QJsonArray array(const QJsonObject& object, const QString& key)
    {
        const QJsonValue value = object.value(key);
        if (value.isArray())
            return value.toArray();
        if (!value.isUndefined())
            fail(QStringLiteral("'%1' must be an array").arg(key));
        return {};
    }
    QStringList strings(const QJsonObject& object, const QString& key)
    {
        QStringList result;
        const QJsonArray values = array(object, key);
        for (const QJsonValue& value : values) {
            if (!value.isString())
                fail(QStringLiteral("'%1' must hold strings").arg(key));
            result.append(value.toString());
        }
        return result;
    }
    QJsonObject objectAt(const QJsonValue& value, const QString& what)
    {
        if (!value.isObject())
            fail(QStringLiteral("every entry of '%1' must be an object").arg(what));
        return value.toObject();
    }

    void fail(const QString& message)
    {
        if (m_error.isEmpty())
            m_error = m_where + QStringLiteral(": ") + message;
    }
    bool ok() const { return m_error.isEmpty(); }
    const QString& error() const { return m_error; }

private:
    QString m_where;
    QString m_error;
};

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

CatalogTable tableFromJson(const QJsonObject& object, JsonReader& reader)
{
    CatalogTable table;
    table.schema = reader.text(object, kSchema);
    table.name = reader.text(object, kName);
    const QJsonArray columns = reader.array(object, kColumns);
    for (const QJsonValue& value : columns) {
        const QJsonObject c = reader.objectAt(value, kColumns);
        CatalogColumn column;
        column.name = reader.text(c, kName);
        column.type = reader.text(c, kType);
        column.nullable = reader.boolean(c, kNullable);
        column.defaultExpression = reader.text(c, kDefault, false);
        column.identity = reader.text(c, kIdentity, false);
        column.generated = reader.text(c, kGenerated, false);
        table.columns.append(column);
    }
    const QJsonArray indexes = reader.array(object, kIndexes);
    for (const QJsonValue& value : indexes) {
        const QJsonObject i = reader.objectAt(value, kIndexes);
        table.indexes.append(CatalogIndex { reader.text(i, kName), reader.text(i, kDefinition) });
    }
    const QJsonArray constraints = reader.array(object, kConstraints);
    for (const QJsonValue& value : constraints) {
        const QJsonObject k = reader.objectAt(value, kConstraints);
        table.constraints.append(
            CatalogConstraint { reader.text(k, kName), reader.text(k, kType), reader.text(k, kDefinition) });
    }
    return table;
}

CatalogSequence sequenceFromJson(const QJsonObject& object, JsonReader& reader)
{
    CatalogSequence sequence;
    sequence.schema = reader.text(object, kSchema);
    sequence.name = reader.text(object, kName);
    sequence.dataType = reader.text(object, kDataType);
    sequence.start = reader.text(object, kStart);
    sequence.increment = reader.text(object, kIncrement);
    sequence.minValue = reader.text(object, kMinValue);
    sequence.maxValue = reader.text(object, kMaxValue);
    sequence.cache = reader.text(object, kCache);
    sequence.cycle = reader.boolean(object, kCycle);
    sequence.ownerTable = reader.text(object, kOwnedByTable, false);
    sequence.ownerColumn = reader.text(object, kOwnedByColumn, false);
    return sequence;
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

QString CatalogColumn::describe() const
{
    QString text = type;
    if (!identity.isEmpty())
        text += QStringLiteral(" GENERATED %1 AS IDENTITY").arg(identity.toUpper());
    if (!generated.isEmpty())
        text += QStringLiteral(" GENERATED ALWAYS AS (%1) %2").arg(defaultExpression, generated.toUpper());
    text += nullable ? QStringLiteral(" NULL") : QStringLiteral(" NOT NULL");
    if (generated.isEmpty() && !defaultExpression.isEmpty())
        text += QStringLiteral(" DEFAULT ") + defaultExpression;
    return text;
}

bool CatalogColumn::operator==(const CatalogColumn& other) const
{
    return name == other.name && type == other.type && nullable == other.nullable
        && defaultExpression == other.defaultExpression && identity == other.identity
        && generated == other.generated;
}

const CatalogColumn* CatalogTable::column(const QString& columnName) const
{
    for (const CatalogColumn& c : columns) {
        if (c.name == columnName)
            return &c;
    }
    return nullptr;
}

QString CatalogSequence::describe() const
{
    QString text = QStringLiteral("%1 START %2 INCREMENT %3 MINVALUE %4 MAXVALUE %5 CACHE %6%7")
                       .arg(dataType, start, increment, minValue, maxValue, cache,
                           cycle ? QStringLiteral(" CYCLE") : QString());
    if (!ownerTable.isEmpty())
        text += QStringLiteral(" OWNED BY %1.%2").arg(ownerTable, ownerColumn);
    return text;
}

void CatalogSnapshot::sort()
{
    schemas.sort();
    revisions.sort();
    sortBySchemaAndName(tables);
    for (CatalogTable& table : tables) {
        sortByName(table.columns);
        sortByName(table.indexes);
        sortByName(table.constraints);
    }
    sortBySchemaAndName(enums);
    sortBySchemaAndName(views);
    sortBySchemaAndName(sequences);
}

const CatalogTable* CatalogSnapshot::table(const QString& schema, const QString& name) const
{
    for (const CatalogTable& t : tables) {
        if (t.schema == schema && t.name == name)
            return &t;
    }
    return nullptr;
}

QJsonObject CatalogSnapshot::toJson() const
{
    CatalogSnapshot sorted = *this;
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
        { kFormat, kFormatVersion },
        { kSchemas, QJsonArray::fromStringList(sorted.schemas) },
        { kRevisions, QJsonArray::fromStringList(sorted.revisions) },
        { kTables, tableArray },
        { kEnums, enumArray },
        { kViews, viewArray },
        { kSequences, sequenceArray },
    };
}

QByteArray CatalogSnapshot::toJsonText() const
{
    // The lists are sorted and the keys in a fixed order: the text is stable.
    QByteArray out;
    writeJson(out, toJson(), 0);
    return out + '\n';
}

Result<CatalogSnapshot> CatalogSnapshot::fromJson(const QJsonObject& object)
{
    JsonReader reader(QStringLiteral("schema snapshot"));
    if (object.value(kFormat).toInt(-1) != kFormatVersion)
        return Error::input(
            QStringLiteral("schema snapshot: unsupported 'format' (expected %1)").arg(kFormatVersion));
    CatalogSnapshot snapshot;
    snapshot.schemas = reader.strings(object, kSchemas);
    snapshot.revisions = reader.strings(object, kRevisions);
    const QJsonArray tables = reader.array(object, kTables);
    for (const QJsonValue& value : tables)
        snapshot.tables.append(tableFromJson(reader.objectAt(value, kTables), reader));
    const QJsonArray enums = reader.array(object, kEnums);
    for (const QJsonValue& value : enums) {
        const QJsonObject e = reader.objectAt(value, kEnums);
        snapshot.enums.append(
            CatalogEnum { reader.text(e, kSchema), reader.text(e, kName), reader.strings(e, kLabels) });
    }
    const QJsonArray views = reader.array(object, kViews);
    for (const QJsonValue& value : views) {
        const QJsonObject v = reader.objectAt(value, kViews);
        snapshot.views.append(CatalogView { reader.text(v, kSchema), reader.text(v, kName),
            reader.boolean(v, kMaterialized), reader.text(v, kDefinition) });
    }
    const QJsonArray sequences = reader.array(object, kSequences);
    for (const QJsonValue& value : sequences)
        snapshot.sequences.append(sequenceFromJson(reader.objectAt(value, kSequences), reader));
    if (!reader.ok())
        return Error::input(reader.error());
    snapshot.sort();
    return snapshot;
}

Result<CatalogSnapshot> CatalogSnapshot::readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read the schema snapshot: %1").arg(file.errorString()), path);
    return fromJsonText(file.readAll(), path);
}

Result<CatalogSnapshot> CatalogSnapshot::fromJsonText(const QByteArray& text, const QString& path)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return Error::input(QStringLiteral("not a schema snapshot (JSON error at offset %1: %2)")
                                .arg(parseError.offset)
                                .arg(parseError.errorString()),
            path);
    Result<CatalogSnapshot> snapshot = fromJson(document.object());
    if (!snapshot) {
        Error error = snapshot.error();
        error.file = path;
        return error;
    }
    return snapshot;
}

QStringList CatalogSnapshot::schemasAhead(const QByteArray& text)
{
    // toJsonText writes {"format": 1, "schemas": [...], ...}: the first
    // '"schemas"' is that member, its array the first [...] after it.
    const qsizetype key = text.indexOf(QByteArrayLiteral("\"schemas\""));
    if (key < 0 || key > 256)
        return {};
    const qsizetype open = text.indexOf('[', key);
    const qsizetype close = open < 0 ? -1 : text.indexOf(']', open);
    if (close < 0)
        return {};
    const QJsonDocument array = QJsonDocument::fromJson(text.mid(open, close - open + 1));
    QStringList schemas;
    for (const QJsonValue& value : array.array()) {
        if (!value.isString())
            return {};
        schemas.append(value.toString());
    }
    return schemas;
}

} // namespace dbops
