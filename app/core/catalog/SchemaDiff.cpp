#include "catalog/SchemaDiff.h"

#include <QHash>
#include <algorithm>
#include <vector>

namespace dbops {

namespace {

using Kind = AuditItem::Kind;
using Status = AuditItem::Status;

/// An object reduced to what a comparison needs: its name, what must be
/// equal (`key`), and how to show it (`shown`, `shownWhenRenamed`).
struct Comparable
{
    QString name;
    QString key;
    QString shown;
    QString shownWhenRenamed;
};

Comparable comparable(const CatalogColumn& column)
{
    const QString described = column.describe();
    return Comparable { column.name, described, described, {} };
}

Comparable comparable(const CatalogIndex& index)
{
    // pg_get_indexdef names the index itself: the definition shows the name.
    return Comparable { index.name, SchemaDiff::normalizedIndexDefinition(index), index.definition,
        index.definition };
}

Comparable comparable(const CatalogConstraint& constraint)
{
    const QString definition = constraint.definition.simplified();
    return Comparable { constraint.name, constraint.type + QLatin1Char(':') + definition,
        constraint.definition,
        QStringLiteral("CONSTRAINT %1 %2").arg(constraint.name, constraint.definition) };
}

Comparable comparable(const CatalogEnum& e)
{
    const QString labels = e.labels.join(QStringLiteral(", "));
    return Comparable { e.name, labels, labels, {} };
}

Comparable comparable(const CatalogView& view)
{
    const QString shown
        = (view.materialized ? QStringLiteral("MATERIALIZED VIEW AS ") : QStringLiteral("VIEW AS "))
        + view.definition.simplified();
    return Comparable { view.name, shown, shown, {} };
}

Comparable comparable(const CatalogSequence& sequence)
{
    const QString described = sequence.describe();
    return Comparable { sequence.name, described, described, {} };
}

/// (schema, name) as one hash key; a NUL cannot occur in a PostgreSQL name.
QString qualifiedKey(const QString& schema, const QString& name)
{
    return schema + QChar(0) + name;
}

/// A snapshot's tables by (schema, name): 2,000 tables are compared in linear time.
QHash<QString, const CatalogTable*> tablesByName(const CatalogSnapshot& snapshot)
{
    QHash<QString, const CatalogTable*> tables;
    tables.reserve(snapshot.tables.size());
    for (const CatalogTable& table : snapshot.tables)
        tables.insert(qualifiedKey(table.schema, table.name), &table);
    return tables;
}

QString tableSummary(const CatalogTable& table)
{
    return QStringLiteral("%1, %2, %3")
        .arg(AuditItem::kindPlural(Kind::Column, static_cast<int>(table.columns.size())),
            AuditItem::kindPlural(Kind::Constraint, static_cast<int>(table.constraints.size())),
            AuditItem::kindPlural(Kind::Index, static_cast<int>(table.indexes.size())));
}

template<typename T> QList<Comparable> comparables(const QList<T>& objects)
{
    QList<Comparable> result;
    result.reserve(objects.size());
    for (const T& object : objects)
        result.append(comparable(object));
    return result;
}

template<typename T> QList<T> inSchema(const QList<T>& objects, const QString& schema)
{
    QList<T> result;
    for (const T& object : objects) {
        if (object.schema == schema)
            result.append(object);
    }
    return result;
}

class DiffBuilder
{
public:
    void add(Kind kind, const QString& schema, const QString& table, const QString& name, Status status,
        const QString& expected, const QString& actual)
    {
        m_report.items.append(AuditItem { kind, schema, table, name, status, expected, actual, false });
    }

    /// Matches by name; with `pairRenames`, what is left on both sides with
    /// the same key is one object under another name.
    void compare(Kind kind, const QString& schema, const QString& table, const QList<Comparable>& expected,
        QList<Comparable> actual, bool pairRenames)
    {
        QList<Comparable> missing;
        for (const Comparable& e : expected) {
            const auto match = std::find_if(
                actual.begin(), actual.end(), [&e](const Comparable& a) { return a.name == e.name; });
            if (match == actual.end()) {
                missing.append(e);
                continue;
            }
            add(kind, schema, table, e.name, match->key == e.key ? Status::Exists : Status::Differs, e.shown,
                match->shown);
            actual.erase(match);
        }
        for (const Comparable& m : std::as_const(missing)) {
            const auto renamed = pairRenames ? std::find_if(actual.begin(), actual.end(),
                                     [&m](const Comparable& a) { return a.key == m.key; })
                                             : actual.end();
            if (renamed == actual.end()) {
                add(kind, schema, table, m.name, Status::Missing, m.shown, {});
                continue;
            }
            add(kind, schema, table, m.name, Status::Differs, m.shownWhenRenamed, renamed->shownWhenRenamed);
            actual.erase(renamed);
        }
        for (const Comparable& a : std::as_const(actual))
            add(kind, schema, table, a.name, Status::Extra, {}, a.shown);
    }

    /// A table only one side has, with every part under the same status.
    void wholeTable(const CatalogTable& table, Status status)
    {
        const bool expected = status == Status::Missing;
        auto add_ = [&](Kind kind, const Comparable& c) {
            add(kind, table.schema, table.name, c.name, status, expected ? c.shown : QString(),
                expected ? QString() : c.shown);
            m_report.items.last().withTable = kind != Kind::Table;
        };
        add_(Kind::Table, Comparable { table.name, {}, tableSummary(table), {} });
        for (const CatalogColumn& column : table.columns)
            add_(Kind::Column, comparable(column));
        for (const CatalogConstraint& constraint : table.constraints)
            add_(Kind::Constraint, comparable(constraint));
        for (const CatalogIndex& index : table.indexes)
            add_(Kind::Index, comparable(index));
    }

    void tables(const CatalogSnapshot& expected, const CatalogSnapshot& actual)
    {
        const QHash<QString, const CatalogTable*> expectedTables = tablesByName(expected);
        const QHash<QString, const CatalogTable*> actualTables = tablesByName(actual);
        for (const CatalogTable& e : expected.tables) {
            const CatalogTable* a = actualTables.value(qualifiedKey(e.schema, e.name));
            if (!a) {
                wholeTable(e, Status::Missing);
                continue;
            }
            add(Kind::Table, e.schema, e.name, e.name, Status::Exists, tableSummary(e), tableSummary(*a));
            compare(Kind::Column, e.schema, e.name, comparables(e.columns), comparables(a->columns), false);
            compare(Kind::Constraint, e.schema, e.name, comparables(e.constraints),
                comparables(a->constraints), true);
            compare(Kind::Index, e.schema, e.name, comparables(e.indexes), comparables(a->indexes), true);
        }
        for (const CatalogTable& a : actual.tables) {
            if (!expectedTables.contains(qualifiedKey(a.schema, a.name)))
                wholeTable(a, Status::Extra);
        }
    }

    /// Schema-level objects, matched within each schema.
    template<typename T>
    void schemaObjects(
        Kind kind, const QList<T>& expected, const QList<T>& actual, const QStringList& schemas)
    {
        for (const QString& schema : schemas)
            compare(kind, schema, {}, comparables(inSchema(expected, schema)),
                comparables(inSchema(actual, schema)), false);
    }

    /// Views are owners of themselves: each is its own group.
    void views(const CatalogSnapshot& expected, const CatalogSnapshot& actual, const QStringList& schemas)
    {
        schemaObjects(Kind::View, expected.views, actual.views, schemas);
        for (AuditItem& item : m_report.items) {
            if (item.objectKind == Kind::View)
                item.table = item.name;
        }
    }

    /// A sequence a column owns is grouped under that column's table.
    void sequences(const CatalogSnapshot& expected, const CatalogSnapshot& actual, const QStringList& schemas)
    {
        const int first = static_cast<int>(m_report.items.size());
        schemaObjects(Kind::Sequence, expected.sequences, actual.sequences, schemas);
        auto ownersOf = [](const QList<CatalogSequence>& sequences) {
            QHash<QString, QString> owners;
            owners.reserve(sequences.size());
            for (const CatalogSequence& sequence : sequences)
                owners.insert(qualifiedKey(sequence.schema, sequence.name), sequence.ownerTable);
            return owners;
        };
        const QHash<QString, QString> expectedOwners = ownersOf(expected.sequences);
        const QHash<QString, QString> actualOwners = ownersOf(actual.sequences);
        for (int i = first; i < m_report.items.size(); ++i) {
            AuditItem& item = m_report.items[i];
            const QHash<QString, QString>& side
                = item.status == Status::Extra ? actualOwners : expectedOwners;
            const auto owner = side.constFind(qualifiedKey(item.schema, item.name));
            if (owner != side.constEnd())
                item.table = *owner;
        }
    }

    AuditReport finish()
    {
        // Sorted by (schema, table, kind, name), stable.  The (schema, table)
        // pairs are ranked first, a few thousand of them, so that the sort of
        // the items (60,000 for 2,000 tables) compares integers, not two
        // strings that are mostly equal.  Items come in runs of one table.
        QList<AuditItem>& items = m_report.items;
        QHash<QString, int> groupOf;
        QList<const AuditItem*> groups; // the first item of each (schema, table)
        std::vector<int> group(static_cast<size_t>(items.size()));
        for (qsizetype i = 0; i < items.size(); ++i) {
            const AuditItem& item = items.at(i);
            if (i > 0 && item.schema == items.at(i - 1).schema && item.table == items.at(i - 1).table) {
                group[static_cast<size_t>(i)] = group[static_cast<size_t>(i - 1)];
                continue;
            }
            const auto found = groupOf.constFind(qualifiedKey(item.schema, item.table));
            if (found != groupOf.constEnd()) {
                group[static_cast<size_t>(i)] = *found;
                continue;
            }
            group[static_cast<size_t>(i)] = static_cast<int>(groups.size());
            groupOf.insert(qualifiedKey(item.schema, item.table), static_cast<int>(groups.size()));
            groups.append(&item);
        }
        std::vector<int> byName(static_cast<size_t>(groups.size()));
        for (size_t g = 0; g < byName.size(); ++g)
            byName[g] = static_cast<int>(g);
        std::sort(byName.begin(), byName.end(), [&groups](int a, int b) {
            if (const int c = groups.at(a)->schema.compare(groups.at(b)->schema))
                return c < 0;
            return groups.at(a)->table.compare(groups.at(b)->table) < 0;
        });
        std::vector<int> rank(byName.size());
        for (size_t position = 0; position < byName.size(); ++position)
            rank[static_cast<size_t>(byName[position])] = static_cast<int>(position);

        std::vector<int> order(static_cast<size_t>(items.size()));
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = static_cast<int>(i);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            const int rankA = rank[static_cast<size_t>(group[static_cast<size_t>(a)])];
            const int rankB = rank[static_cast<size_t>(group[static_cast<size_t>(b)])];
            if (rankA != rankB)
                return rankA < rankB;
            const AuditItem& itemA = items.at(a);
            const AuditItem& itemB = items.at(b);
            if (itemA.objectKind != itemB.objectKind)
                return itemA.objectKind < itemB.objectKind;
            return itemA.name < itemB.name;
        });
        QList<AuditItem> sorted;
        sorted.reserve(items.size());
        for (const int i : order)
            sorted.append(std::move(items[i]));
        items = std::move(sorted);
        return std::move(m_report);
    }

private:
    AuditReport m_report;
};

} // namespace

QString SchemaDiff::normalizedIndexDefinition(const CatalogIndex& index)
{
    // "CREATE [UNIQUE] INDEX <name> ON ...": the name (quoted or not) ends at
    // the first " ON " after it, as a quoted name is at least as long as the raw one.
    const QString definition = index.definition.simplified();
    const int indexKeyword = static_cast<int>(definition.indexOf(QLatin1String(" INDEX ")));
    if (indexKeyword < 0)
        return definition;
    const int nameStart = indexKeyword + 7;
    const int on = static_cast<int>(definition.indexOf(QLatin1String(" ON "), nameStart + index.name.size()));
    if (on < 0)
        return definition;
    return definition.left(nameStart) + definition.mid(on + 1);
}

AuditReport SchemaDiff::compare(const CatalogSnapshot& expected, const CatalogSnapshot& actual)
{
    QStringList schemas = expected.schemas;
    for (const QString& schema : actual.schemas) {
        if (!schemas.contains(schema))
            schemas.append(schema);
    }
    DiffBuilder builder;
    builder.tables(expected, actual);
    builder.views(expected, actual, schemas);
    builder.sequences(expected, actual, schemas);
    builder.schemaObjects(Kind::Enum, expected.enums, actual.enums, schemas);
    return builder.finish();
}

} // namespace dbops
