#include "migrations/MigrationRepository.h"
#include "sql/SchemaChanges.h"

#include <QSet>
#include <QtTest>

using namespace dbops;

namespace {

using Kind = SchemaChange::Kind;

QString kindName(Kind kind)
{
    switch (kind) {
    case Kind::CreateTable:
        return QStringLiteral("CreateTable");
    case Kind::DropTable:
        return QStringLiteral("DropTable");
    case Kind::AddColumn:
        return QStringLiteral("AddColumn");
    case Kind::DropColumn:
        return QStringLiteral("DropColumn");
    case Kind::AlterColumnType:
        return QStringLiteral("AlterColumnType");
    case Kind::CreateIndex:
        return QStringLiteral("CreateIndex");
    case Kind::DropIndex:
        return QStringLiteral("DropIndex");
    case Kind::AddConstraint:
        return QStringLiteral("AddConstraint");
    case Kind::DropConstraint:
        return QStringLiteral("DropConstraint");
    case Kind::CreateView:
        return QStringLiteral("CreateView");
    case Kind::DropView:
        return QStringLiteral("DropView");
    case Kind::CreateType:
        return QStringLiteral("CreateType");
    case Kind::DropType:
        return QStringLiteral("DropType");
    case Kind::CreateSequence:
        return QStringLiteral("CreateSequence");
    case Kind::DropSequence:
        return QStringLiteral("DropSequence");
    case Kind::CreateFunction:
        return QStringLiteral("CreateFunction");
    case Kind::DropFunction:
        return QStringLiteral("DropFunction");
    case Kind::RenameTable:
        return QStringLiteral("RenameTable");
    case Kind::RenameColumn:
        return QStringLiteral("RenameColumn");
    case Kind::CreateSchema:
        return QStringLiteral("CreateSchema");
    case Kind::DropSchema:
        return QStringLiteral("DropSchema");
    case Kind::Other:
        return QStringLiteral("Other");
    }
    return QStringLiteral("?");
}

// "Kind schema|table|name", then "->newName", " ?" (IF [NOT] EXISTS),
// " cascade" and " {detail}" when set.
QString format(const SchemaChange& c)
{
    QString out = QStringLiteral("%1 %2|%3|%4").arg(kindName(c.kind), c.schema, c.table, c.name);
    if (!c.newName.isEmpty())
        out += QStringLiteral("->") + c.newName;
    if (c.ifExists)
        out += QStringLiteral(" ?");
    if (c.cascade)
        out += QStringLiteral(" cascade");
    if (!c.detail.isEmpty())
        out += QStringLiteral(" {") + c.detail + QLatin1Char('}');
    return out;
}

QStringList format(const SchemaChangeList& changes)
{
    QStringList out;
    for (const SchemaChange& c : changes)
        out.append(format(c));
    return out;
}

// One key per object, the same for its creation and its removal, so an
// upgrade's creations can be matched with its downgrade's drops.  An index
// is keyed by its name alone: DROP INDEX does not name the table.
QString objectKey(const SchemaChange& c)
{
    const QString relation = c.schema.isEmpty() ? c.table : c.schema + QLatin1Char('.') + c.table;
    switch (c.kind) {
    case Kind::CreateTable:
    case Kind::DropTable:
        return QStringLiteral("table ") + relation;
    case Kind::AddColumn:
    case Kind::DropColumn:
        return QStringLiteral("column ") + relation + QLatin1Char('.') + c.name;
    case Kind::CreateIndex:
    case Kind::DropIndex:
        return QStringLiteral("index ")
            + (c.schema.isEmpty() ? c.name : c.schema + QLatin1Char('.') + c.name);
    case Kind::AddConstraint:
    case Kind::DropConstraint:
        return QStringLiteral("constraint ") + relation + QLatin1Char('.') + c.name;
    default:
        return c.describe();
    }
}

// What a statement of the describe() table does besides its kind: no
// statement there both creates an object and removes data.
enum Effect
{
    NoEffect,
    Creates,
    RemovesData
};

// The counterpart of SchemaChange::createsObject(), which has none in SchemaChange.
bool drops(Kind kind)
{
    switch (kind) {
    case Kind::DropTable:
    case Kind::DropColumn:
    case Kind::DropIndex:
    case Kind::DropConstraint:
    case Kind::DropView:
    case Kind::DropType:
    case Kind::DropSequence:
    case Kind::DropFunction:
    case Kind::DropSchema:
        return true;
    default:
        return false;
    }
}

SchemaChangeList changesOf(const MigrationSection& section)
{
    SchemaChangeList changes;
    for (const SqlStatement& statement : section.statements)
        changes += SchemaChanges::of(statement.text);
    return changes;
}

} // namespace

class TestSchemaChanges : public QObject
{
    Q_OBJECT

private slots:
    void of_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QStringList>("expected");
        auto row = [](const char* name, const char* sql, const QStringList& expected) {
            QTest::newRow(name) << QString::fromUtf8(sql) << expected;
        };

        // Tables: a CREATE TABLE is one change, whatever its inline columns and constraints.
        row("create table",
            "CREATE TABLE equity_changes (id uuid PRIMARY KEY, portfolio_id uuid REFERENCES portfolios (id),"
            " amount numeric CHECK (amount > 0), CONSTRAINT ck_x CHECK (amount < 10))",
            { QStringLiteral("CreateTable |equity_changes|") });
        row("create table if not exists, schema-qualified", "CREATE TABLE IF NOT EXISTS app.t (a int)",
            { QStringLiteral("CreateTable app|t| ?") });
        row("create table, quoted and folded names",
            "CREATE TABLE \"My Schema\".\"Mixed Case\" (a int);"
            " CREATE TABLE Folded (a int)",
            { QStringLiteral("CreateTable My Schema|Mixed Case|"), QStringLiteral("CreateTable |folded|") });
        row("create table as", "CREATE TABLE t2 AS SELECT 1 AS a", { QStringLiteral("CreateTable |t2|") });
        row("select into", "SELECT 1 AS a INTO t3", { QStringLiteral("CreateTable |t3|") });
        row("create partition", "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1)",
            { QStringLiteral("CreateTable |p1|") });
        row("create foreign table", "CREATE FOREIGN TABLE ft (a int) SERVER s",
            { QStringLiteral("CreateTable |ft| {foreign table}") });
        row("temporary table", "CREATE TEMP TABLE scratch (a int)", {});
        row("drop table", "DROP TABLE equity_changes", { QStringLiteral("DropTable |equity_changes|") });
        row("drop several tables", "DROP TABLE IF EXISTS a, s.b, db.s2.c CASCADE",
            { QStringLiteral("DropTable |a| ? cascade"), QStringLiteral("DropTable s|b| ? cascade"),
                QStringLiteral("DropTable s2|c| ? cascade") });
        row("drop quoted table", "DROP TABLE \"Odd\"\"Name\"", { QStringLiteral("DropTable |Odd\"Name|") });

        // ALTER TABLE: one change per subcommand.
        row("add column", "ALTER TABLE portfolio_snapshots ADD COLUMN hhi numeric(12, 4)",
            { QStringLiteral("AddColumn |portfolio_snapshots|hhi") });
        row("several subcommands",
            "ALTER TABLE IF EXISTS ONLY s.t ADD COLUMN IF NOT EXISTS c int REFERENCES u (id),"
            " DROP COLUMN IF EXISTS d CASCADE, ALTER COLUMN e TYPE bigint USING e::bigint,"
            " ADD CONSTRAINT k UNIQUE (a), DROP CONSTRAINT z, ADD PRIMARY KEY (id),"
            " ALTER COLUMN f SET NOT NULL, ALTER g DROP DEFAULT",
            { QStringLiteral("AddColumn s|t|c ?"), QStringLiteral("DropColumn s|t|d ? cascade"),
                QStringLiteral("AlterColumnType s|t|e ?"),
                QStringLiteral("AddConstraint s|t|k ? {unique constraint}"),
                QStringLiteral("DropConstraint s|t|z ?"),
                QStringLiteral("AddConstraint s|t| ? {primary key}"),
                QStringLiteral("Other s|t|f ? {ALTER TABLE s.t ALTER COLUMN f SET NOT NULL}"),
                QStringLiteral("Other s|t|g ? {ALTER TABLE s.t ALTER COLUMN g DROP DEFAULT}") });
        row("add column without COLUMN", "ALTER TABLE t ADD x int, ADD y int",
            { QStringLiteral("AddColumn |t|x"), QStringLiteral("AddColumn |t|y") });
        row("drop quoted column", "ALTER TABLE \"My T\" DROP COLUMN \"Col\"",
            { QStringLiteral("DropColumn |My T|Col") });
        row("set data type", "ALTER TABLE t ALTER COLUMN x SET DATA TYPE text",
            { QStringLiteral("AlterColumnType |t|x") });
        row("check constraint",
            "ALTER TABLE portfolio_snapshots ADD CONSTRAINT ck_hhi CHECK (hhi >= 0) NOT VALID",
            { QStringLiteral("AddConstraint |portfolio_snapshots|ck_hhi {check constraint}") });
        row("foreign key", "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id)",
            { QStringLiteral("AddConstraint |t|fk {foreign key}") });
        row("drop constraint if exists cascade", "ALTER TABLE t DROP CONSTRAINT IF EXISTS pk CASCADE",
            { QStringLiteral("DropConstraint |t|pk ? cascade") });
        row("attach partition", "ALTER TABLE p ATTACH PARTITION s.p1 FOR VALUES IN (1)",
            { QStringLiteral("Other |p| {ALTER TABLE p ATTACH PARTITION s.p1}") });
        row("owner", "ALTER TABLE t OWNER TO app",
            { QStringLiteral("Other |t| {ALTER TABLE t OWNER TO app}") });
        row("alter index", "ALTER INDEX ix SET TABLESPACE fast",
            { QStringLiteral("Other ||ix {ALTER INDEX ix SET TABLESPACE fast}") });
        row("alter type add attribute", "ALTER TYPE c ADD ATTRIBUTE b int",
            { QStringLiteral("Other ||c {ALTER TYPE c ADD ATTRIBUTE b}") });

        // Indexes.
        row("create index", "CREATE INDEX ix_equity_changes_portfolio_date ON equity_changes (portfolio_id)",
            { QStringLiteral("CreateIndex |equity_changes|ix_equity_changes_portfolio_date") });
        row("create unique index concurrently",
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ux ON s.t USING btree (a) WHERE b",
            { QStringLiteral("CreateIndex s|t|ux ?") });
        row("unnamed index", "CREATE INDEX ON t (a)", { QStringLiteral("CreateIndex |t|") });
        row("drop index", "DROP INDEX ix_x", { QStringLiteral("DropIndex ||ix_x") });
        row("drop indexes", "DROP INDEX CONCURRENTLY IF EXISTS s.ix_a, ix_b",
            { QStringLiteral("DropIndex s||ix_a ?"), QStringLiteral("DropIndex ||ix_b ?") });

        // Views.
        row("create view", "CREATE OR REPLACE VIEW s.v AS SELECT 1", { QStringLiteral("CreateView s|v|") });
        row("create materialized view", "CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1",
            { QStringLiteral("CreateView |mv| ? {materialized view}") });
        row("drop view", "DROP VIEW v, w",
            { QStringLiteral("DropView |v|"), QStringLiteral("DropView |w|") });
        row("drop materialized view", "DROP MATERIALIZED VIEW s.mv",
            { QStringLiteral("DropView s|mv| {materialized view}") });

        // Types.
        row("create enum", "CREATE TYPE batch_run_status AS ENUM ('pending', 'running')",
            { QStringLiteral("CreateType ||batch_run_status") });
        row("create composite type", "CREATE TYPE s.pair AS (a int, b int)",
            { QStringLiteral("CreateType s||pair") });
        row("create range type", "CREATE TYPE r AS RANGE (subtype = int4)",
            { QStringLiteral("CreateType ||r") });
        row("create domain", "CREATE DOMAIN positive AS int CHECK (VALUE > 0)",
            { QStringLiteral("CreateType ||positive {domain}") });
        row("drop type", "DROP TYPE IF EXISTS s.st, c CASCADE",
            { QStringLiteral("DropType s||st ? cascade"), QStringLiteral("DropType ||c ? cascade") });
        row("drop domain", "DROP DOMAIN positive", { QStringLiteral("DropType ||positive {domain}") });
        row("alter enum", "ALTER TYPE batch_run_status ADD VALUE 'skipped'",
            { QStringLiteral("Other ||batch_run_status {ALTER TYPE batch_run_status}") });

        // Sequences.
        row("create sequence", "CREATE SEQUENCE IF NOT EXISTS s.q",
            { QStringLiteral("CreateSequence s|q| ?") });
        row("drop sequence", "DROP SEQUENCE q", { QStringLiteral("DropSequence |q|") });
        row("alter sequence", "ALTER SEQUENCE q RESTART", { QStringLiteral("Other |q| {ALTER SEQUENCE q}") });

        // Functions.
        row("create function",
            "CREATE OR REPLACE FUNCTION s.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; "
            "END$$",
            { QStringLiteral("CreateFunction s||touch") });
        row("create procedure", "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1'",
            { QStringLiteral("CreateFunction ||p {procedure}") });
        row("drop function", "DROP FUNCTION IF EXISTS s.f(int), g",
            { QStringLiteral("DropFunction s||f ?"), QStringLiteral("DropFunction ||g ?") });
        row("drop procedure", "DROP PROCEDURE p", { QStringLiteral("DropFunction ||p {procedure}") });

        // Renames.
        row("rename table", "ALTER TABLE s.t RENAME TO u", { QStringLiteral("RenameTable s|t|->u") });
        row("rename table if exists", "ALTER TABLE IF EXISTS t RENAME TO u",
            { QStringLiteral("RenameTable |t|->u ?") });
        row("rename column", "ALTER TABLE t RENAME COLUMN a TO \"B\"",
            { QStringLiteral("RenameColumn |t|a->B") });
        row("rename column without COLUMN", "ALTER TABLE t RENAME a TO b",
            { QStringLiteral("RenameColumn |t|a->b") });
        row("rename index", "ALTER INDEX ix RENAME TO iy",
            { QStringLiteral("Other ||ix->iy {ALTER INDEX ix RENAME TO iy}") });
        row("rename constraint", "ALTER TABLE t RENAME CONSTRAINT a TO b",
            { QStringLiteral("Other |t|a->b {ALTER CONSTRAINT a ON t RENAME TO b}") });
        row("rename type", "ALTER TYPE s.e RENAME TO f",
            { QStringLiteral("Other s||e->f {ALTER TYPE s.e RENAME TO f}") });

        // Schemas.
        row("create schema", "CREATE SCHEMA IF NOT EXISTS reporting",
            { QStringLiteral("CreateSchema reporting|| ?") });
        row("create schema authorization", "CREATE SCHEMA AUTHORIZATION joe",
            { QStringLiteral("CreateSchema joe||") });
        row("create schema with elements", "CREATE SCHEMA s CREATE TABLE t (a int) CREATE VIEW v AS SELECT 1",
            { QStringLiteral("CreateSchema s||"), QStringLiteral("CreateTable s|t|"),
                QStringLiteral("CreateView s|v|") });
        row("drop schema", "DROP SCHEMA IF EXISTS a, b CASCADE",
            { QStringLiteral("DropSchema a|| ? cascade"), QStringLiteral("DropSchema b|| ? cascade") });

        // Other schema objects.
        row("create trigger", "CREATE TRIGGER trg BEFORE UPDATE ON s.t FOR EACH ROW EXECUTE FUNCTION touch()",
            { QStringLiteral("Other s|t|trg {CREATE TRIGGER trg ON s.t}") });
        row("drop trigger", "DROP TRIGGER IF EXISTS trg ON s.t",
            { QStringLiteral("Other s|t|trg ? {DROP TRIGGER trg ON s.t}") });
        row("create extension", "CREATE EXTENSION IF NOT EXISTS pgcrypto",
            { QStringLiteral("Other ||pgcrypto ? {CREATE EXTENSION pgcrypto}") });
        row("drop extension", "DROP EXTENSION pgcrypto",
            { QStringLiteral("Other ||pgcrypto {DROP EXTENSION pgcrypto}") });
        row("create policy", "CREATE POLICY p ON t USING (true)",
            { QStringLiteral("Other |t|p {CREATE POLICY p ON t}") });
        row("set schema", "ALTER TABLE s.t SET SCHEMA s2",
            { QStringLiteral("Other s|t| {ALTER TABLE s.t SET SCHEMA s2}") });
        row("type owner", "ALTER TYPE e OWNER TO app",
            { QStringLiteral("Other ||e {ALTER TYPE e OWNER TO app}") });

        // Several statements in one text, in order.
        row("two statements", "DROP INDEX ix; DROP TABLE t",
            { QStringLiteral("DropIndex ||ix"), QStringLiteral("DropTable |t|") });

        // Nothing structural, or nothing parsed.
        row("select", "SELECT * FROM t", {});
        row("insert", "INSERT INTO factor_definitions (name) VALUES ('x')", {});
        row("update", "UPDATE t SET a = 1", {});
        row("grant", "GRANT SELECT ON t TO app", {});
        row("comment", "COMMENT ON TABLE t IS 'x'", {});
        row("truncate", "TRUNCATE t", {});
        row("set", "SET lock_timeout = '5s'", {});
        row("begin", "BEGIN", {});
        row("create role", "CREATE ROLE app", {});
        row("create database", "CREATE DATABASE d", {});
        row("syntax error", "CREATE TABLE (", {});
        row("empty", "", {});
        row("comment only", "-- nothing", {});
    }

    void of()
    {
        QFETCH(QString, sql);
        QFETCH(QStringList, expected);
        QCOMPARE(format(SchemaChanges::of(sql)), expected);
    }

    void describe_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("description");
        QTest::addColumn<int>("effect");
        auto row = [](const char* sql, Kind kind, const char* description, Effect effect) {
            QTest::newRow(sql) << QString::fromUtf8(sql) << static_cast<int>(kind)
                               << QString::fromUtf8(description) << static_cast<int>(effect);
        };
        // Every kind.
        row("CREATE TABLE equity_changes (id int)", Kind::CreateTable, "table equity_changes", Creates);
        row("DROP TABLE s.equity_changes", Kind::DropTable, "table s.equity_changes", RemovesData);
        row("DROP FOREIGN TABLE ft", Kind::DropTable, "foreign table ft", NoEffect);
        row("ALTER TABLE portfolio_snapshots ADD COLUMN hhi numeric", Kind::AddColumn,
            "column portfolio_snapshots.hhi", Creates);
        row("ALTER TABLE portfolio_snapshots DROP COLUMN hhi", Kind::DropColumn,
            "column portfolio_snapshots.hhi", RemovesData);
        row("ALTER TABLE s.t ALTER COLUMN c TYPE bigint", Kind::AlterColumnType, "column s.t.c", NoEffect);
        row("CREATE INDEX ix_x ON t (a)", Kind::CreateIndex, "index ix_x on t", Creates);
        row("CREATE INDEX ON s.t (a)", Kind::CreateIndex, "index on s.t", Creates);
        row("DROP INDEX s.ix_x", Kind::DropIndex, "index s.ix_x", NoEffect);
        row("ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0)", Kind::AddConstraint, "check constraint ck on t",
            Creates);
        row("ALTER TABLE t ADD PRIMARY KEY (id)", Kind::AddConstraint, "primary key on t", Creates);
        row("ALTER TABLE t DROP CONSTRAINT ck", Kind::DropConstraint, "constraint ck on t", NoEffect);
        row("CREATE VIEW v AS SELECT 1", Kind::CreateView, "view v", Creates);
        row("DROP MATERIALIZED VIEW mv", Kind::DropView, "materialized view mv", NoEffect);
        row("CREATE TYPE insight_type AS ENUM ('a')", Kind::CreateType, "type insight_type", Creates);
        row("DROP TYPE insight_type", Kind::DropType, "type insight_type", NoEffect);
        row("DROP TYPE insight_type CASCADE", Kind::DropType, "type insight_type", RemovesData);
        row("CREATE SEQUENCE s.q", Kind::CreateSequence, "sequence s.q", Creates);
        row("DROP SEQUENCE q", Kind::DropSequence, "sequence q", NoEffect);
        row("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", Kind::CreateFunction, "function f",
            Creates);
        row("DROP PROCEDURE s.p", Kind::DropFunction, "procedure s.p", NoEffect);
        row("ALTER TABLE t RENAME TO u", Kind::RenameTable, "table t to u", NoEffect);
        row("ALTER TABLE s.t RENAME COLUMN a TO b", Kind::RenameColumn, "column s.t.a to b", NoEffect);
        row("CREATE SCHEMA reporting", Kind::CreateSchema, "schema reporting", Creates);
        row("DROP SCHEMA reporting", Kind::DropSchema, "schema reporting", NoEffect);
        row("DROP SCHEMA reporting CASCADE", Kind::DropSchema, "schema reporting", RemovesData);
        row("CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", Kind::Other,
            "CREATE TRIGGER trg ON t", NoEffect);
    }

    void describe()
    {
        QFETCH(QString, sql);
        QFETCH(int, kind);
        QFETCH(QString, description);
        QFETCH(int, effect);
        const SchemaChangeList changes = SchemaChanges::of(sql);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(kindName(changes.first().kind), kindName(static_cast<Kind>(kind)));
        QCOMPARE(changes.first().describe(), description);
        QCOMPARE(changes.first().removesData(), effect == RemovesData);
        QCOMPARE(changes.first().createsObject(), effect == Creates);
    }

    // What finds an object the statement does not name (recovery's leftovers):
    // the key columns, and a function's input argument types as DROP reads them.
    void keyColumnsAndArguments_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QStringList>("columns");
        QTest::addColumn<QString>("arguments");
        auto row = [](const char* sql, const QStringList& columns, const char* arguments) {
            QTest::newRow(sql) << QString::fromUtf8(sql) << columns << QString::fromUtf8(arguments);
        };
        row("CREATE INDEX ON t (a, b)", { QStringLiteral("a"), QStringLiteral("b") }, "");
        row("CREATE UNIQUE INDEX ON t (a, lower(b))", {}, ""); // an expression: not by columns
        row("ALTER TABLE t ADD UNIQUE (a)", { QStringLiteral("a") }, "");
        row("ALTER TABLE t ADD PRIMARY KEY (id, \"Part\")", { QStringLiteral("id"), QStringLiteral("Part") },
            "");
        row("ALTER TABLE t ADD FOREIGN KEY (x, y) REFERENCES u (a, b)",
            { QStringLiteral("x"), QStringLiteral("y") }, "");
        row("ALTER TABLE t ADD CHECK (a > 0)", {}, "");
        row("CREATE FUNCTION s.f(a integer, OUT b text, c varchar(3)[], VARIADIC d int[]) RETURNS text "
            "LANGUAGE sql AS 'SELECT 1'",
            {}, "(pg_catalog.int4, pg_catalog.varchar[], pg_catalog.int4[])");
        row("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", {}, "()");
        row("CREATE FUNCTION f(\"My Type\") RETURNS int LANGUAGE sql AS 'SELECT 1'", {}, "(\"My Type\")");
        row("CREATE FUNCTION f(a t.c%TYPE) RETURNS int LANGUAGE sql AS 'SELECT 1'", {}, "");
        row("CREATE PROCEDURE p(a int) LANGUAGE sql AS 'SELECT 1'", {}, "");
    }

    void keyColumnsAndArguments()
    {
        QFETCH(QString, sql);
        QFETCH(QStringList, columns);
        QFETCH(QString, arguments);
        const SchemaChangeList changes = SchemaChanges::of(sql);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().columns, columns);
        QCOMPARE(changes.first().arguments, arguments);
    }

    // Every bundled revision's downgrade drops exactly what its upgrade
    // creates: nothing else, and everything (directly, or with the table).
    void bundledDowngradesUndoUpgrades()
    {
        const Result<MigrationRepository> repository
            = MigrationRepository::load(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR));
        QVERIFY2(repository.ok(), qPrintable(repository.error().message));
        int checked = 0;
        for (const Revision& revision : repository->graph().revisions()) {
            QSet<QString> created;
            QSet<QString> createdTables;
            for (const SchemaChange& c : changesOf(revision.upgrade)) {
                QVERIFY2(c.kind != Kind::Other, qPrintable(revision.id + QLatin1Char(' ') + c.describe()));
                if (c.createsObject())
                    created.insert(objectKey(c));
            }
            QSet<QString> dropped;
            QSet<QString> droppedTables;
            for (const SchemaChange& c : changesOf(revision.downgrade)) {
                QVERIFY2(c.kind != Kind::Other, qPrintable(revision.id + QLatin1Char(' ') + c.describe()));
                if (drops(c.kind))
                    dropped.insert(objectKey(c));
                if (c.kind == Kind::DropTable)
                    droppedTables.insert(c.table);
            }
            for (const QString& key : std::as_const(dropped))
                QVERIFY2(created.contains(key), qPrintable(revision.id + QStringLiteral(" drops ") + key));
            for (const SchemaChange& c : changesOf(revision.upgrade)) {
                if (!c.createsObject())
                    continue;
                const bool goesWithTable = c.kind != Kind::CreateTable && droppedTables.contains(c.table);
                QVERIFY2(dropped.contains(objectKey(c)) || goesWithTable,
                    qPrintable(revision.id + QStringLiteral(" keeps ") + objectKey(c)));
            }
            ++checked;
        }
        QVERIFY(checked >= 30);
    }

    // What the whole upgrade from base creates, revision e85c2a7d1f96 in particular.
    void bundledUpgradeFromBase()
    {
        const Result<MigrationRepository> repository
            = MigrationRepository::load(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR));
        QVERIFY2(repository.ok(), qPrintable(repository.error().message));
        const RevisionGraph& graph = repository->graph();
        const Result<MigrationPlan> plan = graph.upgradePlan({}, QStringLiteral("head"));
        QVERIFY2(plan.ok(), qPrintable(plan.error().message));
        QSet<QString> tables;
        QSet<QString> snapshotColumns;
        QSet<QString> types;
        int indexes = 0;
        for (const MigrationStep& step : plan->steps) {
            for (const SchemaChange& c : changesOf(graph.revision(step.revision).upgrade)) {
                if (c.kind == Kind::CreateTable)
                    tables.insert(c.table);
                else if (c.kind == Kind::AddColumn && c.table == QLatin1String("portfolio_snapshots"))
                    snapshotColumns.insert(c.name);
                else if (c.kind == Kind::CreateType)
                    types.insert(c.name);
                else if (c.kind == Kind::CreateIndex)
                    ++indexes;
            }
        }
        for (const char* table : { "users", "portfolios", "positions", "portfolio_snapshots",
                 "equity_changes", "position_realized_events", "batch_run_tracking",
                 "spread_factor_definitions", "position_volatility", "ai_insights", "ai_insight_templates" })
            QVERIFY2(tables.contains(QLatin1String(table)), table);
        QCOMPARE(tables.size(), 16);
        for (const char* column : { "hhi", "effective_num_positions", "top_3_concentration",
                 "top_10_concentration", "beta_calculated_90d", "beta_provider_1y", "realized_volatility_21d",
                 "volatility_trend", "target_price_return_eoy", "target_price_positions_count" })
            QVERIFY2(snapshotColumns.contains(QLatin1String(column)), column);
        QCOMPARE(snapshotColumns.size(), 18);
        QCOMPARE(
            types, (QSet<QString> { QStringLiteral("batch_run_status"), QStringLiteral("insight_type") }));
        QVERIFY(indexes >= 20);

        const Revision& equityChanges = graph.revision(QStringLiteral("e85c2a7d1f96"));
        QCOMPARE(format(changesOf(equityChanges.upgrade)),
            (QStringList { QStringLiteral("CreateTable |equity_changes|"),
                QStringLiteral("CreateIndex |equity_changes|ix_equity_changes_portfolio_date") }));
        QCOMPARE(format(changesOf(equityChanges.downgrade)),
            (QStringList { QStringLiteral("DropIndex ||ix_equity_changes_portfolio_date"),
                QStringLiteral("DropTable |equity_changes|") }));
    }
};

QTEST_GUILESS_MAIN(TestSchemaChanges)
#include "tst_schemachanges.moc"
