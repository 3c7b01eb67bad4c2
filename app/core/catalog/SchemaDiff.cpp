#include "catalog/SchemaDiff.h"

#include <QHash>
#include <QRegularExpression>
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
    /// An INVALID index: DIFFERS even when nothing expects it.
    bool invalid = false;
};

/// How a part of a table shows when it EXISTS (Comparable::shown).
QString shownAlone(const CatalogColumn& column)
{
    return column.describe();
}
QString shownAlone(const CatalogIndex& index)
{
    return index.valid ? index.definition : index.definition + SchemaDiff::invalidIndexDetail();
}
QString shownAlone(const CatalogConstraint& constraint)
{
    return constraint.definition;
}

Comparable comparable(const CatalogColumn& column)
{
    const QString described = column.describe();
    return Comparable { column.name, described, described, {} };
}

Comparable comparable(const CatalogIndex& index)
{
    // pg_get_indexdef names the index itself: the definition shows the name.
    // An INVALID index never equals the valid one the migrations build.
    if (!index.valid) {
        const QString shown = shownAlone(index);
        return Comparable { index.name, shown, shown, shown, true };
    }
    return Comparable { index.name, SchemaDiff::normalizedIndexDefinition(index), index.definition,
        index.definition };
}

Comparable comparable(const CatalogConstraint& constraint)
{
    const QString definition = SchemaDiff::normalizedConstraintDefinition(constraint.definition);
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
            add(kind, schema, table, a.name, a.invalid ? Status::Differs : Status::Extra, {}, a.shown);
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
        for (const CatalogIndex& index : table.indexes) {
            const Comparable c = comparable(index);
            add_(Kind::Index, c);
            if (c.invalid)
                m_report.items.last().status
                    = Status::Differs; // listed with its EXTRA table, still a problem
        }
    }

    /// The items of the table (schema, name) on either side; nullptr where a side lacks it.
    void table(const CatalogTable* e, const CatalogTable* a)
    {
        if (e && !a) {
            wholeTable(*e, Status::Missing);
            return;
        }
        if (!e) {
            wholeTable(*a, Status::Extra);
            return;
        }
        add(Kind::Table, e->schema, e->name, e->name, Status::Exists, tableSummary(*e), tableSummary(*a));
        parts(Kind::Column, *e, e->columns, a->columns, false);
        parts(Kind::Constraint, *e, e->constraints, a->constraints, true);
        parts(Kind::Index, *e, e->indexes, a->indexes, true);
    }

    /// One kind of a table's parts.  The reader shares a list with head.json's
    /// where the two are equal (CatalogSnapshotBuilder): one list, every part
    /// EXISTS, compared without being described twice.
    template<typename T>
    void parts(Kind kind, const CatalogTable& owner, const QList<T>& expected, const QList<T>& actual,
        bool pairRenames)
    {
        if (expected.isSharedWith(actual)) {
            for (const T& part : expected) {
                const QString shown = shownAlone(part);
                add(kind, owner.schema, owner.name, part.name, Status::Exists, shown, shown);
            }
            return;
        }
        compare(kind, owner.schema, owner.name, comparables(expected), comparables(actual), pairRenames);
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

    QList<AuditItem>& items() { return m_report.items; }

private:
    AuditReport m_report;
};

} // namespace

QString SchemaDiff::invalidIndexDetail()
{
    return QStringLiteral(" -- invalid");
}

QString SchemaDiff::normalizedConstraintDefinition(const QString& definition)
{
    // PostgreSQL deparses `col IN ('a', 'b')` on a varchar column as
    // `col::text = ANY (ARRAY['a'::character varying, ...]::text[])`; that
    // text, run again (a restored dump, the corrective SQL), deparses as
    // `ARRAY['a'::character varying::text, ...]`.  Both mean the same: the
    // comparison sees one form.
    static const QRegularExpression innerTextCast(QStringLiteral("(::[a-z ]+(?:\\(\\d+\\))?)::text\\b"));
    static const QRegularExpression arrayTextCast(QStringLiteral("\\]::text\\[\\]"));
    QString text = definition.simplified();
    text.replace(innerTextCast, QStringLiteral("\\1"));
    text.replace(arrayTextCast, QStringLiteral("]"));
    return text;
}

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

void SchemaDiff::compareByOwner(const CatalogSnapshot& expected, const CatalogSnapshot& actual,
    const std::function<void(QList<AuditItem>&)>& group)
{
    QStringList schemas = expected.schemas;
    for (const QString& schema : actual.schemas) {
        if (!schemas.contains(schema))
            schemas.append(schema);
    }
    // The schema-level objects (views, sequences, enums) are few: compared up
    // front, then handed out with the owner each is grouped under.
    DiffBuilder schemaLevel;
    schemaLevel.views(expected, actual, schemas);
    schemaLevel.sequences(expected, actual, schemas);
    schemaLevel.schemaObjects(Kind::Enum, expected.enums, actual.enums, schemas);

    // Every owner, (schema, table): one group of the report each.
    struct Owner
    {
        QString schema;
        QString table;
        const CatalogTable* expected = nullptr;
        const CatalogTable* actual = nullptr;
        QList<AuditItem> schemaLevel; // in the order compared
    };
    std::vector<Owner> owners;
    QHash<QString, size_t> ownerOf;
    auto ownerFor = [&](const QString& schema, const QString& table) -> Owner& {
        const QString key = qualifiedKey(schema, table);
        const auto found = ownerOf.constFind(key);
        if (found != ownerOf.constEnd())
            return owners[*found];
        ownerOf.insert(key, owners.size());
        owners.push_back(Owner { schema, table, nullptr, nullptr, {} });
        return owners.back();
    };
    owners.reserve(static_cast<size_t>(expected.tables.size() + 16));
    ownerOf.reserve(expected.tables.size() + 16);
    for (const CatalogTable& table : expected.tables)
        ownerFor(table.schema, table.name).expected = &table;
    for (const CatalogTable& table : actual.tables)
        ownerFor(table.schema, table.name).actual = &table;
    for (AuditItem& item : schemaLevel.items())
        ownerFor(item.schema, item.table).schemaLevel.append(std::move(item));
    schemaLevel.items().clear();

    // The report's order: by (schema, owner), then kind and name, stably
    // (QString's order, as the whole report's sort had it).
    std::vector<const Owner*> order;
    order.reserve(owners.size());
    for (const Owner& owner : owners)
        order.push_back(&owner);
    std::sort(order.begin(), order.end(), [](const Owner* a, const Owner* b) {
        if (const int c = a->schema.compare(b->schema))
            return c < 0;
        return a->table.compare(b->table) < 0;
    });
    ownerOf.clear();
    for (const Owner* owner : order) {
        DiffBuilder builder;
        if (owner->expected || owner->actual)
            builder.table(owner->expected, owner->actual);
        QList<AuditItem>& items = builder.items();
        items.append(owner->schemaLevel);
        std::stable_sort(items.begin(), items.end(), [](const AuditItem& a, const AuditItem& b) {
            if (a.objectKind != b.objectKind)
                return a.objectKind < b.objectKind;
            return a.name < b.name;
        });
        group(items);
    }
}

AuditReport SchemaDiff::compare(const CatalogSnapshot& expected, const CatalogSnapshot& actual)
{
    AuditReport report;
    compareByOwner(expected, actual, [&report](QList<AuditItem>& items) {
        if (report.items.isEmpty())
            report.items = std::move(items);
        else
            report.items.append(items);
    });
    return report;
}

} // namespace dbops
