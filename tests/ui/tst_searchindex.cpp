// Search Everywhere's matching (ui/search/SearchIndex): no widget, no server.
#include "SearchIndex.h"
#include "migrations/MigrationFileParser.h"
#include "migrations/RevisionGraph.h"

#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

Revision revision(const QString& id, const QString& parent, const QString& message)
{
    const QString text = QStringLiteral("-- revision: %1\n-- down_revision: %2\n-- message: %3\n\n"
                                        "-- +upgrade\nSELECT 1;\n\n-- +downgrade\nSELECT 1;\n")
                             .arg(id, parent.isEmpty() ? QStringLiteral("none") : parent, message);
    Result<Revision> parsed = MigrationFileParser::parseText(text, id + QStringLiteral(".sql"));
    if (!parsed)
        qFatal("bad test revision: %s", qPrintable(parsed.error().toString()));
    return parsed.value();
}

// Oldest first: abc123 <- def456 <- 0abc99 <- abd777.
RevisionGraph history()
{
    RevisionList revisions;
    revisions.append(revision(QStringLiteral("abc123"), QString(), QStringLiteral("create users")));
    revisions.append(revision(
        QStringLiteral("def456"), QStringLiteral("abc123"), QStringLiteral("add ABC column to users")));
    revisions.append(
        revision(QStringLiteral("0abc99"), QStringLiteral("def456"), QStringLiteral("index email")));
    revisions.append(
        revision(QStringLiteral("abd777"), QStringLiteral("0abc99"), QStringLiteral("drop legacy")));
    Result<RevisionGraph> graph = RevisionGraph::build(revisions);
    if (!graph)
        qFatal("bad test graph: %s", qPrintable(graph.error().toString()));
    return graph.value();
}

AuditItem item(AuditItem::Kind kind, const QString& table, const QString& name, AuditItem::Status status)
{
    AuditItem result;
    result.objectKind = kind;
    result.schema = QStringLiteral("public");
    result.table = table;
    result.name = name;
    result.status = status;
    return result;
}

AuditReport report()
{
    using Kind = AuditItem::Kind;
    using Status = AuditItem::Status;
    AuditReport result;
    result.items = QList<AuditItem> {
        item(Kind::Enum, QString(), QStringLiteral("user_role"), Status::Exists), // 0
        item(Kind::Table, QStringLiteral("users"), QStringLiteral("users"), Status::Exists), // 1
        item(Kind::Column, QStringLiteral("users"), QStringLiteral("email"), Status::Missing), // 2
        item(Kind::Constraint, QStringLiteral("users"), QStringLiteral("users_pkey"), Status::Exists), // 3
        item(Kind::Index, QStringLiteral("users"), QStringLiteral("ix_users_email"), Status::Extra), // 4
        item(Kind::Table, QStringLiteral("orders"), QStringLiteral("orders"), Status::Missing), // 5
        item(Kind::Column, QStringLiteral("orders"), QStringLiteral("email"), Status::Differs), // 6
    };
    return result;
}

QStringList revisionIds(const SearchGroup& group)
{
    QStringList ids;
    for (const SearchHit& hit : group.hits)
        ids.append(hit.revision);
    return ids;
}

QList<int> auditItems(const SearchGroup& group)
{
    QList<int> items;
    for (const SearchHit& hit : group.hits)
        items.append(hit.auditItem);
    return items;
}

} // namespace

class TestSearchIndex : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void revisionsByIdPrefixThenMessage()
    {
        const RevisionGraph graph = history();
        SearchIndex index;
        index.setRevisions(&graph);
        QCOMPARE(index.revisionCount(), 4);
        // Id prefixes first (newest first), then messages; "0abc99" has "abc"
        // inside its id, not at the start: no hit.
        SearchResults results = index.search(QStringLiteral("ABC"));
        QCOMPARE(revisionIds(results.revisions),
            (QStringList { QStringLiteral("abc123"), QStringLiteral("def456") }));
        QCOMPARE(results.revisions.total, 2);
        QCOMPARE(results.revisions.hits.at(1).message, QStringLiteral("add ABC column to users"));
        QCOMPARE(results.revisions.hits.at(0).kind, SearchHit::Kind::Revision);

        results = index.search(QStringLiteral("ab"));
        QCOMPARE(revisionIds(results.revisions),
            (QStringList { QStringLiteral("abd777"), QStringLiteral("abc123"), QStringLiteral("def456") }));
        results = index.search(QStringLiteral("  users "));
        QCOMPARE(revisionIds(results.revisions),
            (QStringList { QStringLiteral("def456"), QStringLiteral("abc123") }));
        QCOMPARE(index.search(QStringLiteral("nothing like it")).total(), 0);
    }

    void auditObjectsByNameExactFirst()
    {
        SearchIndex index;
        index.setAudit(report());
        QCOMPARE(index.auditObjectCount(), 7);
        SearchResults results = index.search(QStringLiteral("USERS"));
        // The table itself, then names that start with it, then the rest.
        QCOMPARE(auditItems(results.auditObjects), (QList<int> { 1, 3, 4 }));
        const SearchHit& table = results.auditObjects.hits.at(0);
        QCOMPARE(table.kind, SearchHit::Kind::AuditObject);
        QCOMPARE(table.objectKind, AuditItem::Kind::Table);
        QCOMPARE(table.owner, QStringLiteral("public"));
        QCOMPARE(results.auditObjects.hits.at(2).status, AuditItem::Status::Extra);

        results = index.search(QStringLiteral("email"));
        QCOMPARE(auditItems(results.auditObjects), (QList<int> { 2, 6, 4 }));
        QCOMPARE(results.auditObjects.hits.at(0).owner, QStringLiteral("public.users"));
        QCOMPARE(results.auditObjects.hits.at(0).status, AuditItem::Status::Missing);
        QCOMPARE(results.auditObjects.hits.at(1).status, AuditItem::Status::Differs);

        // With a dot: the table's column, not the other table's.
        results = index.search(QStringLiteral("orders.email"));
        QCOMPARE(auditItems(results.auditObjects), (QList<int> { 6 }));
        results = index.search(QStringLiteral("public.user_role"));
        QCOMPARE(auditItems(results.auditObjects), (QList<int> { 0 }));
        QCOMPARE(results.auditObjects.hits.at(0).owner, QStringLiteral("public"));
    }

    void sqlLinesWithLineNumbers()
    {
        SearchIndex index;
        index.setSql(QStringLiteral("BEGIN;\n"
                                    "CREATE TABLE users (id int);\n"
                                    "\n"
                                    "ALTER TABLE users ADD COLUMN email text; -- users\n"
                                    "COMMIT;"));
        QCOMPARE(index.sqlLineCount(), 5);
        const SearchResults results = index.search(QStringLiteral("Users"));
        // One hit per line, at its first match; 0-based lines.
        QCOMPARE(results.sqlLines.total, 2);
        QCOMPARE(results.sqlLines.hits.size(), 2);
        const SearchHit& create = results.sqlLines.hits.at(0);
        QCOMPARE(create.kind, SearchHit::Kind::SqlLine);
        QCOMPARE(create.line, 1);
        QCOMPARE(create.column, 13);
        QCOMPARE(create.length, 5);
        QCOMPARE(create.text, QStringLiteral("CREATE TABLE users (id int);"));
        QCOMPARE(results.sqlLines.hits.at(1).line, 3);
        QCOMPARE(results.sqlLines.hits.at(1).column, 12);
        // The last line has no line break after it.
        const SearchResults last = index.search(QStringLiteral("commit"));
        QCOMPARE(last.sqlLines.total, 1);
        QCOMPARE(last.sqlLines.hits.at(0).line, 4);
        QCOMPARE(last.sqlLines.hits.at(0).text, QStringLiteral("COMMIT;"));
    }

    void limitKeepsTheTotals()
    {
        QString sql;
        for (int i = 0; i < 120; ++i)
            sql += QStringLiteral("INSERT INTO t VALUES (%1);\n").arg(i);
        SearchIndex index;
        index.setSql(sql);
        const SearchResults results = index.search(QStringLiteral("insert"), 10);
        QCOMPARE(results.sqlLines.total, 120);
        QCOMPARE(results.sqlLines.hits.size(), 10);
        QCOMPARE(results.sqlLines.hits.last().line, 9);
        QCOMPARE(results.total(), 120);
    }

    void emptyQueryAndClearFindNothing()
    {
        const RevisionGraph graph = history();
        SearchIndex index;
        index.setRevisions(&graph);
        index.setAudit(report());
        index.setSql(QStringLiteral("SELECT 1;\n"));
        QCOMPARE(index.search(QString()).total(), 0);
        QCOMPARE(index.search(QStringLiteral("   ")).total(), 0);
        QVERIFY(index.search(QStringLiteral("e")).total() > 0);
        index.clear();
        QCOMPARE(index.search(QStringLiteral("e")).total(), 0);
        QCOMPARE(index.revisionCount() + index.auditObjectCount() + index.sqlLineCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSearchIndex)
#include "tst_searchindex.moc"
