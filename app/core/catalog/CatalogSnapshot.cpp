#include "catalog/CatalogSnapshot.h"

#include "catalog/SnapshotJsonReader.h"
#include "catalog/SnapshotJsonWriter.h"

#include <algorithm>
#include <tuple>

namespace dbops {

namespace {

// A sorted list is left alone: sorting detaches it, and a read's lists may
// share their elements with another snapshot's (CatalogReader::Options::sharedWith).
template<typename T> void sortByName(QList<T>& list)
{
    auto byName = [](const T& a, const T& b) { return a.name < b.name; };
    const QList<T>& constList = list;
    if (!std::is_sorted(constList.begin(), constList.end(), byName))
        std::sort(list.begin(), list.end(), byName);
}

template<typename T> void sortBySchemaAndName(QList<T>& list)
{
    auto bySchemaAndName
        = [](const T& a, const T& b) { return std::tie(a.schema, a.name) < std::tie(b.schema, b.name); };
    const QList<T>& constList = list;
    if (!std::is_sorted(constList.begin(), constList.end(), bySchemaAndName))
        std::sort(list.begin(), list.end(), bySchemaAndName);
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
    return SnapshotJsonWriter::toJson(*this);
}

QByteArray CatalogSnapshot::toJsonText() const
{
    return SnapshotJsonWriter::toJsonText(*this);
}

Result<CatalogSnapshot> CatalogSnapshot::fromJson(const QJsonObject& object)
{
    return SnapshotJsonReader::fromJson(object);
}

Result<CatalogSnapshot> CatalogSnapshot::readFile(const QString& path)
{
    return SnapshotJsonReader::readFile(path);
}

Result<CatalogSnapshot> CatalogSnapshot::fromJsonText(const QByteArray& text, const QString& path)
{
    return SnapshotJsonReader::fromJsonText(text, path);
}

QStringList CatalogSnapshot::schemasAhead(const QByteArray& text)
{
    return SnapshotJsonReader::schemasAhead(text);
}

} // namespace dbops
