// SQL from Alembic's offline mode: parsing captured `--sql` output, and the
// real subprocess on Debian's /usr/bin/alembic.
#include "alembic/AlembicOfflineSql.h"
#include "sql/SqlParser.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace dbops;

namespace {

const QString dataDir = QStringLiteral(DBOPS_TEST_DATA_DIR "/alembic-offline");
const QString bridgeDir = QStringLiteral(DBOPS_TEST_DATA_DIR "/../alembic/bridge_project");
const QString partialDir = QStringLiteral(DBOPS_TEST_DATA_DIR "/../alembic/partial_downgrade_project");
const QString debianAlembic = QStringLiteral("/usr/bin/alembic");

QString readText(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return QString::fromUtf8(file.readAll());
}

Revision revision(const QString& dir, const QString& file, const QString& id, const QStringList& down)
{
    Revision r;
    r.id = id;
    r.downRevisions = down;
    r.filePath = QDir::cleanPath(dir + QLatin1Char('/') + file);
    r.revisionLine = 11;
    return r;
}

// The bridge project as AlembicProject::load would read it, by hand, so this
// test does not depend on the static reader.
AlembicProject bridgeProject()
{
    AlembicProject project;
    project.iniPath = QDir::cleanPath(bridgeDir + QStringLiteral("/alembic.ini"));
    project.scriptLocation = QDir::cleanPath(bridgeDir);
    const QString v = bridgeDir + QStringLiteral("/versions");
    project.revisions = {
        revision(v, QStringLiteral("1a0000000001_create_accounts.py"), QStringLiteral("1a0000000001"), {}),
        revision(v, QStringLiteral("1a0000000002_add_account_status_enum.py"), QStringLiteral("1a0000000002"),
            { QStringLiteral("1a0000000001") }),
        revision(v, QStringLiteral("1a0000000003_create_factors.py"), QStringLiteral("1a0000000003"),
            { QStringLiteral("1a0000000002") }),
        revision(v, QStringLiteral("2b0000000001_create_reports.py"), QStringLiteral("2b0000000001"),
            { QStringLiteral("1a0000000003") }),
        revision(v, QStringLiteral("3c0000000001_seed_factors.py"), QStringLiteral("3c0000000001"),
            { QStringLiteral("1a0000000003") }),
        revision(v, QStringLiteral("4d0000000001_merge_reports_and_seed.py"), QStringLiteral("4d0000000001"),
            { QStringLiteral("2b0000000001"), QStringLiteral("3c0000000001") }),
        revision(v, QStringLiteral("5e0000000001_account_audit_trigger_table.py"),
            QStringLiteral("5e0000000001"), { QStringLiteral("4d0000000001") }),
        revision(v, QStringLiteral("6f0000000001_index_accounts_concurrently.py"),
            QStringLiteral("6f0000000001"), { QStringLiteral("5e0000000001") }),
        revision(bridgeDir + QStringLiteral("/audit_versions"),
            QStringLiteral("9z0000000001_create_audit_log.py"), QStringLiteral("9z0000000001"), {}),
    };
    return project;
}

// tests/alembic/partial_downgrade_project: two labelled bases, their merge,
// and a branch off the first base whose middle revision cannot be downgraded.
// `alembic downgrade heads:base --sql` fails on it.
AlembicProject partialDowngradeProject()
{
    AlembicProject project;
    project.iniPath = QDir::cleanPath(partialDir + QStringLiteral("/alembic.ini"));
    project.scriptLocation = QDir::cleanPath(partialDir);
    const QString v = partialDir + QStringLiteral("/versions");
    project.revisions = {
        revision(v, QStringLiteral("7a0000000001_create_customers.py"), QStringLiteral("7a0000000001"), {}),
        revision(v, QStringLiteral("7a0000000002_normalise_customer_names.py"),
            QStringLiteral("7a0000000002"), { QStringLiteral("7a0000000001") }),
        revision(v, QStringLiteral("7a0000000003_add_customer_email.py"), QStringLiteral("7a0000000003"),
            { QStringLiteral("7a0000000002") }),
        revision(v, QStringLiteral("8b0000000001_create_invoices.py"), QStringLiteral("8b0000000001"), {}),
        revision(v, QStringLiteral("9c0000000001_merge_customers_and_billing.py"),
            QStringLiteral("9c0000000001"),
            { QStringLiteral("7a0000000001"), QStringLiteral("8b0000000001") }),
    };
    return project;
}

AlembicProject fixtureProject(const QString& name, const QStringList& ids)
{
    AlembicProject project;
    const QString dir = dataDir + QLatin1Char('/') + name;
    project.iniPath = dir + QStringLiteral("/alembic.ini");
    project.scriptLocation = dir;
    const QStringList files = QDir(dir + QStringLiteral("/versions"))
                                  .entryList({ QStringLiteral("*.py") }, QDir::Files, QDir::Name);
    for (const QString& id : ids) {
        for (const QString& file : files) {
            if (file.startsWith(id)) {
                QStringList down;
                if (!project.revisions.isEmpty())
                    down.append(project.revisions.constLast().id);
                project.revisions.append(revision(dir + QStringLiteral("/versions"), file, id, down));
            }
        }
    }
    return project;
}

QStringList texts(const SqlStatementList& statements)
{
    QStringList list;
    for (const SqlStatement& s : statements)
        list.append(s.text);
    return list;
}

const AlembicScriptBlock* blockFor(const AlembicScriptBlockList& blocks, const QString& id)
{
    for (const AlembicScriptBlock& block : blocks) {
        if (block.revisionId == id)
            return &block;
    }
    return nullptr;
}

} // namespace

class TestAlembicOfflineSql : public QObject
{
    Q_OBJECT

private slots:
    void parsesUpgradeScript()
    {
        const QString path = dataDir + QStringLiteral("/bridge_upgrade.sql");
        const QString text = readText(path);
        Result<AlembicScriptBlockList> blocks = AlembicOfflineScript::parse(text, path);
        QVERIFY2(blocks, qPrintable(blocks.error().toString()));
        QStringList order;
        for (const AlembicScriptBlock& b : *blocks)
            order.append(b.revisionId);
        QCOMPARE(order,
            QStringList({ QStringLiteral("1a0000000001"), QStringLiteral("1a0000000002"),
                QStringLiteral("1a0000000003"), QStringLiteral("9z0000000001"),
                QStringLiteral("3c0000000001"), QStringLiteral("2b0000000001"),
                QStringLiteral("4d0000000001"), QStringLiteral("5e0000000001"),
                QStringLiteral("6f0000000001") }));

        const AlembicScriptBlock* base = blockFor(*blocks, QStringLiteral("1a0000000001"));
        QVERIFY(base);
        QCOMPARE(base->direction, AlembicScriptBlock::Direction::Upgrade);
        QVERIFY(base->parentIds.isEmpty());
        QCOMPARE(base->markerLine, 8);
        QCOMPARE(base->statements.size(), 1); // CREATE TABLE accounts; the version-table INSERT is dropped
        QVERIFY(base->statements.first().text.startsWith(QStringLiteral("CREATE TABLE accounts (")));
        QCOMPARE(base->statements.first().line, 10);
        QVERIFY(base->transactional);

        // Alembic's text exactly, also its trailing blanks inside the statement.
        const int at = static_cast<int>(text.indexOf(QStringLiteral("CREATE TABLE accounts")));
        QCOMPARE(base->statements.first().offset, at);
        QCOMPARE(text.mid(at, base->statements.first().text.size()), base->statements.first().text);

        const AlembicScriptBlock* merge = blockFor(*blocks, QStringLiteral("4d0000000001"));
        QVERIFY(merge);
        QCOMPARE(merge->parentIds,
            QStringList({ QStringLiteral("2b0000000001"), QStringLiteral("3c0000000001") }));
        QVERIFY(merge->statements.isEmpty()); // only DELETE/UPDATE of alembic_version

        const AlembicScriptBlock* seed = blockFor(*blocks, QStringLiteral("3c0000000001"));
        QVERIFY(seed);
        QCOMPARE(seed->statements.size(), 4);
        QVERIFY(seed->statements.at(3).text.contains(QStringLiteral("'Interest Rate'")));

        const AlembicScriptBlock* enumStep = blockFor(*blocks, QStringLiteral("1a0000000002"));
        QVERIFY(enumStep);
        QCOMPARE(texts(enumStep->statements),
            QStringList({ QStringLiteral(
                              "CREATE TYPE account_status AS ENUM ('active', 'suspended', 'closed')"),
                QStringLiteral(
                    "ALTER TABLE accounts ADD COLUMN status account_status DEFAULT 'active' NOT NULL") }));

        const AlembicScriptBlock* concurrently = blockFor(*blocks, QStringLiteral("6f0000000001"));
        QVERIFY(concurrently);
        QVERIFY(!concurrently->transactional);
        QCOMPARE(texts(concurrently->statements),
            QStringList({ QStringLiteral("CREATE INDEX CONCURRENTLY ix_accounts_name ON accounts (name)") }));

        for (const AlembicScriptBlock& b : *blocks) {
            if (b.revisionId != QLatin1String("6f0000000001"))
                QVERIFY2(b.transactional, qPrintable(b.revisionId));
            for (const SqlStatement& s : b.statements)
                QVERIFY2(!s.text.contains(QStringLiteral("alembic_version")), qPrintable(s.text));
        }
    }

    void parsesDowngradeScript()
    {
        const QString path = dataDir + QStringLiteral("/bridge_downgrade.sql");
        Result<AlembicScriptBlockList> blocks = AlembicOfflineScript::parse(readText(path), path);
        QVERIFY2(blocks, qPrintable(blocks.error().toString()));
        QCOMPARE(blocks->size(), 9);
        const AlembicScriptBlock* merge = blockFor(*blocks, QStringLiteral("4d0000000001"));
        QVERIFY(merge);
        QCOMPARE(merge->direction, AlembicScriptBlock::Direction::Downgrade);
        QCOMPARE(merge->parentIds,
            QStringList({ QStringLiteral("2b0000000001"), QStringLiteral("3c0000000001") }));
        QVERIFY(merge->statements.isEmpty());
        const AlembicScriptBlock* audit = blockFor(*blocks, QStringLiteral("9z0000000001"));
        QVERIFY(audit);
        QVERIFY(audit->parentIds.isEmpty());
        QCOMPARE(texts(audit->statements), QStringList({ QStringLiteral("DROP TABLE audit_log") }));
        // The last block's DROP TABLE alembic_version is Alembic's, not the revision's.
        const AlembicScriptBlock* base = blockFor(*blocks, QStringLiteral("1a0000000001"));
        QVERIFY(base);
        QCOMPARE(texts(base->statements), QStringList({ QStringLiteral("DROP TABLE accounts") }));
        const AlembicScriptBlock* concurrently = blockFor(*blocks, QStringLiteral("6f0000000001"));
        QVERIFY(concurrently);
        QVERIFY(!concurrently->transactional);
        QCOMPARE(texts(concurrently->statements),
            QStringList({ QStringLiteral("DROP INDEX CONCURRENTLY ix_accounts_name") }));
        QVERIFY(blockFor(*blocks, QStringLiteral("5e0000000001"))->transactional);
    }

    void revisionsFromScripts()
    {
        const QString up = dataDir + QStringLiteral("/bridge_upgrade.sql");
        const QString down = dataDir + QStringLiteral("/bridge_downgrade.sql");
        Result<RevisionList> revisions
            = AlembicOfflineSql::revisionsFromScripts(readText(up), up, readText(down), down);
        QVERIFY2(revisions, qPrintable(revisions.error().toString()));
        QCOMPARE(revisions->size(), 9);
        for (const Revision& r : *revisions) {
            QVERIFY2(r.upgrade.present && r.downgrade.present, qPrintable(r.id));
            // depends_on ['audit'] of 5e0000000001, seen in Alembic's version-table update
            QCOMPARE(r.dependsOn,
                r.id == QLatin1String("5e0000000001") ? QStringList { QStringLiteral("9z0000000001") }
                                                      : QStringList());
            QCOMPARE(r.transactional, r.id != QLatin1String("6f0000000001"));
        }
        QCOMPARE(revisions->at(6).id, QStringLiteral("4d0000000001"));
        QCOMPARE(revisions->at(6).downRevisions,
            QStringList({ QStringLiteral("2b0000000001"), QStringLiteral("3c0000000001") }));
        QCOMPARE(revisions->at(6).revisionLine, 74); // its marker line in the script

        // Without a downgrade script: no downgrade sections.
        revisions = AlembicOfflineSql::revisionsFromScripts(readText(up), up);
        QVERIFY(revisions);
        QVERIFY(!revisions->first().downgrade.present);

        // The scripts swapped: a clear error at the first marker.
        revisions = AlembicOfflineSql::revisionsFromScripts(readText(down), down);
        QVERIFY(!revisions);
        QCOMPARE(revisions.error().file, down);
        QCOMPARE(revisions.error().line, 3);
    }

    void perMigrationTransactionsAreFraming()
    {
        // transaction_per_migration=True: COMMIT; BEGIN; between revisions is
        // framing, not an autocommit block; a marker inside a string is data.
        const QString path = dataDir + QStringLiteral("/per_migration_transactions.sql");
        Result<AlembicScriptBlockList> blocks = AlembicOfflineScript::parse(readText(path), path);
        QVERIFY2(blocks, qPrintable(blocks.error().toString()));
        QCOMPARE(blocks->size(), 2);
        QVERIFY(blocks->at(0).transactional);
        QVERIFY(blocks->at(1).transactional);
        QCOMPARE(blocks->at(1).statements.size(), 1);
        QVERIFY(blocks->at(1).statements.first().text.contains(QStringLiteral("-> cc0000000001")));
        QCOMPARE(AlembicOfflineScript::markerRevisions(readText(path)),
            QStringList({ QStringLiteral("aa0000000001"), QStringLiteral("bb0000000001") }));
    }

    void malformedScripts_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("SQL before the first marker")
            << QStringLiteral("sql_before_marker.sql") << 8 << QStringLiteral("before the first");
        QTest::newRow("marker that does not parse")
            << QStringLiteral("bad_marker.sql") << 7 << QStringLiteral("cannot read Alembic's marker");
        QTest::newRow("marker inside a statement")
            << QStringLiteral("marker_inside_statement.sql") << 7 << QStringLiteral("inside a statement");
        QTest::newRow("unterminated quote")
            << QStringLiteral("unterminated_quote.sql") << 5 << QStringLiteral("unterminated");
    }

    void malformedScripts()
    {
        QFETCH(QString, file);
        QFETCH(int, line);
        QFETCH(QString, fragment);
        const QString path = dataDir + QLatin1Char('/') + file;
        Result<AlembicScriptBlockList> blocks = AlembicOfflineScript::parse(readText(path), path);
        QVERIFY(!blocks);
        QCOMPARE(blocks.error().file, path);
        QCOMPARE(blocks.error().line, line);
        QVERIFY2(blocks.error().message.contains(fragment), qPrintable(blocks.error().toString()));
    }

    void applyBlocksNeedsEveryRevision()
    {
        const QString path = dataDir + QStringLiteral("/bridge_upgrade.sql");
        Result<AlembicScriptBlockList> blocks = AlembicOfflineScript::parse(readText(path), path);
        QVERIFY(blocks);
        RevisionList revisions = bridgeProject().revisions;
        revisions.removeLast(); // 9z0000000001
        Result<bool> applied = AlembicOfflineSql::applyBlocks(*blocks, std::nullopt, revisions, path, {});
        QVERIFY(!applied);
        QCOMPARE(applied.error().file, path);
        QVERIFY2(applied.error().message.contains(QStringLiteral("9z0000000001")),
            qPrintable(applied.error().toString()));

        revisions = bridgeProject().revisions;
        revisions.append(revision(bridgeDir, QStringLiteral("x.py"), QStringLiteral("7a0000000001"), {}));
        applied = AlembicOfflineSql::applyBlocks(*blocks, std::nullopt, revisions, path, {});
        QVERIFY(!applied);
        QVERIFY(applied.error().file.endsWith(QStringLiteral("x.py")));
    }

    void missingProgramIsAClearError()
    {
        AlembicRunOptions options;
        options.program = QStringLiteral("/nonexistent/alembic");
        AlembicProject project = bridgeProject();
        RevisionList revisions = project.revisions;
        Result<bool> filled = AlembicOfflineSql::fillSections(project, revisions, options);
        QVERIFY(!filled);
        QVERIFY2(filled.error().message.contains(QStringLiteral("apt install alembic")),
            qPrintable(filled.error().toString()));
    }

    void fillsSectionsFromRealAlembic()
    {
        if (!QFileInfo(debianAlembic).isExecutable())
            QSKIP("Debian's /usr/bin/alembic is not installed");
        AlembicProject project = bridgeProject();
        RevisionList revisions = project.revisions;
        QElapsedTimer clock;
        clock.start();
        Result<bool> filled = AlembicOfflineSql::fillSections(project, revisions);
        QVERIFY2(filled, qPrintable(filled.error().toString()));
        qInfo("two offline runs of Alembic took %lld ms", static_cast<long long>(clock.elapsed()));

        // The same blocks as the captured output (Alembic 1.8.1).
        Result<AlembicScriptBlockList> upgrade
            = AlembicOfflineScript::parse(readText(dataDir + QStringLiteral("/bridge_upgrade.sql")));
        Result<AlembicScriptBlockList> downgrade
            = AlembicOfflineScript::parse(readText(dataDir + QStringLiteral("/bridge_downgrade.sql")));
        QVERIFY(upgrade && downgrade);
        for (const Revision& r : std::as_const(revisions)) {
            QVERIFY2(r.upgrade.present && r.downgrade.present, qPrintable(r.id));
            QCOMPARE(texts(r.upgrade.statements), texts(blockFor(*upgrade, r.id)->statements));
            QCOMPARE(texts(r.downgrade.statements), texts(blockFor(*downgrade, r.id)->statements));
            QCOMPARE(r.transactional, r.id != QLatin1String("6f0000000001"));
        }
        // Lines point at the revision's own Python function.
        const Revision& accounts = revisions.first();
        QCOMPARE(accounts.upgrade.statements.first().line, 18); // def upgrade():
        QCOMPARE(accounts.downgrade.markerLine, 27); // def downgrade():
        QVERIFY(accounts.filePath.endsWith(QStringLiteral("1a0000000001_create_accounts.py")));
    }

    void liveConnectionRevisionFails()
    {
        if (!QFileInfo(debianAlembic).isExecutable())
            QSKIP("Debian's /usr/bin/alembic is not installed");
        AlembicProject project = fixtureProject(QStringLiteral("live_connection_project"),
            { QStringLiteral("aa0000000001"), QStringLiteral("bb0000000001") });
        QCOMPARE(project.revisions.size(), 2);
        RevisionList revisions = project.revisions;
        Result<bool> filled = AlembicOfflineSql::fillSections(project, revisions);
        QVERIFY(!filled);
        const Error& error = filled.error();
        QVERIFY2(error.file.endsWith(QStringLiteral("versions/bb0000000001_reads.py")),
            qPrintable(error.toString()));
        QCOMPARE(error.line, 19); // the line that reads the result, from Alembic's traceback
        QVERIFY2(error.message.startsWith(QStringLiteral(
                     "Alembic's offline mode failed for revision bb0000000001 (upgrade): AttributeError:")),
            qPrintable(error.message));
        QVERIFY(error.detail.contains(QStringLiteral("Traceback")));
        QVERIFY(!error.hint.isEmpty());
        // Nothing half-filled.
        QVERIFY(!revisions.first().upgrade.present);
    }

    void commandErrorMessage_data()
    {
        QTest::addColumn<QString>("output");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("before");
        QTest::newRow("none") << QStringLiteral("BEGIN;\n\nSELECT 1;\n") << QString() << QString();
        QTest::newRow("after the output")
            << QStringLiteral("BEGIN;\n\nFAILED: Multiple head revisions\n")
            << QStringLiteral("Multiple head revisions") << QStringLiteral("BEGIN;\n\n");
        QTest::newRow("wrapped for a terminal")
            << QStringLiteral("BEGIN;\n  FAILED: Multiple head revisions are present\n  for given argument\n")
            << QStringLiteral("Multiple head revisions are present for given argument")
            << QStringLiteral("BEGIN;\n");
        QTest::newRow("not at a line start")
            << QStringLiteral("SELECT 'x FAILED: y';\n") << QString() << QString();
    }

    void commandErrorMessage()
    {
        QFETCH(QString, output);
        QFETCH(QString, message);
        QFETCH(QString, before);
        QString printedBefore;
        QCOMPARE(AlembicCommand::commandErrorMessage(output, &printedBefore), message);
        if (!message.isEmpty())
            QCOMPARE(printedBefore, before);
    }

    void commandErrorIsAlembicsMessage()
    {
        // Alembic reports a CommandError as "FAILED: ..." on standard output;
        // without logging in the ini, standard error stays empty.
        if (!QFileInfo(debianAlembic).isExecutable())
            QSKIP("Debian's /usr/bin/alembic is not installed");
        const AlembicCommand alembic(partialDowngradeProject().iniPath);
        AlembicCommand::Failure failure;
        Result<QString> output = alembic.run(
            { QStringLiteral("downgrade"), QStringLiteral("heads:base"), QStringLiteral("--sql") }, &failure);
        QVERIFY(!output);
        QVERIFY2(output.error().message.contains(
                     QStringLiteral("Multiple head revisions are present for given argument 'heads'")),
            qPrintable(output.error().toString()));
        QVERIFY2(failure.alembicMessage.startsWith(QStringLiteral("Multiple head revisions are present")),
            qPrintable(failure.alembicMessage));
        QVERIFY2(
            !failure.partialOutput.contains(QStringLiteral("FAILED")), qPrintable(failure.partialOutput));
        QVERIFY(output.error().detail.startsWith(QStringLiteral("FAILED: Multiple head revisions")));
    }

    void downgradesRenderedPerHead()
    {
        // `downgrade heads:base` fails on this project: the upgrades and every
        // downgrade Alembic can render still come, from one run per head; the
        // one downgrade that raises is left out, with Alembic's reason.
        if (!QFileInfo(debianAlembic).isExecutable())
            QSKIP("Debian's /usr/bin/alembic is not installed");
        AlembicProject project = partialDowngradeProject();
        RevisionList revisions = project.revisions;
        QMap<QString, Error> downgradeErrors;
        QElapsedTimer clock;
        clock.start();
        Result<bool> filled = AlembicOfflineSql::fillSections(project, revisions, {}, &downgradeErrors);
        QVERIFY2(filled, qPrintable(filled.error().toString()));
        qInfo("the offline runs of Alembic took %lld ms", static_cast<long long>(clock.elapsed()));

        const QString irreversible = QStringLiteral("7a0000000002");
        QHash<QString, QStringList> downgrades;
        for (const Revision& r : std::as_const(revisions)) {
            QVERIFY2(r.upgrade.present, qPrintable(r.id));
            QCOMPARE(r.downgrade.present, r.id != irreversible);
            downgrades.insert(r.id, texts(r.downgrade.statements));
        }
        QCOMPARE(downgrades.value(QStringLiteral("9c0000000001")),
            QStringList { QStringLiteral("ALTER TABLE invoices DROP CONSTRAINT fk_invoices_customer") });
        QCOMPARE(downgrades.value(QStringLiteral("7a0000000003")),
            QStringList { QStringLiteral("ALTER TABLE customers DROP COLUMN email") });
        QCOMPARE(downgrades.value(QStringLiteral("7a0000000001")),
            QStringList { QStringLiteral("DROP TABLE customers") });
        QCOMPARE(downgrades.value(QStringLiteral("8b0000000001")),
            QStringList { QStringLiteral("DROP TABLE invoices") });
        QVERIFY(downgrades.value(irreversible).isEmpty());
        QCOMPARE(texts(revisions.at(1).upgrade.statements),
            QStringList { QStringLiteral("UPDATE customers SET name = btrim(name)") });

        QCOMPARE(downgradeErrors.keys(), QStringList { irreversible });
        const Error& error = downgradeErrors.value(irreversible);
        QVERIFY2(error.file.endsWith(QStringLiteral("versions/7a0000000002_normalise_customer_names.py")),
            qPrintable(error.toString()));
        QCOMPARE(error.line, 21); // the raise, from Alembic's traceback
        QCOMPARE(error.message,
            QStringLiteral(
                "Alembic's offline mode failed for revision 7a0000000002 (downgrade): "
                "NotImplementedError: the names' original spacing is gone: restore from a backup"));
        QVERIFY(error.detail.contains(QStringLiteral("Traceback")));
        QVERIFY(error.hint.contains(QStringLiteral("NotImplementedError")));
    }

    void timeoutStopsAlembic()
    {
        if (!QFileInfo(debianAlembic).isExecutable())
            QSKIP("Debian's /usr/bin/alembic is not installed");
        AlembicProject project
            = fixtureProject(QStringLiteral("slow_project"), { QStringLiteral("aa0000000001") });
        RevisionList revisions = project.revisions;
        AlembicRunOptions options;
        options.timeoutMs = 1500;
        QElapsedTimer clock;
        clock.start();
        Result<bool> filled = AlembicOfflineSql::fillSections(project, revisions, options);
        const qint64 elapsed = clock.elapsed();
        QVERIFY(!filled);
        QVERIFY2(elapsed < 10000, qPrintable(QString::number(elapsed)));
        QVERIFY2(filled.error().message.contains(QStringLiteral("did not finish within 1.5 s")),
            qPrintable(filled.error().toString()));
        QCOMPARE(filled.error().file, project.iniPath);
    }
};

QTEST_GUILESS_MAIN(TestAlembicOfflineSql)
#include "tst_alembicofflinesql.moc"
