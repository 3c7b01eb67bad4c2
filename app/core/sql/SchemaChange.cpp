#include "sql/SchemaChange.h"

namespace dbops {

namespace {

QString qualified(const QString& schema, const QString& name)
{
    return schema.isEmpty() ? name : schema + QLatin1Char('.') + name;
}

} // namespace

QString SchemaChange::describe() const
{
    using K = Kind;
    const QString relation = qualified(schema, table);
    auto word = [this](const char* fallback) -> QString {
        return detail.isEmpty() ? QString(QLatin1String(fallback)) : detail;
    };
    switch (kind) {
    case K::CreateTable:
    case K::DropTable:
        return word("table") + QLatin1Char(' ') + relation;
    case K::AddColumn:
    case K::DropColumn:
    case K::AlterColumnType:
        return QStringLiteral("column ") + relation + QLatin1Char('.') + name;
    case K::CreateIndex:
    case K::DropIndex:
        // An index lives in its table's schema; DROP INDEX names only the index.
        if (table.isEmpty())
            return QStringLiteral("index ") + qualified(schema, name);
        return (name.isEmpty() ? QStringLiteral("index") : QStringLiteral("index ") + name)
            + QStringLiteral(" on ") + relation;
    case K::AddConstraint:
    case K::DropConstraint:
        // An unnamed ADD PRIMARY KEY ... gets its name from the server.
        if (name.isEmpty())
            return word("constraint") + QStringLiteral(" on ") + relation;
        return word("constraint") + QLatin1Char(' ') + name + QStringLiteral(" on ") + relation;
    case K::CreateView:
    case K::DropView:
        return word("view") + QLatin1Char(' ') + relation;
    case K::CreateSequence:
    case K::DropSequence:
        return QStringLiteral("sequence ") + relation;
    case K::CreateType:
    case K::DropType:
        return word("type") + QLatin1Char(' ') + qualified(schema, name);
    case K::CreateFunction:
    case K::DropFunction:
        return word("function") + QLatin1Char(' ') + qualified(schema, name);
    case K::RenameTable:
        return word("table") + QLatin1Char(' ') + relation + QStringLiteral(" to ") + newName;
    case K::RenameColumn:
        return QStringLiteral("column ") + relation + QLatin1Char('.') + name + QStringLiteral(" to ")
            + newName;
    case K::CreateSchema:
    case K::DropSchema:
        return QStringLiteral("schema ") + schema;
    case K::Other:
        return detail;
    }
    return detail;
}

bool SchemaChange::createsObject() const
{
    switch (kind) {
    case Kind::CreateTable:
    case Kind::AddColumn:
    case Kind::CreateIndex:
    case Kind::AddConstraint:
    case Kind::CreateView:
    case Kind::CreateType:
    case Kind::CreateSequence:
    case Kind::CreateFunction:
    case Kind::CreateSchema:
        return true;
    default:
        return false;
    }
}

bool SchemaChange::removesData() const
{
    switch (kind) {
    case Kind::DropTable:
        return detail != QLatin1String("foreign table"); // its rows live on the foreign server
    case Kind::DropColumn:
        return true;
    case Kind::DropSchema:
    case Kind::DropType:
        return cascade;
    default:
        return false;
    }
}

} // namespace dbops
