// Schema audit core on a real server: CatalogReader, CatalogSnapshot JSON,
// SchemaDiff, ShadowDatabase / ShadowReplay.  Runs through
// tests/with-postgres.sh, which sets DBOPS_TEST_PG_URL.
#include "catalog/AuditReportFormatter.h"
#include "catalog/CatalogReader.h"
#include "catalog/SchemaDiff.h"
#include "catalog/ShadowDatabase.h"
#include "catalog/ShadowReplay.h"
#include "connection/DatabaseConnection.h"
#include "migrations/MigrationRepository.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QtTest>

using namespace dbops;

namespace {

// A small schema with one of everything the reader knows, plus what it must
// leave out: the version table, the run journal (and its sequence), another schema.
const char* const kSmallSchema[] = {
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
    "CREATE SEQUENCE invoice_numbers AS integer START 1000 INCREMENT 10",
    "CREATE TABLE customers ("
    "  id bigserial PRIMARY KEY,"
    "  email varchar(255) NOT NULL,"
    "  balance numeric(12, 2) NOT NULL DEFAULT 0,"
    "  mood mood DEFAULT 'ok',"
    "  tags text[],"
    "  code integer GENERATED ALWAYS AS IDENTITY,"
    "  CONSTRAINT uq_customers_email UNIQUE (email),"
    "  CONSTRAINT ck_customers_balance CHECK (balance >= 0))",
    "CREATE TABLE orders ("
    "  id integer PRIMARY KEY,"
    "  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,"
    "  placed_at timestamptz NOT NULL DEFAULT now(),"
    "  total numeric(10, 2),"
    "  during tstzrange,"
    "  EXCLUDE USING gist (during WITH &&))",
    "CREATE INDEX ix_orders_customer_latest ON orders (customer_id, placed_at DESC) WHERE total IS NOT NULL",
    "CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100",
    "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY "
    "KEY (version_num))",
    "CREATE TABLE dbops_journal (id serial PRIMARY KEY, note text)",
    "CREATE SCHEMA other",
    "CREATE TABLE other.hidden (id integer)",
};

QString testUrl()
{
    return qEnvironmentVariable("DBOPS_TEST_PG_URL");
}

ConnectionSettings serverSettings()
{
    return *ConnectionSettings::parse(testUrl());
}

std::unique_ptr<DatabaseConnection> openDatabase(const QString& database = QStringLiteral("postgres"))
{
    ConnectionSettings settings = serverSettings();
    settings.setValue(QStringLiteral("dbname"), database);
    Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(settings);
    if (!connection)
        qFatal("cannot connect: %s", qUtf8Printable(connection.error().toString()));
    return std::move(connection).value();
}

/// A fresh database for one test, dropped first if a previous run left it.
std::unique_ptr<DatabaseConnection> freshDatabase(const QString& name)
{
    std::unique_ptr<DatabaseConnection> admin = openDatabase();
    admin->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
    if (!admin->exec(QStringLiteral("CREATE DATABASE %1").arg(name)))
        qFatal("cannot create %s", qUtf8Printable(name));
    return openDatabase(name);
}

bool run(DatabaseConnection& db, const QString& sql)
{
    Result<QSqlQuery> result = db.exec(sql);
    if (!result)
        qWarning("%s\n  in: %s", qUtf8Printable(result.error().toString()), qUtf8Printable(sql));
    return result.ok();
}

bool createSmallSchema(DatabaseConnection& db)
{
    for (const char* statement : kSmallSchema) {
        if (!run(db, QString::fromUtf8(statement)))
            return false;
    }
    return true;
}

QStringList shadowDatabases()
{
    std::unique_ptr<DatabaseConnection> admin = openDatabase();
    Result<QSqlQuery> rows
        = admin->exec(QStringLiteral("SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1"),
            QVariantList { QString(QLatin1String(ShadowDatabase::kNamePrefix) + QStringLiteral("%")) });
    QStringList names;
    while (rows && rows.value().next())
        names.append(rows.value().value(0).toString());
    return names;
}

QStringList names(const QList<CatalogColumn>& columns)
{
    QStringList result;
    for (const CatalogColumn& c : columns)
        result.append(c.name);
    return result;
}

const AuditItem* findItem(
    const AuditReport& report, AuditItem::Kind kind, const QString& table, const QString& name)
{
    for (const AuditItem& item : report.items) {
        if (item.objectKind == kind && item.table == table && item.name == name)
            return &item;
    }
    return nullptr;
}

QString repositoryDirectory(const char* name)
{
    return QStringLiteral(DBOPS_TEST_DATA_DIR "/cli/") + QLatin1String(name);
}

/// The first two columns of `sql`'s rows, by the first; the query is done
/// when it returns (the reader needs the connection idle).
QMap<QString, QString> textsByName(DatabaseConnection& db, const QString& sql)
{
    QMap<QString, QString> texts;
    Result<QSqlQuery> query = db.exec(sql);
    if (!query) {
        qWarning("%s", qPrintable(query.error().toString()));
        return texts;
    }
    while (query.value().next())
        texts.insert(query.value().value(0).toString(), query.value().value(1).toString());
    return texts;
}

/// Reads `db` split over two connections and alone: each table's `parts`
/// have the definitions `expected` gives their names, every one of them, and
/// with `asked` >= 0 that many were asked of the server instead of composed.
template<typename Part>
void readDefinitionsEqual(DatabaseConnection& db, const QMap<QString, QString>& expected,
    QList<Part> CatalogTable::*parts, int asked = -1)
{
    CatalogReader::Options alone;
    alone.helperConnection = false;
    for (const CatalogReader::Options& options : { CatalogReader::Options(), alone }) {
        CatalogReader::Statistics statistics;
        Result<CatalogSnapshot> read = CatalogReader::read(db, options, &statistics);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().toString()));
        int compared = 0;
        for (const CatalogTable& table : read->tables) {
            for (const Part& part : table.*parts) {
                QCOMPARE(part.definition, expected.value(part.name));
                ++compared;
            }
        }
        QCOMPARE(compared, expected.size());
        if (asked >= 0)
            QCOMPARE(statistics.definitionsAsked, asked);
    }
}

} // namespace

class TestCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        if (testUrl().isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (run through tests/with-postgres.sh)");
    }

    void snapshotOfASmallSchemaIsExact()
    {
        std::unique_ptr<DatabaseConnection> db = freshDatabase(QStringLiteral("catalog_small"));
        QVERIFY(createSmallSchema(*db));
        Result<CatalogSnapshot> read = CatalogReader::read(*db);
        QVERIFY2(read, qPrintable(read.error().toString()));
        const CatalogSnapshot& s = *read;

        QCOMPARE(s.schemas, QStringList { QStringLiteral("public") });
        QCOMPARE(s.tables.size(), 2); // not alembic_version, dbops_journal or other.hidden
        const CatalogTable* customers = s.table(QStringLiteral("public"), QStringLiteral("customers"));
        const CatalogTable* orders = s.table(QStringLiteral("public"), QStringLiteral("orders"));
        QVERIFY(customers && orders);

        // Columns sorted by name, the type with its modifier, the default as the server prints it.
        QCOMPARE(names(customers->columns),
            (QStringList { QStringLiteral("balance"), QStringLiteral("code"), QStringLiteral("email"),
                QStringLiteral("id"), QStringLiteral("mood"), QStringLiteral("tags") }));
        auto column = [](const CatalogTable* t, const char* name) { return *t->column(QLatin1String(name)); };
        QCOMPARE(column(customers, "balance").describe(), QStringLiteral("numeric(12,2) NOT NULL DEFAULT 0"));
        QCOMPARE(column(customers, "code").describe(),
            QStringLiteral("integer GENERATED ALWAYS AS IDENTITY NOT NULL"));
        QCOMPARE(column(customers, "code").identity, QStringLiteral("always"));
        QCOMPARE(column(customers, "email").type, QStringLiteral("character varying(255)"));
        QVERIFY(!column(customers, "email").nullable);
        QCOMPARE(column(customers, "id").type, QStringLiteral("bigint"));
        QCOMPARE(column(customers, "id").defaultExpression,
            QStringLiteral("nextval('public.customers_id_seq'::regclass)"));
        QCOMPARE(column(customers, "mood").type, QStringLiteral("public.mood"));
        QVERIFY(column(customers, "mood").nullable);
        QCOMPARE(column(customers, "mood").defaultExpression, QStringLiteral("'ok'::public.mood"));
        QCOMPARE(column(customers, "tags").type, QStringLiteral("text[]"));
        QCOMPARE(column(orders, "placed_at").describe(),
            QStringLiteral("timestamp with time zone NOT NULL DEFAULT now()"));
        QCOMPARE(column(orders, "total").describe(), QStringLiteral("numeric(10,2) NULL"));

        // Constraints of every type; indexes behind constraints are not listed twice.
        QCOMPARE(customers->constraints.size(), 3);
        QCOMPARE(customers->constraints[0].name, QStringLiteral("ck_customers_balance"));
        QCOMPARE(customers->constraints[0].type, QStringLiteral("check"));
        QCOMPARE(customers->constraints[0].definition, QStringLiteral("CHECK (balance >= 0::numeric)"));
        QCOMPARE(customers->constraints[1].name, QStringLiteral("customers_pkey"));
        QCOMPARE(customers->constraints[1].type, QStringLiteral("primary key"));
        QCOMPARE(customers->constraints[1].definition, QStringLiteral("PRIMARY KEY (id)"));
        QCOMPARE(customers->constraints[2].name, QStringLiteral("uq_customers_email"));
        QCOMPARE(customers->constraints[2].type, QStringLiteral("unique"));
        QCOMPARE(customers->constraints[2].definition, QStringLiteral("UNIQUE (email)"));
        QVERIFY(customers->indexes.isEmpty());

        QCOMPARE(orders->constraints.size(), 3);
        QCOMPARE(orders->constraints[0].name, QStringLiteral("orders_customer_id_fkey"));
        QCOMPARE(orders->constraints[0].type, QStringLiteral("foreign key"));
        QCOMPARE(orders->constraints[0].definition,
            QStringLiteral("FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE"));
        QCOMPARE(orders->constraints[1].name, QStringLiteral("orders_during_excl"));
        QCOMPARE(orders->constraints[1].type, QStringLiteral("exclusion"));
        QCOMPARE(orders->constraints[1].definition, QStringLiteral("EXCLUDE USING gist (during WITH &&)"));
        QCOMPARE(orders->constraints[2].type, QStringLiteral("primary key"));
        QCOMPARE(orders->indexes.size(), 1);
        QCOMPARE(orders->indexes[0].name, QStringLiteral("ix_orders_customer_latest"));
        QCOMPARE(orders->indexes[0].definition,
            QStringLiteral(
                "CREATE INDEX ix_orders_customer_latest ON public.orders USING btree (customer_id, "
                "placed_at DESC) WHERE (total IS NOT NULL)"));

        QCOMPARE(s.enums.size(), 1);
        QCOMPARE(s.enums[0].name, QStringLiteral("mood"));
        QCOMPARE(s.enums[0].labels,
            (QStringList { QStringLiteral("sad"), QStringLiteral("ok"), QStringLiteral("happy") }));

        QCOMPARE(s.views.size(), 1);
        QCOMPARE(s.views[0].name, QStringLiteral("big_orders"));
        QVERIFY(!s.views[0].materialized);
        // PostgreSQL 15 prints "orders.id", 16 and later "id".
        QCOMPARE(s.views[0].definition.simplified().remove(QStringLiteral("orders.")),
            QStringLiteral("SELECT id, total FROM public.orders WHERE total > 100::numeric;"));

        // Serial and identity sequences with their owners, the free one without;
        // dbops_journal_id_seq goes with its table.
        QCOMPARE(s.sequences.size(), 3);
        QCOMPARE(s.sequences[0].name, QStringLiteral("customers_code_seq"));
        QCOMPARE(s.sequences[0].ownerTable, QStringLiteral("customers"));
        QCOMPARE(s.sequences[0].ownerColumn, QStringLiteral("code"));
        QCOMPARE(s.sequences[1].name, QStringLiteral("customers_id_seq"));
        QCOMPARE(s.sequences[1].describe(),
            QStringLiteral("bigint START 1 INCREMENT 1 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1 OWNED "
                           "BY customers.id"));
        QCOMPARE(s.sequences[2].name, QStringLiteral("invoice_numbers"));
        QCOMPARE(s.sequences[2].describe(),
            QStringLiteral("integer START 1000 INCREMENT 10 MINVALUE 1 MAXVALUE 2147483647 CACHE 1"));
        QVERIFY(s.sequences[2].ownerTable.isEmpty());

        // Another schema is read when asked for.
        Result<CatalogSnapshot> other = CatalogReader::read(*db, QStringList { QStringLiteral("other") });
        QVERIFY(other);
        QCOMPARE(other->tables.size(), 1);
        QCOMPARE(other->tables[0].schema, QStringLiteral("other"));
        QCOMPARE(other->tables[0].name, QStringLiteral("hidden"));
    }

    void jsonIsStableAndRoundTrips()
    {
        std::unique_ptr<DatabaseConnection> db = freshDatabase(QStringLiteral("catalog_json"));
        QVERIFY(createSmallSchema(*db));
        Result<CatalogSnapshot> read = CatalogReader::read(*db);
        QVERIFY(read);
        const QByteArray text = read->toJsonText();
        QVERIFY(text.endsWith('\n'));

        const Result<CatalogSnapshot> parsed
            = CatalogSnapshot::fromJson(QJsonDocument::fromJson(text).object());
        QVERIFY2(parsed, qPrintable(parsed.error().toString()));
        QCOMPARE(parsed->toJsonText(), text);

        // Order of insertion does not matter: the text is the same.
        CatalogSnapshot shuffled = *read;
        std::reverse(shuffled.tables.begin(), shuffled.tables.end());
        std::reverse(shuffled.tables[0].columns.begin(), shuffled.tables[0].columns.end());
        std::reverse(shuffled.sequences.begin(), shuffled.sequences.end());
        QCOMPARE(shuffled.toJsonText(), text);

        QJsonObject broken = QJsonDocument::fromJson(text).object();
        broken.insert(QStringLiteral("tables"), QStringLiteral("nope"));
        const Result<CatalogSnapshot> bad = CatalogSnapshot::fromJson(broken);
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.contains(QStringLiteral("'tables'")), qPrintable(bad.error().message));
    }

    void schemasAheadAreTheFilesSchemas()
    {
        // `dbops audit` starts reading the catalog with the schemas of head.json's first lines.
        CatalogSnapshot snapshot;
        snapshot.schemas = QStringList { QStringLiteral("public"), QStringLiteral("odd ]\"name") };
        snapshot.tables.append(CatalogTable { QStringLiteral("public"), QStringLiteral("t"), {}, {}, {} });
        const QByteArray text = snapshot.toJsonText();
        QCOMPARE(CatalogSnapshot::schemasAhead(text), QStringList()); // a ']' in a name: no guess
        snapshot.schemas = QStringList { QStringLiteral("public"), QStringLiteral("sales") };
        QCOMPARE(CatalogSnapshot::schemasAhead(snapshot.toJsonText()), snapshot.schemas);
        Result<CatalogSnapshot> parsed
            = CatalogSnapshot::fromJsonText(snapshot.toJsonText(), QStringLiteral("x.json"));
        QVERIFY(parsed);
        QCOMPARE(parsed->schemas, snapshot.schemas);
        // Another layout, or no schemas up front: no guess (the audit parses first then).
        QCOMPARE(CatalogSnapshot::schemasAhead(QByteArrayLiteral("{\"format\": 1}")), QStringList());
        QCOMPARE(CatalogSnapshot::schemasAhead(QByteArray("{\"tables\": [") + QByteArray(300, ' ')
                     + QByteArray("], \"schemas\": [\"s\"]}")),
            QStringList());
        const Result<CatalogSnapshot> bad
            = CatalogSnapshot::fromJsonText(QByteArrayLiteral("{"), QStringLiteral("x.json"));
        QVERIFY(!bad);
        QCOMPARE(bad.error().file, QStringLiteral("x.json"));
    }

    void diffReportsEveryStatus()
    {
        std::unique_ptr<DatabaseConnection> db = freshDatabase(QStringLiteral("catalog_diff"));
        QVERIFY(createSmallSchema(*db));
        Result<CatalogSnapshot> expected = CatalogReader::read(*db);
        QVERIFY(expected);

        const AuditReport same = SchemaDiff::compare(*expected, *expected);
        QVERIFY(!same.hasProblems());
        QCOMPARE(same.count(AuditItem::Status::Exists), same.items.size());
        // A list shared between the two sides (as an audit's read shares
        // head.json's) is taken as equal without matching part by part: the
        // report is the one two separate equal lists give.
        Result<CatalogSnapshot> again = CatalogReader::read(*db);
        QVERIFY(again);
        QVERIFY(!again->tables.constFirst().columns.isSharedWith(expected->tables.constFirst().columns));
        const AuditReport separate = SchemaDiff::compare(*expected, *again);
        QCOMPARE(separate.items.size(), same.items.size());
        for (qsizetype i = 0; i < same.items.size(); ++i) {
            const AuditItem& a = same.items.at(i);
            const AuditItem& b = separate.items.at(i);
            QCOMPARE(a.name, b.name);
            QCOMPARE(a.table, b.table);
            QCOMPARE(a.status, b.status);
            QCOMPARE(a.expected, b.expected);
            QCOMPARE(a.actual, b.actual);
        }

        QVERIFY(run(*db, QStringLiteral("ALTER TABLE customers ALTER COLUMN balance TYPE numeric(14, 2)")));
        QVERIFY(run(*db, QStringLiteral("DROP INDEX ix_orders_customer_latest")));
        QVERIFY(run(*db,
            QStringLiteral("ALTER TABLE customers RENAME CONSTRAINT ck_customers_balance TO ck_balance")));
        QVERIFY(run(*db, QStringLiteral("ALTER TYPE mood ADD VALUE 'ecstatic'")));
        QVERIFY(run(*db, QStringLiteral("CREATE TABLE scratch (note text)")));
        Result<CatalogSnapshot> actual = CatalogReader::read(*db);
        QVERIFY(actual);

        const AuditReport report = SchemaDiff::compare(*expected, *actual);
        QVERIFY(report.hasProblems());

        const AuditItem* balance = findItem(
            report, AuditItem::Kind::Column, QStringLiteral("customers"), QStringLiteral("balance"));
        QVERIFY(balance);
        QCOMPARE(balance->status, AuditItem::Status::Differs);
        QCOMPARE(balance->expected, QStringLiteral("numeric(12,2) NOT NULL DEFAULT 0"));
        QCOMPARE(balance->actual, QStringLiteral("numeric(14,2) NOT NULL DEFAULT 0"));

        const AuditItem* index = findItem(report, AuditItem::Kind::Index, QStringLiteral("orders"),
            QStringLiteral("ix_orders_customer_latest"));
        QVERIFY(index);
        QCOMPARE(index->status, AuditItem::Status::Missing);
        QVERIFY(index->actual.isEmpty());

        // A renamed constraint is one DIFFERS item, not MISSING plus EXTRA.
        const AuditItem* renamed = findItem(report, AuditItem::Kind::Constraint, QStringLiteral("customers"),
            QStringLiteral("ck_customers_balance"));
        QVERIFY(renamed);
        QCOMPARE(renamed->status, AuditItem::Status::Differs);
        QCOMPARE(renamed->expected,
            QStringLiteral("CONSTRAINT ck_customers_balance CHECK (balance >= 0::numeric)"));
        QCOMPARE(renamed->actual, QStringLiteral("CONSTRAINT ck_balance CHECK (balance >= 0::numeric)"));
        QVERIFY(!findItem(
            report, AuditItem::Kind::Constraint, QStringLiteral("customers"), QStringLiteral("ck_balance")));

        const AuditItem* mood = findItem(report, AuditItem::Kind::Enum, QString(), QStringLiteral("mood"));
        QVERIFY(mood);
        QCOMPARE(mood->status, AuditItem::Status::Differs);
        QCOMPARE(mood->actual, QStringLiteral("sad, ok, happy, ecstatic"));

        const AuditItem* scratch
            = findItem(report, AuditItem::Kind::Table, QStringLiteral("scratch"), QStringLiteral("scratch"));
        QVERIFY(scratch);
        QCOMPARE(scratch->status, AuditItem::Status::Extra);
        const AuditItem* note
            = findItem(report, AuditItem::Kind::Column, QStringLiteral("scratch"), QStringLiteral("note"));
        QVERIFY(note);
        QCOMPARE(note->status, AuditItem::Status::Extra);
        QVERIFY(note->withTable);

        const AuditItem* email
            = findItem(report, AuditItem::Kind::Column, QStringLiteral("customers"), QStringLiteral("email"));
        QVERIFY(email);
        QCOMPARE(email->status, AuditItem::Status::Exists);

        // Exactly these are not as expected.
        QCOMPARE(report.count(AuditItem::Status::Differs), 3);
        QCOMPARE(report.count(AuditItem::Status::Missing), 1);
        QCOMPARE(report.count(AuditItem::Status::Extra), 2);
        QVERIFY2(report.totalsText().startsWith(
                     QStringLiteral("1 index MISSING, 1 column DIFFERS, 1 constraint DIFFERS, "
                                    "1 enum DIFFERS, 1 table EXTRA (with 1 column), ")),
            qPrintable(report.totalsText()));

        // EXTRA alone is no failure.
        const AuditReport extraOnly = SchemaDiff::compare(*expected, *expected);
        CatalogSnapshot withExtra = *expected;
        withExtra.tables.append(CatalogTable { QStringLiteral("public"), QStringLiteral("zzz"), {}, {}, {} });
        QVERIFY(!SchemaDiff::compare(*expected, withExtra).hasProblems());
        QVERIFY(!extraOnly.hasProblems());

        // Every format says it.
        const AuditSubject subject { QStringLiteral("db"), {}, false, QStringLiteral("test"), {} };
        const QString text = AuditReportFormatter::text(report, subject, true);
        QVERIFY2(text.contains(QStringLiteral("DIFFERS  column     balance")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("expected: numeric(12,2) NOT NULL DEFAULT 0")));
        QVERIFY(!text.contains(QStringLiteral("EXISTS   column")));
        const QString html = AuditReportFormatter::html(report, subject, false);
        QVERIFY(
            html.contains(QStringLiteral("<tr class=\"differs\"><td><span class=\"status\">DIFFERS</span>")));
        QVERIFY(!html.contains(QStringLiteral("<script")));
        const QJsonObject json = AuditReportFormatter::json(report, subject, false);
        QCOMPARE(json.value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(json.value(QStringLiteral("totals"))
                     .toObject()
                     .value(QStringLiteral("DIFFERS"))
                     .toObject()
                     .value(QStringLiteral("column"))
                     .toInt(),
            1);
    }

    void invalidIndexIsDiffersInvalid()
    {
        // A failed CREATE UNIQUE INDEX CONCURRENTLY (duplicates) leaves its index INVALID.
        std::unique_ptr<DatabaseConnection> db = freshDatabase(QStringLiteral("catalog_invalid_index"));
        QVERIFY(run(*db, QStringLiteral("CREATE TABLE t (v integer, w integer)")));
        QVERIFY(run(*db, QStringLiteral("INSERT INTO t VALUES (1, 1), (1, 1)")));
        QVERIFY(run(*db, QStringLiteral("CREATE UNIQUE INDEX ix_t_v ON t (v) WHERE v > 1")));
        Result<CatalogSnapshot> expected = CatalogReader::read(*db);
        QVERIFY(expected);
        QVERIFY(!SchemaDiff::compare(*expected, *expected).hasProblems());

        QVERIFY(run(*db, QStringLiteral("DROP INDEX ix_t_v")));
        QVERIFY(!run(
            *db, QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY ix_t_v ON t (v) WHERE v > 1 OR v = 1")));
        QVERIFY(!run(*db, QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY ux_t_w ON t (w)")));
        QVERIFY(run(
            *db, QStringLiteral("CREATE TABLE scratch (x integer); INSERT INTO scratch VALUES (2), (2)")));
        QVERIFY(!run(*db, QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY ux_scratch_x ON scratch (x)")));
        Result<CatalogSnapshot> actual = CatalogReader::read(*db);
        QVERIFY(actual);
        const CatalogTable* t = nullptr;
        for (const CatalogTable& table : actual->tables) {
            if (table.name == QLatin1String("t"))
                t = &table;
        }
        QVERIFY(t);
        QCOMPARE(t->indexes.size(), 2);
        QVERIFY(!t->indexes.at(0).valid);
        QVERIFY(!t->indexes.at(1).valid);

        const AuditReport report = SchemaDiff::compare(*expected, *actual);
        auto itemNamed = [&](const QString& name) {
            for (const AuditItem& item : report.items) {
                if (item.objectKind == AuditItem::Kind::Index && item.name == name)
                    return item;
            }
            return AuditItem {};
        };
        // Expected and INVALID, not expected and INVALID, and on a table nothing expects: all DIFFERS.
        for (const QString& name : QStringList {
                 QStringLiteral("ix_t_v"), QStringLiteral("ux_t_w"), QStringLiteral("ux_scratch_x") }) {
            const AuditItem item = itemNamed(name);
            QCOMPARE(item.name, name);
            QCOMPARE(item.status, AuditItem::Status::Differs);
            QVERIFY2(item.actual.endsWith(QLatin1String(" -- invalid")), qPrintable(item.actual));
        }
        QVERIFY(report.hasProblems());
        // Valid again after a rebuild: as expected.
        for (const char* drop : { "DROP INDEX ix_t_v", "DROP INDEX ux_t_w", "DROP TABLE scratch" })
            QVERIFY(run(*db, QLatin1String(drop)));
        QVERIFY(run(*db, QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY ix_t_v ON t (v) WHERE v > 1")));
        Result<CatalogSnapshot> rebuilt = CatalogReader::read(*db);
        QVERIFY(rebuilt);
        QVERIFY(!SchemaDiff::compare(*expected, *rebuilt).hasProblems());
    }

    void columnOrderAndDroppedColumnsDoNotMatter()
    {
        std::unique_ptr<DatabaseConnection> a = freshDatabase(QStringLiteral("catalog_order_a"));
        std::unique_ptr<DatabaseConnection> b = freshDatabase(QStringLiteral("catalog_order_b"));
        QVERIFY(run(*a, QStringLiteral("CREATE TABLE t (a integer NOT NULL, b text, c date)")));
        QVERIFY(run(*a, QStringLiteral("CREATE INDEX ix_t_b ON t (b)")));
        // Other order, and attnums shifted by a dropped column.
        QVERIFY(run(*b, QStringLiteral("CREATE TABLE t (gone integer, c date, b text)")));
        QVERIFY(run(*b, QStringLiteral("ALTER TABLE t DROP COLUMN gone")));
        QVERIFY(run(*b, QStringLiteral("ALTER TABLE t ADD COLUMN a integer NOT NULL")));
        QVERIFY(run(*b, QStringLiteral("CREATE INDEX ix_t_b ON t (b)")));
        Result<CatalogSnapshot> left = CatalogReader::read(*a);
        Result<CatalogSnapshot> right = CatalogReader::read(*b);
        QVERIFY(left && right);
        const AuditReport report = SchemaDiff::compare(*left, *right);
        QCOMPARE(report.count(AuditItem::Status::Exists), report.items.size());
        QCOMPARE(left->toJsonText(), right->toJsonText());
    }

    void readerRunsAFixedNumberOfStatements()
    {
        std::unique_ptr<DatabaseConnection> db = freshDatabase(QStringLiteral("catalog_bulk"));
        QVERIFY(run(*db, QStringLiteral("CREATE TABLE t0 (id integer PRIMARY KEY)")));
        CatalogReader::Statistics small;
        QVERIFY(CatalogReader::read(*db, CatalogReader::Options(), &small));
        // Split over the connection and a helper in the same snapshot.
        QCOMPARE(small.connections, 2);
        QCOMPARE(small.statements, CatalogReader::kStatementsPerSplitRead);
        CatalogReader::Options alone;
        alone.helperConnection = false;
        CatalogReader::Statistics single;
        QVERIFY(CatalogReader::read(*db, alone, &single));
        QCOMPARE(single.connections, 1);
        QCOMPARE(single.statements, CatalogReader::kStatementsPerRead);

        for (int i = 1; i <= 40; ++i) {
            QVERIFY(run(*db,
                QStringLiteral("CREATE TABLE t%1 (id serial PRIMARY KEY, ref integer REFERENCES t0 (id), "
                               "label text DEFAULT 'x' CHECK (label <> ''))")
                    .arg(i)));
            QVERIFY(run(*db, QStringLiteral("CREATE INDEX ix_t%1_ref ON t%1 (ref)").arg(i)));
        }
        CatalogReader::Statistics large;
        Result<CatalogSnapshot> read = CatalogReader::read(*db, CatalogReader::Options(), &large);
        QVERIFY(read);
        QCOMPARE(read->tables.size(), 41);
        QCOMPARE(read->sequences.size(), 40);
        // The same statements for 41 tables as for 1: bulk queries, one per object kind.
        QCOMPARE(large.statements, small.statements);
        QCOMPARE(CatalogReader::kCatalogQueries, 8);
        // Pipelined: the statements go out together (one wait with libpq 14+),
        // never more waits than statements, and no more for a larger schema.
        QVERIFY(small.roundTrips >= 1 && small.roundTrips <= small.statements);
        QCOMPARE(large.roundTrips, small.roundTrips);
        QCOMPARE(large.connections, 2);
    }

    void indexDefinitionsAreThoseOfPgGetIndexdef()
    {
        // The reader composes plain indexes' definitions itself: each must be
        // pg_get_indexdef's text to the byte, quoting, classes and all.
        std::unique_ptr<DatabaseConnection> db = freshDatabase(QStringLiteral("catalog_index_text"));
        for (const char* statement : {
                 "CREATE TYPE mood AS ENUM ('sad', 'ok')",
                 "CREATE DOMAIN positive AS integer CHECK (VALUE > 0)",
                 "CREATE TABLE \"Order Items\" (id bigint, \"order\" integer, \"CamelCase\" text, v "
                 "varchar(20), "
                 "c char(3), t text, j jsonb, m mood, p positive, ts timestamptz, n numeric(10, 2), "
                 "a integer[], r int4range, ip cidr)",
                 "CREATE INDEX ix_plain ON \"Order Items\" (id)",
                 "CREATE INDEX \"Ix Quoted\" ON \"Order Items\" (\"order\", \"CamelCase\")",
                 "CREATE INDEX ix_varchar ON \"Order Items\" (v, id)",
                 "CREATE INDEX ix_varchar_2 ON \"Order Items\" (v)",
                 "CREATE INDEX ix_varchar_pattern ON \"Order Items\" (v varchar_pattern_ops)",
                 "CREATE INDEX ix_text_pattern ON \"Order Items\" (t text_pattern_ops)",
                 "CREATE INDEX ix_char ON \"Order Items\" (c)",
                 "CREATE INDEX ix_collate ON \"Order Items\" (t COLLATE \"C\")",
                 "CREATE INDEX ix_desc ON \"Order Items\" (ts DESC NULLS LAST, n)",
                 "CREATE INDEX ix_partial ON \"Order Items\" (n) WHERE n > 0",
                 "CREATE INDEX ix_expression ON \"Order Items\" (lower(t))",
                 "CREATE INDEX ix_include ON \"Order Items\" (id) INCLUDE (t)",
                 "CREATE INDEX ix_fill ON \"Order Items\" (id) WITH (fillfactor = 70)",
                 "CREATE UNIQUE INDEX ux_id ON \"Order Items\" (id, v)",
                 "CREATE INDEX ix_hash ON \"Order Items\" USING hash (v)",
                 "CREATE INDEX ix_gin ON \"Order Items\" USING gin (j)",
                 "CREATE INDEX ix_gin_path ON \"Order Items\" USING gin (j jsonb_path_ops)",
                 "CREATE INDEX ix_enum ON \"Order Items\" (m)",
                 "CREATE INDEX ix_domain ON \"Order Items\" (p)",
                 "CREATE INDEX ix_array ON \"Order Items\" (a)",
                 "CREATE INDEX ix_range ON \"Order Items\" USING gist (r)",
                 "CREATE INDEX ix_cidr ON \"Order Items\" (ip)",
                 "CREATE TABLE parted (id integer, at date) PARTITION BY RANGE (at)",
                 "CREATE INDEX ix_parted ON parted (id)",
             })
            QVERIFY(run(*db, QString::fromUtf8(statement)));
        const QMap<QString, QString> definitions = textsByName(*db,
            QStringLiteral(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = "
                "x.indexrelid JOIN pg_class t ON t.oid = x.indrelid WHERE t.relnamespace = "
                "'public'::regnamespace ORDER BY 1"));
        QCOMPARE(definitions.size(), 23);
        readDefinitionsEqual(*db, definitions, &CatalogTable::indexes);
    }

    void constraintDefinitionsAreThoseOfPgGetConstraintdef()
    {
        // The reader composes plain primary keys, unique constraints and
        // foreign keys itself: each must be pg_get_constraintdef's text to
        // the byte; the shapes it leaves to the server must come back too.
        std::unique_ptr<DatabaseConnection> db = freshDatabase(QStringLiteral("catalog_constraint_text"));
        for (const char* statement : {
                 "CREATE SCHEMA elsewhere",
                 "CREATE TABLE elsewhere.outside (id integer PRIMARY KEY)",
                 "CREATE TABLE \"Parent Table\" (id integer, \"order\" integer, code text, "
                 "PRIMARY KEY (id, \"order\"), UNIQUE (code))",
                 "CREATE TABLE gaps (dropped integer, id integer, other integer)",
                 "ALTER TABLE gaps DROP COLUMN dropped",
                 "ALTER TABLE gaps ADD CONSTRAINT gaps_key PRIMARY KEY (other, id)",
                 "CREATE TABLE child (id serial PRIMARY KEY, a integer, b integer, \"Mixed Case\" integer, "
                 "note text, x integer, g1 integer, g2 integer, "
                 "CONSTRAINT fk_full FOREIGN KEY (a, b) REFERENCES \"Parent Table\" (id, \"order\") "
                 "MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL, "
                 "CONSTRAINT fk_self FOREIGN KEY (\"Mixed Case\") REFERENCES child (id) ON DELETE RESTRICT "
                 "ON UPDATE SET DEFAULT DEFERRABLE INITIALLY DEFERRED, "
                 "CONSTRAINT fk_outside FOREIGN KEY (x) REFERENCES elsewhere.outside (id) DEFERRABLE, "
                 "CONSTRAINT fk_gaps FOREIGN KEY (g1, g2) REFERENCES gaps (other, id) ON UPDATE NO ACTION, "
                 "CONSTRAINT fk_set_columns FOREIGN KEY (a, b) REFERENCES \"Parent Table\" (id, \"order\") "
                 "ON DELETE SET NULL (b), "
                 "CONSTRAINT u_nulls UNIQUE NULLS NOT DISTINCT (note), "
                 "CONSTRAINT u_include UNIQUE (a) INCLUDE (b), "
                 "CONSTRAINT u_deferred UNIQUE (b, a) DEFERRABLE INITIALLY DEFERRED, "
                 "CONSTRAINT ck_positive CHECK (a > 0))",
                 "ALTER TABLE child ADD CONSTRAINT fk_not_valid FOREIGN KEY (b) REFERENCES child (id) NOT "
                 "VALID",
                 "ALTER TABLE child ADD CONSTRAINT ck_not_valid CHECK (b > 0) NOT VALID",
                 "CREATE TABLE ranges (r int4range, EXCLUDE USING gist (r WITH &&))",
             })
            QVERIFY2(run(*db, QString::fromUtf8(statement)), statement);
        // As the reader reads: every name outside pg_catalog schema-qualified.
        QVERIFY(run(*db, QStringLiteral("SET search_path = pg_catalog")));
        const QMap<QString, QString> definitions = textsByName(*db,
            QStringLiteral("SELECT conname, pg_get_constraintdef(k.oid, true) FROM pg_constraint AS k "
                           "JOIN pg_class AS t ON t.oid = k.conrelid "
                           "WHERE t.relnamespace = 'public'::regnamespace "
                           "AND k.contype IN ('p', 'u', 'f', 'c', 'x') ORDER BY 1"));
        QVERIFY(run(*db, QStringLiteral("RESET search_path")));
        QCOMPARE(definitions.size(), 16);
        // Composed, all but the foreign key to a table outside the audit
        // (the shapes a plain one excludes come with the rows).
        readDefinitionsEqual(*db, definitions, &CatalogTable::constraints, 1);
    }

    void excludedAndExtensionTablesAreLeftOut()
    {
        // The tool's own tables (by name, or schema-qualified) and an
        // extension's tables and sequences are not the application's schema:
        // neither they nor the sequences they own are read.
        std::unique_ptr<DatabaseConnection> db = freshDatabase(QStringLiteral("catalog_excluded"));
        for (const char* statement : {
                 "CREATE TABLE kept (id serial PRIMARY KEY)",
                 "CREATE TABLE skipped_by_name (id serial PRIMARY KEY)",
                 "CREATE TABLE skipped_qualified (id serial PRIMARY KEY)",
                 "CREATE TABLE extension_owned (id integer)",
                 "CREATE SEQUENCE extension_sequence",
                 // plpgsql is there in every database: members are what ALTER EXTENSION ADD makes them.
                 "ALTER EXTENSION plpgsql ADD TABLE extension_owned",
                 "ALTER EXTENSION plpgsql ADD SEQUENCE extension_sequence",
             })
            QVERIFY2(run(*db, QString::fromUtf8(statement)), statement);
        CatalogReader::Options options;
        options.excludedTables
            = QStringList { QStringLiteral("skipped_by_name"), QStringLiteral("public.skipped_qualified") };
        Result<CatalogSnapshot> read = CatalogReader::read(*db, options);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().toString()));
        QStringList tables;
        for (const CatalogTable& table : read->tables)
            tables.append(table.name);
        QCOMPARE(tables, QStringList { QStringLiteral("kept") });
        QStringList sequences;
        for (const CatalogSequence& sequence : read->sequences)
            sequences.append(sequence.name);
        QCOMPARE(sequences, QStringList { QStringLiteral("kept_id_seq") });
        // An extension's member stays out even when nothing else is excluded.
        options.excludedTables.clear();
        read = CatalogReader::read(*db, options);
        QVERIFY(read);
        QCOMPARE(read->tables.size(), 3);
        QCOMPARE(read->sequences.size(), 3);
        QVERIFY(run(*db, QStringLiteral("ALTER EXTENSION plpgsql DROP TABLE extension_owned")));
        QVERIFY(run(*db, QStringLiteral("ALTER EXTENSION plpgsql DROP SEQUENCE extension_sequence")));
    }

    void splitReadEqualsReadingAlone()
    {
        std::unique_ptr<DatabaseConnection> db = freshDatabase(QStringLiteral("catalog_split"));
        QVERIFY(createSmallSchema(*db));
        CatalogReader::Options alone;
        alone.helperConnection = false;
        CatalogReader::Statistics split;
        Result<CatalogSnapshot> both = CatalogReader::read(*db, CatalogReader::Options(), &split);
        Result<CatalogSnapshot> one = CatalogReader::read(*db, alone);
        QVERIFY2(both && one, qPrintable(both ? one.error().toString() : both.error().toString()));
        QCOMPARE(split.connections, 2);
        // The helper's part (indexes, views) is there, and all of it as read alone.
        QVERIFY(!both->views.isEmpty());
        QVERIFY(!both->table(QStringLiteral("public"), QStringLiteral("orders"))->indexes.isEmpty());
        QCOMPARE(both->toJsonText(), one->toJsonText());
    }

    void readerWithoutASecondConnectionReadsAlone()
    {
        // A role allowed one connection: the helper is refused, and the read
        // stays on the main connection with the same result.
        std::unique_ptr<DatabaseConnection> db = freshDatabase(QStringLiteral("catalog_one_slot"));
        QVERIFY(createSmallSchema(*db));
        CatalogReader::Options alone;
        alone.helperConnection = false;
        Result<CatalogSnapshot> expected = CatalogReader::read(*db, alone);
        QVERIFY(expected);
        std::unique_ptr<DatabaseConnection> admin = openDatabase();
        admin->exec(QStringLiteral("DROP ROLE IF EXISTS catalog_one_slot"));
        QVERIFY(run(*admin, QStringLiteral("CREATE ROLE catalog_one_slot LOGIN CONNECTION LIMIT 1")));
        {
            ConnectionSettings settings = serverSettings();
            settings.setValue(QStringLiteral("dbname"), QStringLiteral("catalog_one_slot"));
            settings.setValue(QStringLiteral("user"), QStringLiteral("catalog_one_slot"));
            Result<std::unique_ptr<DatabaseConnection>> limited = DatabaseConnection::open(settings);
            QVERIFY2(limited, qPrintable(limited ? QString() : limited.error().toString()));
            CatalogReader::Statistics statistics;
            Result<CatalogSnapshot> read
                = CatalogReader::read(**limited, CatalogReader::Options(), &statistics);
            QVERIFY2(read, qPrintable(read ? QString() : read.error().toString()));
            QCOMPARE(statistics.connections, 1);
            QCOMPARE(read->toJsonText(), expected->toJsonText());
        }
        admin->exec(QStringLiteral("DROP DATABASE catalog_one_slot WITH (FORCE)"));
        admin->exec(QStringLiteral("DROP ROLE catalog_one_slot"));
    }

    void jsonTextIsQJsonDocumentsIndentedJson()
    {
        // The CLI writes the report with jsonText; it must be the very bytes of the QJsonObject form.
        AuditReport report;
        const QString tricky = QStringLiteral("q\"uote back\\slash \b\f\n\r\t \x01\x1f \u00e9\u20ac ")
            + QString(QChar(0xd83d)) + QChar(0xde00) + QStringLiteral(" lone:") + QChar(0xdc00)
            + QChar(0xd800) + QStringLiteral(" end\x7f");
        report.items.append(AuditItem { AuditItem::Kind::Table, QStringLiteral("public"), QStringLiteral("t"),
            QStringLiteral("t"), AuditItem::Status::Missing, tricky, {}, false });
        report.items.append(
            AuditItem { AuditItem::Kind::Column, QStringLiteral("public"), QStringLiteral("t"),
                QStringLiteral("c"), AuditItem::Status::Missing, QStringLiteral("integer NULL"), {}, true });
        report.items.append(AuditItem { AuditItem::Kind::Enum, QStringLiteral("s"), {}, QStringLiteral("e"),
            AuditItem::Status::Differs, QStringLiteral("a, b"), QStringLiteral("b, a"), false });
        report.items.append(AuditItem { AuditItem::Kind::Index, QStringLiteral("public"), QStringLiteral("u"),
            QStringLiteral("ix"), AuditItem::Status::Exists, QStringLiteral("x"), QStringLiteral("x"),
            false });
        const AuditSubject subjects[]
            = { { QStringLiteral("user@host:5432/db"), { QStringLiteral("abc"), tricky }, true,
                    QStringLiteral("/m/schema/head.json"), {} },
                  { {}, {}, false, {}, { QStringLiteral("r1") } } };
        for (const AuditSubject& subject : subjects) {
            for (bool onlyProblems : { false, true }) {
                QCOMPARE(AuditReportFormatter::jsonText(report, subject, onlyProblems),
                    QJsonDocument(AuditReportFormatter::json(report, subject, onlyProblems))
                        .toJson(QJsonDocument::Indented));
                QCOMPARE(AuditReportFormatter::jsonText(AuditReport(), subject, onlyProblems),
                    QJsonDocument(AuditReportFormatter::json(AuditReport(), subject, onlyProblems))
                        .toJson(QJsonDocument::Indented));
            }
        }
    }

    void readerLeavesNoTransactionOpen()
    {
        std::unique_ptr<DatabaseConnection> db = freshDatabase(QStringLiteral("catalog_txn"));
        QVERIFY(CatalogReader::read(*db));
        // The read-only transaction is over: a write works, and search_path is the session's again.
        QVERIFY(run(*db, QStringLiteral("CREATE TABLE after_read (id integer)")));
        QCOMPARE(
            db->scalar(QStringLiteral("SHOW search_path"))->toString(), QStringLiteral("\"$user\", public"));
    }

    void shadowDatabaseIsDroppedWithItsGuard()
    {
        QString name;
        {
            Result<std::unique_ptr<ShadowDatabase>> shadow = ShadowDatabase::create(serverSettings());
            QVERIFY2(shadow, qPrintable(shadow.error().toString()));
            name = shadow.value()->name();
            QVERIFY(name.startsWith(QLatin1String("dbops_shadow_")));
            QCOMPARE(shadowDatabases(), QStringList { name });
            // An open session inside does not stop the drop (WITH (FORCE)).
            Result<DatabaseConnection*> inside = shadow.value()->connection();
            QVERIFY(inside);
            QVERIFY(run(**inside, QStringLiteral("CREATE TABLE x (id integer)")));
        }
        QVERIFY(shadowDatabases().isEmpty());
    }

    void shadowReplayReadsWhatTheMigrationsBuild()
    {
        Result<MigrationRepository> repository = MigrationRepository::load(repositoryDirectory("valid"));
        QVERIFY(repository);
        Result<CatalogSnapshot> snapshot
            = ShadowReplay::snapshotAt(serverSettings(), repository->graph(), QStringLiteral("heads"));
        QVERIFY2(snapshot, qPrintable(snapshot.error().toString()));
        QCOMPARE(snapshot->revisions, QStringList { QStringLiteral("3c4d5e6f7081") });
        QCOMPARE(snapshot->tables.size(), 2); // widgets, gadgets; not alembic_version
        QVERIFY(snapshot->table(QStringLiteral("public"), QStringLiteral("widgets"))
                    ->column(QStringLiteral("color")));

        Result<CatalogSnapshot> earlier
            = ShadowReplay::snapshotAt(serverSettings(), repository->graph(), QStringLiteral("1a2b3c4d5e6f"));
        QVERIFY(earlier);
        QCOMPARE(earlier->tables.size(), 1);
        QVERIFY(!earlier->tables[0].column(QStringLiteral("color")));
        QVERIFY(shadowDatabases().isEmpty());
    }

    void shadowReplayDropsItsDatabaseWhenAMigrationFails()
    {
        Result<MigrationRepository> repository = MigrationRepository::load(repositoryDirectory("atomicity"));
        QVERIFY(repository);
        Result<CatalogSnapshot> snapshot
            = ShadowReplay::snapshotAt(serverSettings(), repository->graph(), QStringLiteral("heads"));
        QVERIFY(!snapshot);
        const Error& error = snapshot.error();
        QVERIFY2(error.file.endsWith(QLatin1String("0002_bb22cc33dd44_alter_missing_table.sql")),
            qPrintable(error.toString()));
        QCOMPARE(error.line, 9);
        QCOMPARE(error.sqlState, QStringLiteral("42P01"));
        QVERIFY2(error.message.contains(QStringLiteral("bb22cc33dd44")), qPrintable(error.message));
        QVERIFY2(error.message.contains(QStringLiteral("missing_table")), qPrintable(error.message));
        QCOMPARE(error.kind, Error::Kind::Database);
        QVERIFY2(shadowDatabases().isEmpty(), qPrintable(shadowDatabases().join(QLatin1Char(','))));
    }

    void shadowServerThatRefusesNamesTheProblem()
    {
        ConnectionSettings nowhere = serverSettings();
        nowhere.setValue(QStringLiteral("port"), QStringLiteral("1"));
        nowhere.setValue(QStringLiteral("connect_timeout"), QStringLiteral("2"));
        Result<std::unique_ptr<ShadowDatabase>> shadow = ShadowDatabase::create(nowhere);
        QVERIFY(!shadow);
        QVERIFY2(shadow.error().message.startsWith(QLatin1String("shadow server:")),
            qPrintable(shadow.error().message));
    }

    void cleanupTestCase()
    {
        if (testUrl().isEmpty())
            return;
        std::unique_ptr<DatabaseConnection> admin = openDatabase();
        for (const char* name : { "catalog_small", "catalog_json", "catalog_diff", "catalog_order_a",
                 "catalog_order_b", "catalog_bulk", "catalog_txn" })
            admin->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(QLatin1String(name)));
    }
};

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
