#include "database/VersionTable.h"

#include "connection/DatabaseConnection.h"

#include <QSqlQuery>

namespace dbops {

namespace {

// The table name as a dollar-quoted literal, whose meaning depends on no
// setting (unlike '...' and standard_conforming_strings): the statement then
// goes out as it is, one round trip, instead of PREPARE, EXECUTE and
// DEALLOCATE for a bound value.  The tag is one the text cannot close early.
QString dollarQuoted(const QString& text)
{
    QString tag = QStringLiteral("$dbops$");
    for (int n = 1; QString(text + tag).indexOf(tag) != text.size(); ++n)
        tag = QStringLiteral("$dbops%1$").arg(n);
    return tag + text + tag;
}

} // namespace

Result<VersionState> VersionTable::read(DatabaseConnection& connection, const QString& table)
{
    VersionState state;
    // to_regclass resolves through the search path and returns NULL when absent.
    Result<QSqlQuery> located = connection.exec(QStringLiteral(
        "SELECT c.oid::regclass::text, "
        "       (SELECT a.atttypmod - 4 FROM pg_catalog.pg_attribute a "
        "         WHERE a.attrelid = c.oid AND a.attname = 'version_num' AND NOT a.attisdropped) "
        "  FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(%1)")
                                                    .arg(dollarQuoted(table)));
    if (!located)
        return located.error();
    if (!located.value().next())
        return state;
    state.tableExists = true;
    const QString qualified = located.value().value(0).toString();
    state.columnWidth = std::max(0, located.value().value(1).toInt());
    // The name comes from the catalog (regclass::text quotes as needed), never from user text.
    Result<QSqlQuery> rows
        = connection.exec(QStringLiteral("SELECT version_num FROM %1 ORDER BY version_num").arg(qualified));
    if (!rows)
        return rows.error();
    while (rows.value().next())
        state.revisions.append(rows.value().value(0).toString());
    return state;
}

} // namespace dbops
