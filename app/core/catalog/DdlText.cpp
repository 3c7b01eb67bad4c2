#include "catalog/DdlText.h"

#include <QSet>

namespace dbops {

namespace {

using Kind = AuditItem::Kind;

/// PostgreSQL's reserved key words (and those reserved as names of tables,
/// columns and types), which an identifier must quote.
const QSet<QString>& reservedWords()
{
    static const QSet<QString> words = [] {
        QSet<QString> set;
        for (const char* word : { "all", "analyse", "analyze", "and", "any", "array", "as", "asc",
                 "asymmetric", "authorization", "binary", "both", "case", "cast", "check", "collate",
                 "collation", "column", "concurrently", "constraint", "create", "cross", "current_catalog",
                 "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
                 "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except",
                 "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having",
                 "ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral",
                 "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not",
                 "notnull", "null", "offset", "on", "only", "or", "order", "outer", "overlaps", "placing",
                 "primary", "references", "returning", "right", "select", "session_user", "similar", "some",
                 "symmetric", "table", "tablesample", "then", "to", "trailing", "true", "union", "unique",
                 "user", "using", "variadic", "verbose", "when", "where", "window", "with" })
            set.insert(QLatin1String(word));
        return set;
    }();
    return words;
}

bool isPlainIdentifier(const QString& name)
{
    if (name.isEmpty()
        || !(name.front() == QLatin1Char('_')
            || (name.front() >= QLatin1Char('a') && name.front() <= QLatin1Char('z'))))
        return false;
    for (const QChar c : name) {
        const bool plain = (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_')
            || c == QLatin1Char('$');
        if (!plain)
            return false;
    }
    return !reservedWords().contains(name);
}

const QLatin1String kOwnedBy(" OWNED BY ");
const QLatin1String kConstraintPrefix("CONSTRAINT ");
const QLatin1String kMaterializedPrefix("MATERIALIZED VIEW AS ");
const QLatin1String kViewPrefix("VIEW AS ");

} // namespace

QString DdlText::identifier(const QString& name)
{
    if (isPlainIdentifier(name))
        return name;
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString DdlText::qualified(const QString& schema, const QString& name)
{
    return identifier(schema) + QLatin1Char('.') + identifier(name);
}

QString DdlText::literal(const QString& text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString DdlText::columnDefinition(const QString& name, const QString& described)
{
    return identifier(name) + QLatin1Char(' ') + described;
}

QString DdlText::constraintClause(const QString& name, const QString& text)
{
    if (text.startsWith(kConstraintPrefix))
        return text;
    return kConstraintPrefix + identifier(name) + QLatin1Char(' ') + text;
}

QString DdlText::renamedConstraintName(const QString& text)
{
    if (!text.startsWith(kConstraintPrefix))
        return {};
    // The definition that follows the name starts with one of these key words
    // (pg_get_constraintdef); a name with a space in it stays whole.
    int end = -1;
    for (const char* keyword : { " PRIMARY KEY", " FOREIGN KEY", " UNIQUE", " CHECK", " EXCLUDE" }) {
        const int at = static_cast<int>(text.indexOf(QLatin1String(keyword), kConstraintPrefix.size()));
        if (at > 0 && (end < 0 || at < end))
            end = at;
    }
    if (end < 0)
        end = static_cast<int>(text.indexOf(QLatin1Char(' '), kConstraintPrefix.size()));
    return end < 0 ? QString() : text.mid(kConstraintPrefix.size(), end - kConstraintPrefix.size());
}

QString DdlText::indexName(const QString& definition)
{
    const int keyword = static_cast<int>(definition.indexOf(QLatin1String(" INDEX ")));
    if (keyword < 0)
        return {};
    const int start = keyword + 7;
    const int on = static_cast<int>(definition.indexOf(QLatin1String(" ON "), start));
    if (on < 0)
        return {};
    QString name = definition.mid(start, on - start);
    if (name.size() >= 2 && name.startsWith(QLatin1Char('"')) && name.endsWith(QLatin1Char('"')))
        name = name.mid(1, name.size() - 2).replace(QLatin1String("\"\""), QLatin1String("\""));
    return name;
}

QString DdlText::sequenceOptions(const QString& described)
{
    const int owned = static_cast<int>(described.indexOf(kOwnedBy));
    return owned < 0 ? described : described.left(owned);
}

QString DdlText::sequenceOwnerColumn(const QString& described)
{
    const int owned = static_cast<int>(described.indexOf(kOwnedBy));
    if (owned < 0)
        return {};
    // "OWNED BY table.column": the table is the item's owner, so the column
    // is what follows the last dot.
    const QString owner = described.mid(owned + kOwnedBy.size());
    return owner.mid(owner.lastIndexOf(QLatin1Char('.')) + 1);
}

QStringList DdlText::enumLabels(const QString& text)
{
    return text.isEmpty() ? QStringList() : text.split(QStringLiteral(", "));
}

QString DdlText::enumLabelList(const QString& text)
{
    QStringList quoted;
    for (const QString& label : enumLabels(text))
        quoted.append(literal(label));
    return QLatin1Char('(') + quoted.join(QStringLiteral(", ")) + QLatin1Char(')');
}

bool DdlText::isMaterializedView(const QString& text)
{
    return text.startsWith(kMaterializedPrefix);
}

QString DdlText::viewQuery(const QString& text)
{
    QString query
        = text.mid(isMaterializedView(text) ? kMaterializedPrefix.size()
                                            : (text.startsWith(kViewPrefix) ? kViewPrefix.size() : 0))
              .trimmed();
    while (query.endsWith(QLatin1Char(';')))
        query.chop(1);
    return query;
}

QString DdlText::createStatement(const AuditItem& item, const QString& text)
{
    const QString table = qualified(item.schema, item.table);
    switch (item.objectKind) {
    case Kind::Column:
        return QStringLiteral("ALTER TABLE %1 ADD COLUMN %2;").arg(table, columnDefinition(item.name, text));
    case Kind::Constraint:
        return QStringLiteral("ALTER TABLE %1 ADD %2;").arg(table, constraintClause(item.name, text));
    case Kind::Index:
        return text + QLatin1Char(';');
    case Kind::View:
        return QStringLiteral("CREATE %1 %2 AS\n%3;")
            .arg(isMaterializedView(text) ? QStringLiteral("MATERIALIZED VIEW") : QStringLiteral("VIEW"),
                qualified(item.schema, item.name), viewQuery(text));
    case Kind::Sequence: {
        QString statement = QStringLiteral("CREATE SEQUENCE %1 AS %2;")
                                .arg(qualified(item.schema, item.name), sequenceOptions(text));
        const QString column = sequenceOwnerColumn(text);
        if (!column.isEmpty())
            statement += QStringLiteral("\nALTER SEQUENCE %1 OWNED BY %2.%3;")
                             .arg(qualified(item.schema, item.name), table, identifier(column));
        return statement;
    }
    case Kind::Enum:
        return QStringLiteral("CREATE TYPE %1 AS ENUM %2;")
            .arg(qualified(item.schema, item.name), enumLabelList(text));
    case Kind::Table:
        break;
    }
    // A table is created from its parts (ObjectDefinition::tableStatement).
    return QStringLiteral("CREATE TABLE %1 ();").arg(qualified(item.schema, item.name));
}

} // namespace dbops
