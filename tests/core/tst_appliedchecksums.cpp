// Checksums of what was applied (dbops verify) against a real PostgreSQL
// server (tests/with-postgres.sh exports DBOPS_TEST_PG_URL).  Every test
// writes its own repository, runs the real renderer and runner on a fresh
// database, and reads the result back from a second connection.
#include "connection/ConnectionSettings.h"
#include "connection/DatabaseConnection.h"
#include "database/VersionTable.h"
#include "migrations/MigrationRepository.h"
#include "render/SqlScriptRenderer.h"
#include "runner/MigrationRunner.h"
#include "verify/AppliedChecksums.h"
#include "verify/ChecksumVerifier.h"
#include "verify/RevisionChecksum.h"

#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace dbops;

namespace {

const QString kVersionTable = QStringLiteral("alembic_version");
const QString kRev1 = QStringLiteral("ac0000000001");
const QString kRev2 = QStringLiteral("ac0000000002");
const QString kRev3 = QStringLiteral("ac0000000003");
const QString kBranch = QStringLiteral("ac00000000b1");
const QString kMerge = QStringLiteral("ac00000000a1");

struct RevisionSource
{
    QString id;
    QString downRevision; ///< "none" for a base, "a, b" for a merge
    QString upgrade;
    QString downgrade;
    bool transactional = true;
};

bool writeRevision(const QString& dir, int number, const RevisionSource& r, const QString& lineEnd)
{
    QFile file(QStringLiteral("%1/versions/%2_%3.sql")
                   .arg(dir, QString::number(number).rightJustified(4, QLatin1Char('0')), r.id));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    QString text = QStringLiteral("-- revision: %1\n-- down_revision: %2\n-- message: revision %3\n"
                                  "-- create_date: 2025-04-01 10:00:00\n")
                       .arg(r.id, r.downRevision, QString::number(number));
    if (!r.transactional)
        text += QStringLiteral("-- transactional: false\n");
    text += QStringLiteral("\n-- +upgrade\n") + r.upgrade + QStringLiteral("\n\n-- +downgrade\n")
        + r.downgrade + QLatin1Char('\n');
    text.replace(QStringLiteral("\n"), lineEnd);
    return file.write(text.toUtf8()) >= 0;
}

bool writeRepository(
    const QString& dir, const QList<RevisionSource>& revisions, const QString& lineEnd = QStringLiteral("\n"))
{
    if (!QDir(dir).mkpath(QStringLiteral("versions")))
        return false;
    for (int i = 0; i < revisions.size(); ++i) {
        if (!writeRevision(dir, i + 1, revisions[i], lineEnd))
            return false;
    }
    return true;
}

QList<RevisionSource> linear()
{
    return {
        { kRev1, QStringLiteral("none"), QStringLiteral("CREATE TABLE ac_one (id int);"),
            QStringLiteral("DROP TABLE ac_one;") },
        { kRev2, kRev1, QStringLiteral("CREATE TABLE ac_two (id int);\nINSERT INTO ac_two VALUES (1);"),
            QStringLiteral("DROP TABLE ac_two;") },
        { kRev3, kRev2, QStringLiteral("ALTER TABLE ac_one ADD COLUMN note text;"),
            QStringLiteral("ALTER TABLE ac_one DROP COLUMN note;") },
    };
}

MigrationRepository load(const QString& dir)
{
    Result<MigrationRepository> repository = MigrationRepository::load(dir);
    if (!repository)
        qFatal("%s", qPrintable(repository.error().toString()));
    return std::move(repository).value();
}

} // namespace

class TestAppliedChecksums : public QObject
{
    Q_OBJECT

private:
    ConnectionSettings m_admin;
    int m_databases = 0;

    std::unique_ptr<DatabaseConnection> open(const QString& database, const QString& user = {})
    {
        ConnectionSettings settings = m_admin;
        settings.setValue(QStringLiteral("dbname"), database);
        if (!user.isEmpty())
            settings.setValue(QStringLiteral("user"), user);
        Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(settings);
        if (!connection)
            qFatal("%s", qPrintable(connection.error().toString()));
        return std::move(connection).value();
    }

    QString freshDatabase()
    {
        const QString name = QStringLiteral("ac_db_%1").arg(++m_databases);
        std::unique_ptr<DatabaseConnection> admin = open(QStringLiteral("postgres"));
        admin->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(name));
        if (!admin->exec(QStringLiteral("CREATE DATABASE %1").arg(name)))
            qFatal("cannot create %s", qPrintable(name));
        return name;
    }

    RunResult migrate(DatabaseConnection& connection, const MigrationRepository& repository,
        const QString& target, bool upgrade, bool perRevision = false)
    {
        const VersionState state = *VersionTable::read(connection, kVersionTable);
        const RevisionGraph& graph = repository.graph();
        const MigrationPlan plan = upgrade ? *graph.upgradePlan(state.revisions, target)
                                           : *graph.downgradePlan(state.revisions, target);
        SqlScriptRenderer::Options options;
        options.transactionMode = perRevision ? TransactionMode::PerRevision : TransactionMode::All;
        options.createVersionTable = !state.tableExists;
        MigrationRunner runner(connection, RunOptions());
        return runner.run(plan, SqlScriptRenderer::render(plan, graph, options));
    }

    // revision=sha256 of the side table's rows, sorted; "none" without the table.
    QStringList recorded(const QString& database)
    {
        std::unique_ptr<DatabaseConnection> reader = open(database);
        Result<QVariant> exists = reader->scalar(
            QStringLiteral("SELECT to_regclass('public.dbops_applied_revisions') IS NOT NULL"));
        if (!exists || !exists->toBool())
            return QStringList { QStringLiteral("none") };
        Result<QSqlQuery> rows
            = reader->exec(QStringLiteral("SELECT revision || '=' || sha256 || ' n' || normalisation FROM "
                                          "dbops_applied_revisions ORDER BY 1"));
        QStringList out;
        while (rows && rows.value().next())
            out.append(rows.value().value(0).toString());
        return out;
    }

    QString expected(const MigrationRepository& repository, const QString& revision)
    {
        return revision + QLatin1Char('=') + *RevisionChecksum::ofUpgrade(repository.graph(), revision)
            + QStringLiteral(" n1");
    }

    VerifyReport verify(
        const QString& database, const MigrationRepository& repository, const QString& user = {})
    {
        std::unique_ptr<DatabaseConnection> connection = open(database, user);
        Result<VerifyReport> report
            = ChecksumVerifier::verify(*connection, repository.graph(), kVersionTable);
        if (!report)
            qFatal("%s", qPrintable(report.error().toString()));
        return report.value();
    }

    static QStringList revisionsOf(const VerifyReport& report, VerifyFinding::Kind kind)
    {
        QStringList ids;
        for (const VerifyFinding& finding : report.ofKind(kind))
            ids.append(finding.revision);
        return ids;
    }

private slots:
    void initTestCase()
    {
        const QByteArray url = qgetenv("DBOPS_TEST_PG_URL");
        if (url.isEmpty())
            QSKIP("DBOPS_TEST_PG_URL is not set: run through tests/with-postgres.sh");
        m_admin = *ConnectionSettings::parse(QString::fromUtf8(url));
    }

    void checksumIgnoresLineEndingsOnly()
    {
        QTemporaryDir lf, crlf, edited;
        QVERIFY(writeRepository(lf.path(), linear()));
        QVERIFY(writeRepository(crlf.path(), linear(), QStringLiteral("\r\n")));
        QList<RevisionSource> changed = linear();
        changed[1].upgrade += QStringLiteral("\nINSERT INTO ac_two VALUES (2);");
        QVERIFY(writeRepository(edited.path(), changed));
        const MigrationRepository a = load(lf.path());
        const MigrationRepository b = load(crlf.path());
        const MigrationRepository c = load(edited.path());
        for (const QString& id : { kRev1, kRev2, kRev3 }) {
            const QString sum = *RevisionChecksum::ofUpgrade(a.graph(), id);
            QCOMPARE(sum.size(), 64);
            QCOMPARE(*RevisionChecksum::ofUpgrade(b.graph(), id), sum);
            if (id == kRev2)
                QVERIFY(*RevisionChecksum::ofUpgrade(c.graph(), id) != sum);
            else
                QCOMPARE(*RevisionChecksum::ofUpgrade(c.graph(), id), sum);
        }
        QVERIFY(
            *RevisionChecksum::ofUpgrade(a.graph(), kRev1) != *RevisionChecksum::ofUpgrade(a.graph(), kRev2));
        // One source: a step of a whole-plan script, with its settings and
        // version-table work, hashes like the revision rendered alone.
        const MigrationPlan plan = *a.graph().upgradePlan({}, QStringLiteral("heads"));
        SqlScriptRenderer::Options options;
        options.transactionMode = TransactionMode::PerRevision;
        options.lockTimeoutMs = 1000;
        const RenderedScript script = SqlScriptRenderer::render(plan, a.graph(), options);
        for (int i = 0; i < plan.steps.size(); ++i)
            QCOMPARE(RevisionChecksum::ofStep(script, i),
                *RevisionChecksum::ofUpgrade(a.graph(), plan.steps[i].revision));
    }

    void upgradeRecordsAndDowngradeRemoves()
    {
        QTemporaryDir dir;
        QVERIFY(writeRepository(dir.path(), linear()));
        const MigrationRepository repository = load(dir.path());
        const QString db = freshDatabase();
        std::unique_ptr<DatabaseConnection> connection = open(db);
        QVERIFY(migrate(*connection, repository, QStringLiteral("heads"), true).ok());
        QCOMPARE(recorded(db),
            QStringList(
                { expected(repository, kRev1), expected(repository, kRev2), expected(repository, kRev3) }));
        // The version table stays exactly Alembic's: one column, one row.
        std::unique_ptr<DatabaseConnection> reader = open(db);
        QCOMPARE(reader
                     ->scalar(QStringLiteral("SELECT count(*) FROM information_schema.columns "
                                             "WHERE table_name = 'alembic_version'"))
                     ->toInt(),
            1);
        QCOMPARE(VersionTable::read(*reader, kVersionTable)->revisions, QStringList { kRev3 });
        QCOMPARE(reader->scalar(QStringLiteral("SELECT applied_by FROM dbops_applied_revisions LIMIT 1"))
                     ->toString(),
            reader->scalar(QStringLiteral("SELECT current_user"))->toString());

        VerifyReport report = verify(db, repository);
        QVERIFY(report.clean());
        QCOMPARE(report.verified, 3);
        QVERIFY(report.findings.isEmpty());
        QVERIFY(ChecksumVerifier::refusals(report, {}).isEmpty());

        QVERIFY(migrate(*connection, repository, kRev1, false).ok());
        QCOMPARE(recorded(db), QStringList { expected(repository, kRev1) });
        QVERIFY(migrate(*connection, repository, QStringLiteral("base"), false).ok());
        QCOMPARE(recorded(db), QStringList { QStringLiteral("none") }); // dropped with the version table
        QVERIFY(!VersionTable::read(*reader, kVersionTable)->tableExists);
    }

    void failedRunRecordsNothingItRolledBack()
    {
        QTemporaryDir dir;
        QList<RevisionSource> revisions = linear();
        revisions[2].upgrade = QStringLiteral("ALTER TABLE ac_missing ADD COLUMN note text;");
        QVERIFY(writeRepository(dir.path(), revisions));
        const MigrationRepository repository = load(dir.path());
        const QString all = freshDatabase();
        std::unique_ptr<DatabaseConnection> connection = open(all);
        QVERIFY(!migrate(*connection, repository, QStringLiteral("heads"), true).ok());
        QCOMPARE(recorded(all), QStringList { QStringLiteral("none") });
        const QString perRevision = freshDatabase();
        connection = open(perRevision);
        QVERIFY(!migrate(*connection, repository, QStringLiteral("heads"), true, true).ok());
        QCOMPARE(
            recorded(perRevision), QStringList({ expected(repository, kRev1), expected(repository, kRev2) }));
    }

    void nonTransactionalRevisionIsRecorded()
    {
        QTemporaryDir dir;
        QList<RevisionSource> revisions = linear();
        revisions[2].upgrade = QStringLiteral("CREATE INDEX CONCURRENTLY ac_one_id ON ac_one (id);");
        revisions[2].downgrade = QStringLiteral("DROP INDEX CONCURRENTLY ac_one_id;");
        revisions[2].transactional = false;
        QVERIFY(writeRepository(dir.path(), revisions));
        const MigrationRepository repository = load(dir.path());
        const QString db = freshDatabase();
        std::unique_ptr<DatabaseConnection> connection = open(db);
        QVERIFY(migrate(*connection, repository, QStringLiteral("heads"), true).ok());
        QCOMPARE(recorded(db),
            QStringList(
                { expected(repository, kRev1), expected(repository, kRev2), expected(repository, kRev3) }));
        QVERIFY(migrate(*connection, repository, kRev2, false).ok());
        QCOMPARE(recorded(db), QStringList({ expected(repository, kRev1), expected(repository, kRev2) }));
    }

    void changedFileIsReportedAndRefused()
    {
        QTemporaryDir dir;
        QVERIFY(writeRepository(dir.path(), linear()));
        const QString db = freshDatabase();
        {
            const MigrationRepository repository = load(dir.path());
            std::unique_ptr<DatabaseConnection> connection = open(db);
            QVERIFY(migrate(*connection, repository, QStringLiteral("heads"), true).ok());
        }
        QList<RevisionSource> edited = linear();
        edited[1].upgrade = QStringLiteral("CREATE TABLE ac_two (id bigint);");
        QVERIFY(writeRevision(dir.path(), 2, edited[1], QStringLiteral("\n")));
        const MigrationRepository repository = load(dir.path());
        const VerifyReport report = verify(db, repository);
        QVERIFY(!report.clean());
        QCOMPARE(report.verified, 2);
        QCOMPARE(revisionsOf(report, VerifyFinding::Kind::Changed), QStringList { kRev2 });
        const VerifyFinding changed = report.ofKind(VerifyFinding::Kind::Changed).constFirst();
        QCOMPARE(changed.currentSha256, *RevisionChecksum::ofUpgrade(repository.graph(), kRev2));
        QVERIFY(changed.recordedSha256 != changed.currentSha256);
        QVERIFY2(changed.message.contains(kRev2) && changed.message.contains(QStringLiteral("0002_")),
            qPrintable(changed.message));

        const ErrorList refused = ChecksumVerifier::refusals(report, {});
        QCOMPARE(refused.size(), 1);
        QVERIFY(refused.constFirst().message.contains(QStringLiteral("--accept-changed %1").arg(kRev2)));
        QVERIFY(
            ChecksumVerifier::refusals(report, { { kRev2, QStringLiteral("hotfix reviewed") } }).isEmpty());
        QCOMPARE(ChecksumVerifier::refusals(report, { { kRev2, QStringLiteral("  ") } }).size(), 2);
        QCOMPARE(ChecksumVerifier::refusals(report, { { kRev1, QStringLiteral("wrong one") } }).size(), 1);

        // Accepting records the file as it is now: verify is clean again.
        std::unique_ptr<DatabaseConnection> connection = open(db);
        QVERIFY(!AppliedChecksums::recordAccepted(
            *connection, kVersionTable, kRev2, changed.currentSha256, QStringLiteral("hotfix reviewed")));
        const VerifyReport after = verify(db, repository);
        QVERIFY(after.clean());
        QCOMPARE(after.verified, 3);
    }

    void revisionDeletedFromDiskIsReported()
    {
        QTemporaryDir dir;
        QVERIFY(writeRepository(dir.path(), linear()));
        const QString db = freshDatabase();
        {
            const MigrationRepository repository = load(dir.path());
            std::unique_ptr<DatabaseConnection> connection = open(db);
            QVERIFY(migrate(*connection, repository, QStringLiteral("heads"), true).ok());
        }
        QVERIFY(QFile::remove(QStringLiteral("%1/versions/0003_%2.sql").arg(dir.path(), kRev3)));
        const MigrationRepository repository = load(dir.path());
        const VerifyReport report = verify(db, repository);
        QVERIFY(!report.clean());
        QCOMPARE(revisionsOf(report, VerifyFinding::Kind::NotOnDisk), QStringList { kRev3 });
        QVERIFY(!report.ofKind(VerifyFinding::Kind::NotOnDisk).constFirst().recordedSha256.isEmpty());
        QCOMPARE(report.verified, 2); // what lies below it is still checked, from the side table
        QVERIFY(ChecksumVerifier::refusals(report, {}).isEmpty());
    }

    void databaseMigratedBeforeChecksumsIsNotAnError()
    {
        QTemporaryDir dir;
        QVERIFY(writeRepository(dir.path(), linear()));
        const MigrationRepository repository = load(dir.path());
        const QString db = freshDatabase();
        std::unique_ptr<DatabaseConnection> connection = open(db);
        // As Alembic (or an older dbops) leaves it: the version table only.
        QVERIFY(connection->exec(
            QStringLiteral("CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY)")));
        QVERIFY(connection->exec(QStringLiteral("INSERT INTO alembic_version VALUES ('%1')").arg(kRev2)));
        QVERIFY(connection->exec(QStringLiteral("CREATE TABLE ac_one (id int)")));
        QVERIFY(connection->exec(QStringLiteral("CREATE TABLE ac_two (id int)")));
        VerifyReport report = verify(db, repository);
        QVERIFY(report.clean());
        QVERIFY(!report.checksumTableExists);
        QCOMPARE(revisionsOf(report, VerifyFinding::Kind::NoChecksum), QStringList({ kRev1, kRev2 }));
        QCOMPARE(report.verified, 0);
        // The next upgrade records what it runs, and only that.
        QVERIFY(migrate(*connection, repository, QStringLiteral("heads"), true).ok());
        report = verify(db, repository);
        QVERIFY(report.clean());
        QCOMPARE(report.verified, 1);
        QCOMPARE(revisionsOf(report, VerifyFinding::Kind::NoChecksum), QStringList({ kRev1, kRev2 }));
    }

    void stampRecordsNothing()
    {
        QTemporaryDir dir;
        QVERIFY(writeRepository(dir.path(), linear()));
        const MigrationRepository repository = load(dir.path());
        const QString db = freshDatabase();
        std::unique_ptr<DatabaseConnection> connection = open(db);
        MigrationPlan plan;
        plan.endHeads = QStringList { kRev3 };
        MigrationRunner runner(*connection, RunOptions());
        QVERIFY(
            runner
                .run(plan,
                    SqlScriptRenderer::renderStamp({}, false, plan.endHeads, SqlScriptRenderer::Options()))
                .ok());
        QCOMPARE(recorded(db), QStringList { QStringLiteral("none") });
        const VerifyReport report = verify(db, repository);
        QVERIFY(report.clean());
        QCOMPARE(revisionsOf(report, VerifyFinding::Kind::NoChecksum), QStringList({ kRev1, kRev2, kRev3 }));
    }

    void mergedBranchNotAppliedIsOutOfOrder()
    {
        QTemporaryDir dir;
        QList<RevisionSource> revisions = linear().mid(0, 2);
        QVERIFY(writeRepository(dir.path(), revisions));
        const QString db = freshDatabase();
        {
            const MigrationRepository repository = load(dir.path());
            std::unique_ptr<DatabaseConnection> connection = open(db);
            QVERIFY(migrate(*connection, repository, QStringLiteral("heads"), true).ok());
        }
        // A branch from revision 1, merged with revision 2: the database never ran it.
        revisions.append({ kBranch, kRev1, QStringLiteral("CREATE TABLE ac_branch (id int);"),
            QStringLiteral("DROP TABLE ac_branch;") });
        revisions.append({ kMerge, kRev2 + QStringLiteral(", ") + kBranch, QString(), QString() });
        QVERIFY(writeRepository(dir.path(), revisions));
        const MigrationRepository repository = load(dir.path());
        VerifyReport report = verify(db, repository);
        QVERIFY(!report.clean());
        QCOMPARE(revisionsOf(report, VerifyFinding::Kind::OutOfOrder), QStringList { kBranch });
        QCOMPARE(report.verified, 2);
        std::unique_ptr<DatabaseConnection> connection = open(db);
        QVERIFY(migrate(*connection, repository, QStringLiteral("heads"), true).ok());
        report = verify(db, repository);
        QVERIFY(report.clean());
        QCOMPARE(report.verified, 4);
    }

    void readOnlyRoleVerifiesWithoutWriting()
    {
        QTemporaryDir dir;
        QVERIFY(writeRepository(dir.path(), linear()));
        const MigrationRepository repository = load(dir.path());
        const QString db = freshDatabase();
        std::unique_ptr<DatabaseConnection> admin = open(db);
        QVERIFY(admin->exec(
            QStringLiteral("CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY)")));
        QVERIFY(admin->exec(QStringLiteral("INSERT INTO alembic_version VALUES ('%1')").arg(kRev1)));
        QVERIFY(admin->exec(QStringLiteral("CREATE TABLE ac_one (id int)")));
        admin->exec(QStringLiteral("DROP ROLE IF EXISTS ac_reader"));
        QVERIFY(admin->exec(QStringLiteral("CREATE ROLE ac_reader LOGIN")));
        QVERIFY(admin->exec(QStringLiteral("REVOKE CREATE ON SCHEMA public FROM PUBLIC")));
        QVERIFY(admin->exec(QStringLiteral("GRANT SELECT ON ALL TABLES IN SCHEMA public TO ac_reader")));
        QVERIFY(admin->exec(QStringLiteral("ALTER ROLE ac_reader SET default_transaction_read_only = on")));
        VerifyReport report = verify(db, repository, QStringLiteral("ac_reader"));
        QVERIFY(report.clean());
        QCOMPARE(recorded(db), QStringList { QStringLiteral("none") });

        // With checksums recorded, the reader compares them too.
        QVERIFY(migrate(*admin, repository, QStringLiteral("heads"), true).ok());
        QVERIFY(admin->exec(QStringLiteral("GRANT SELECT ON ALL TABLES IN SCHEMA public TO ac_reader")));
        report = verify(db, repository, QStringLiteral("ac_reader"));
        QVERIFY(report.clean());
        QCOMPARE(report.verified, 2);
        QVERIFY(admin->exec(QStringLiteral("DROP OWNED BY ac_reader")));
    }
};

QTEST_GUILESS_MAIN(TestAppliedChecksums)
#include "tst_appliedchecksums.moc"
