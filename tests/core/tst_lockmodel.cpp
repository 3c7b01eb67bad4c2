// Every row of app/core/lint/lock_table.json, one test row each: the lock
// model reads the row's example as that row, with that lock on each table,
// and the rewrite and scan the row says.  With a server (DBOPS_TEST_PG_URL,
// as tests/with-postgres.sh gives it), every example that may run in a
// transaction block also runs there: the lock PostgreSQL 15 holds
// (pg_locks), whether the table got a new file (pg_class.relfilenode) and
// whether it was read in full (pg_stat_get_xact_numscans) must match the row.
#include "connection/ConnectionSettings.h"
#include "connection/DatabaseConnection.h"
#include "lint/LockModel.h"
#include "lint/LockTable.h"
#include "sql/SqlParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QtTest>

using namespace dbops;

namespace {

QList<QJsonObject> statementsOf(const QString& sql)
{
    QList<QJsonObject> out;
    const QJsonObject root = QJsonDocument::fromJson(SqlParser::parseTreeJson(sql)).object();
    for (const QJsonValue& s : root.value(QStringLiteral("stmts")).toArray())
        out.append(s.toObject().value(QStringLiteral("stmt")).toObject());
    return out;
}

// Reads `sql` the way a migration run would: each statement its own transaction.
void applyCommitted(LockModel& model, const QString& sql)
{
    for (const QJsonObject& statement : statementsOf(sql)) {
        model.beginTransaction();
        model.apply(statement);
        model.endTransaction();
    }
}

LockMode fromPgLocks(const QString& mode)
{
    for (int m = static_cast<int>(LockMode::AccessShare); m <= static_cast<int>(LockMode::AccessExclusive);
         ++m) {
        if (lockModePgLocksName(static_cast<LockMode>(m)) == mode)
            return static_cast<LockMode>(m);
    }
    return LockMode::None;
}

} // namespace

class TestLockModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DatabaseConnection> m_server;

    QVariant scalar(const QString& sql)
    {
        Result<QSqlQuery> result = m_server->exec(sql);
        if (!result)
            return {};
        QSqlQuery query = result.value();
        return query.next() ? query.value(0) : QVariant();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(LockTable::instance().rows().size() >= 40);
        const QString url = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (url.isEmpty())
            return;
        auto settings = ConnectionSettings::parse(url);
        QVERIFY(settings);
        Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(*settings);
        QVERIFY2(connection, qPrintable(connection ? QString() : connection.error().toString()));
        m_server = std::move(connection.value());
    }

    void everyRowHasItsDocumentation()
    {
        QSet<QString> ids;
        for (const LockTableRow& row : LockTable::instance().rows()) {
            QVERIFY2(!ids.contains(row.id), qPrintable(row.id));
            ids.insert(row.id);
            QVERIFY2(row.doc.contains(QLatin1String(".html")), qPrintable(row.id));
            QVERIFY2(!row.example.isEmpty() && !row.relation.isEmpty(), qPrintable(row.id));
            QVERIFY2(row.other.isEmpty() == (row.otherLock == LockMode::None), qPrintable(row.id));
        }
    }

    void row_data()
    {
        QTest::addColumn<QString>("id");
        for (const LockTableRow& row : LockTable::instance().rows())
            QTest::newRow(qPrintable(row.id)) << row.id;
    }

    void row()
    {
        QFETCH(QString, id);
        const LockTableRow& row = LockTable::instance().row(id);
        const QList<QJsonObject> example = statementsOf(row.example);
        QCOMPARE(example.size(), 1);

        LockModel model;
        applyCommitted(model, LockTable::instance().baseSetup());
        applyCommitted(model, row.setup);
        model.beginTransaction();
        const StatementEffects effects = model.effects(example.first());
        const RelationEffect* own = effects.relation(row.relation);
        QVERIFY2(own, qPrintable(QStringLiteral("no effect on %1").arg(row.relation)));
        const RelationEffect* other = row.other.isEmpty() ? nullptr : effects.relation(row.other);
        QVERIFY(row.other.isEmpty() || other);
        QVERIFY2(own->rowIds.contains(id) || (other && other->rowIds.contains(id)),
            qPrintable(own->rowIds.join(QLatin1Char(','))));
        QCOMPARE(lockModeName(own->lock), lockModeName(row.lock));
        if (other)
            QCOMPARE(lockModeName(other->lock), lockModeName(row.otherLock));
        bool rewrites = false;
        bool scans = false;
        for (const RelationEffect& effect : effects.relations) {
            rewrites = rewrites || effect.rewrites;
            scans = scans || effect.scans;
        }
        QCOMPARE(rewrites, row.exampleRewrites);
        QCOMPARE(scans, row.exampleScans);
        QCOMPARE(own->createdInTransaction, id.startsWith(QLatin1String("create-table")));

        if (!m_server)
            return;
        if (!row.verifyOnServer)
            QSKIP("refuses a transaction block; documented, not run");
        m_server->exec(QStringLiteral("ROLLBACK")); // a failed row before may have left its transaction open
        QVERIFY(m_server->exec(QStringLiteral("DROP SCHEMA IF EXISTS lockmodel CASCADE")));
        QVERIFY(m_server->exec(QStringLiteral("CREATE SCHEMA lockmodel")));
        QVERIFY(m_server->exec(QStringLiteral("SET search_path = lockmodel, public")));
        for (const QString& setup : { LockTable::instance().baseSetup(), row.setup }) {
            const Result<SqlStatementList> statements = SqlParser::split(setup);
            QVERIFY(statements);
            for (const SqlStatement& s : statements.value())
                QVERIFY2(m_server->exec(s.text), qPrintable(s.text));
        }
        QVERIFY(m_server->exec(QStringLiteral("BEGIN")));
        auto oidOf = [this](const QString& name) {
            return scalar(QStringLiteral("SELECT to_regclass('%1')::oid").arg(name)).toLongLong();
        };
        auto fileOf = [this](qint64 oid) {
            return scalar(QStringLiteral("SELECT relfilenode FROM pg_class WHERE oid = %1").arg(oid))
                .toLongLong();
        };
        qint64 ownOid = oidOf(row.relation);
        const qint64 otherOid = row.other.isEmpty() ? 0 : oidOf(row.other);
        const qint64 fileBefore = fileOf(ownOid);
        const qint64 otherFileBefore = fileOf(otherOid);
        // The backend's pending counters hold the setup's scans too: count the difference.
        const QString scanCount
            = QStringLiteral("SELECT pg_stat_get_xact_numscans(%1) + pg_stat_get_xact_numscans(%2)")
                  .arg(ownOid)
                  .arg(otherOid ? otherOid : ownOid);
        const qint64 scansBefore = fileBefore ? scalar(scanCount).toLongLong() : 0;
        QVERIFY2(m_server->exec(row.example), qPrintable(row.example));
        if (!ownOid)
            ownOid = oidOf(row.relation); // created by the example
        auto heldLock = [this](qint64 oid) {
            Result<QSqlQuery> result = m_server->exec(
                QStringLiteral("SELECT mode FROM pg_locks WHERE locktype = 'relation' AND relation = %1 "
                               "AND pid = pg_backend_pid() AND granted")
                    .arg(oid));
            LockMode strongest = LockMode::None;
            if (!result)
                return strongest;
            QSqlQuery query = result.value();
            while (query.next())
                strongest = qMax(strongest, fromPgLocks(query.value(0).toString()));
            return strongest;
        };
        QCOMPARE(lockModeName(heldLock(ownOid)), lockModeName(row.lock));
        if (otherOid)
            QCOMPARE(lockModeName(heldLock(otherOid)), lockModeName(row.otherLock));
        if (fileBefore) {
            const qint64 fileAfter = fileOf(ownOid);
            const qint64 otherFileAfter = fileOf(otherOid);
            const bool rewritten = (fileAfter && fileAfter != fileBefore)
                || (otherFileAfter && otherFileAfter != otherFileBefore);
            QCOMPARE(rewritten, row.exampleRewrites);
            if (!row.exampleRewrites && fileAfter) {
                const qint64 scansAfter = scalar(scanCount).toLongLong();
                QCOMPARE(scansAfter > scansBefore, row.exampleScans);
            }
        }
        QVERIFY(m_server->exec(QStringLiteral("ROLLBACK")));
    }

    void tablesCreatedInTheTransactionAreExempt()
    {
        LockModel model;
        model.beginTransaction();
        const QList<QJsonObject> statements = statementsOf(
            QStringLiteral("CREATE TABLE fresh (id bigint); CREATE INDEX ix_fresh ON fresh (id); "
                           "CREATE INDEX ix_old ON old (id)"));
        model.apply(statements.at(0));
        QVERIFY(!model.effects(statements.at(1)).takesStrongLock());
        QCOMPARE(
            lockModeName(model.effects(statements.at(2)).strongestOnExisting()), QStringLiteral("SHARE"));
        model.endTransaction();
        QVERIFY(model.effects(statements.at(1)).takesStrongLock()); // a later transaction: it exists
    }

    void strongestSubcommandWins()
    {
        LockModel model;
        const QList<QJsonObject> statements = statementsOf(QStringLiteral(
            "ALTER TABLE t ALTER COLUMN a SET STATISTICS 100, ADD CONSTRAINT fk FOREIGN KEY (r_id) "
            "REFERENCES r (id) NOT VALID, VALIDATE CONSTRAINT c"));
        const StatementEffects effects = model.effects(statements.first());
        QCOMPARE(
            lockModeName(effects.relation(QStringLiteral("t"))->lock), QStringLiteral("SHARE ROW EXCLUSIVE"));
        QCOMPARE(effects.relation(QStringLiteral("t"))->rowIds.first(),
            QStringLiteral("alter-table-add-foreign-key-not-valid"));
        QVERIFY(effects.relation(QStringLiteral("t"))->scans); // VALIDATE
    }

    void binaryCoercibleTypes_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<bool>("coercible");
        QTest::newRow("varchar to text") << "varchar(20)"
                                         << "text" << true;
        QTest::newRow("longer varchar") << "varchar(20)"
                                        << "varchar(40)" << true;
        QTest::newRow("shorter varchar") << "varchar(20)"
                                         << "varchar(10)" << false;
        QTest::newRow("unbounded varchar") << "varchar(20)"
                                           << "varchar" << true;
        QTest::newRow("wider numeric") << "numeric(10,2)"
                                       << "numeric(12,2)" << true;
        QTest::newRow("other scale") << "numeric(10,2)"
                                     << "numeric(12,3)" << false;
        QTest::newRow("int to bigint") << "int4"
                                       << "int8" << false;
        QTest::newRow("unknown source") << ""
                                        << "text" << false;
    }

    void binaryCoercibleTypes()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(bool, coercible);
        QCOMPARE(LockModel::binaryCoercible(from, to), coercible);
    }

    void volatileDefaults_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<bool>("isVolatile");
        QTest::newRow("constant") << "0" << false;
        QTest::newRow("now()") << "now()" << false;
        QTest::newRow("current_timestamp") << "CURRENT_TIMESTAMP" << false;
        QTest::newRow("cast") << "'x'::text" << false;
        QTest::newRow("random()") << "random()" << true;
        QTest::newRow("gen_random_uuid()") << "gen_random_uuid()" << true;
        QTest::newRow("clock_timestamp() in an expression") << "clock_timestamp() + interval '1 day'" << true;
        QTest::newRow("nextval") << "nextval('s')" << true;
    }

    void volatileDefaults()
    {
        QFETCH(QString, expression);
        QFETCH(bool, isVolatile);
        const QList<QJsonObject> s = statementsOf(QStringLiteral("SELECT ") + expression);
        const QJsonValue target = s.first()
                                      .value(QStringLiteral("SelectStmt"))
                                      .toObject()
                                      .value(QStringLiteral("targetList"))
                                      .toArray()
                                      .first();
        QCOMPARE(LockModel::isVolatile(target), isVolatile);
    }
};

QTEST_GUILESS_MAIN(TestLockModel)
#include "tst_lockmodel.moc"
