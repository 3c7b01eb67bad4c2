#include "RevisionSpecs.h"
#include "migrations/MigrationFileParser.h"
#include "migrations/RevisionGraph.h"
#include "render/SqlScriptRenderer.h"

#include <QtTest>

using namespace dbops;
using dbops::test::makeGraph;
using dbops::test::makeRevision;

namespace { } // namespace

class TestRevisionGraph : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void linearChain()
    {
        const RevisionGraph g = makeGraph(
            { QStringLiteral("aaaa01"), QStringLiteral("bbbb02:aaaa01"), QStringLiteral("cccc03:bbbb02") });
        QCOMPARE(g.heads(), QStringList { QStringLiteral("cccc03") });
        QCOMPARE(g.bases(), QStringList { QStringLiteral("aaaa01") });
        QCOMPARE(g.historyOrder(),
            (QStringList { QStringLiteral("cccc03"), QStringLiteral("bbbb02"), QStringLiteral("aaaa01") }));
        const Result<MigrationPlan> plan = g.upgradePlan({}, QStringLiteral("head"));
        QVERIFY(plan);
        QCOMPARE(plan->revisions(),
            (QStringList { QStringLiteral("aaaa01"), QStringLiteral("bbbb02"), QStringLiteral("cccc03") }));
        QCOMPARE(plan->steps[0].versionChange.inserts, QStringList { QStringLiteral("aaaa01") });
        QCOMPARE(plan->steps[1].versionChange.updateFrom, QStringLiteral("aaaa01"));
        QCOMPARE(plan->endHeads, QStringList { QStringLiteral("cccc03") });
    }

    void specifiers_data()
    {
        QTest::addColumn<QString>("specifier");
        QTest::addColumn<QString>("current");
        QTest::addColumn<QString>("expected"); // comma list, or "!fragment" of the error
        QTest::newRow("full id") << "bbbb02"
                                 << ""
                                 << "bbbb02";
        QTest::newRow("unique prefix") << "cc"
                                       << ""
                                       << "cccc03";
        QTest::newRow("head") << "head"
                              << ""
                              << "cccc03";
        QTest::newRow("heads") << "heads"
                               << ""
                               << "cccc03";
        QTest::newRow("base") << "base"
                              << ""
                              << "";
        QTest::newRow("relative up from current") << "+1"
                                                  << "aaaa01"
                                                  << "bbbb02";
        QTest::newRow("relative down from current") << "-2"
                                                    << "cccc03"
                                                    << "aaaa01";
        QTest::newRow("down to base") << "-1"
                                      << "aaaa01"
                                      << "";
        QTest::newRow("head-1") << "head-1"
                                << ""
                                << "bbbb02";
        QTest::newRow("rev+2") << "aaaa01+2"
                               << ""
                               << "cccc03";
        QTest::newRow("label") << "core"
                               << ""
                               << "aaaa01";
        QTest::newRow("label@head") << "core@head"
                                    << ""
                                    << "cccc03";
        QTest::newRow("unknown") << "zzzz"
                                 << ""
                                 << "!unknown revision 'zzzz'";
        QTest::newRow("above head") << "+1"
                                    << "cccc03"
                                    << "!is a head";
    }
    void specifiers()
    {
        QFETCH(QString, specifier);
        QFETCH(QString, current);
        QFETCH(QString, expected);
        const RevisionGraph g = makeGraph({ QStringLiteral("aaaa01:::core"), QStringLiteral("bbbb02:aaaa01"),
            QStringLiteral("cccc03:bbbb02") });
        const Result<QStringList> r
            = g.resolve(specifier, current.isEmpty() ? QStringList() : QStringList { current });
        if (expected.startsWith(QLatin1Char('!'))) {
            QVERIFY(!r);
            QVERIFY2(r.error().message.contains(expected.mid(1)), qPrintable(r.error().message));
        } else {
            QVERIFY2(r, qPrintable(r.error().message));
            QCOMPARE(r->join(QLatin1Char(',')), expected);
        }
    }

    void ambiguousPrefixListsCandidates()
    {
        const RevisionGraph g = makeGraph({ QStringLiteral("abc001"), QStringLiteral("abc002:abc001") });
        const Result<QStringList> r = g.resolve(QStringLiteral("abc"));
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(QStringLiteral("abc001")));
        QVERIFY(r.error().message.contains(QStringLiteral("abc002")));
    }

    void branchAndMergeVersionTable()
    {
        // a -> b1, a -> c1; m merges b1 and c1.
        const RevisionGraph g = makeGraph({ QStringLiteral("a00000"), QStringLiteral("b10000:a00000"),
            QStringLiteral("c10000:a00000"), QStringLiteral("m00000:b10000+c10000") });
        QCOMPARE(g.heads(), QStringList { QStringLiteral("m00000") });
        QVERIFY(g.isBranchPoint(QStringLiteral("a00000")));
        QVERIFY(g.isMergePoint(QStringLiteral("m00000")));
        const Result<MigrationPlan> plan = g.upgradePlan({}, QStringLiteral("head"));
        QVERIFY(plan);
        QCOMPARE(plan->steps.size(), 4);
        QCOMPARE(plan->steps.last().revision, QStringLiteral("m00000"));
        // The second branch gets its own row; the merge deletes one and updates the other.
        QCOMPARE(plan->steps[2].versionChange.inserts.size(), 1);
        QCOMPARE(plan->steps[3].versionChange.deletes.size(), 1);
        QCOMPARE(plan->steps[3].versionChange.updateTo, QStringLiteral("m00000"));

        const Result<MigrationPlan> down
            = g.downgradePlan({ QStringLiteral("m00000") }, QStringLiteral("a00000"));
        QVERIFY(down);
        QCOMPARE(down->steps.first().revision, QStringLiteral("m00000"));
        QCOMPARE(down->steps.first().versionChange.inserts.size(), 1); // unmerge
        QCOMPARE(down->endHeads, QStringList { QStringLiteral("a00000") });
    }

    void dependsOnIsApplied()
    {
        const RevisionGraph g = makeGraph(
            { QStringLiteral("a00000"), QStringLiteral("x00000"), QStringLiteral("b00000:a00000:x00000") });
        const Result<MigrationPlan> plan = g.upgradePlan({}, QStringLiteral("b00000"));
        QVERIFY(plan);
        QCOMPARE(plan->steps.size(), 3);
        QCOMPARE(plan->steps.last().revision, QStringLiteral("b00000"));
        QCOMPARE(plan->endHeads, QStringList { QStringLiteral("b00000") });
    }

    void graphErrors_data()
    {
        QTest::addColumn<QStringList>("specs");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("missing parent")
            << QStringList { QStringLiteral("a00000:zzzzzz") } << "no migration file defines";
        QTest::newRow("duplicate") << QStringList { QStringLiteral("a00000"), QStringLiteral("a00000") }
                                   << "duplicate revision id";
        QTest::newRow("cycle") << QStringList { QStringLiteral("a00000:c00000"),
            QStringLiteral("b00000:a00000"), QStringLiteral("c00000:b00000") }
                               << "cycle";
        QTest::newRow("label clash") << QStringList { QStringLiteral("a00000:::x"),
            QStringLiteral("b00000:a00000::x") }
                                     << "branch label 'x'";
        QTest::newRow("missing dependency")
            << QStringList { QStringLiteral("a00000::nope") } << "depends_on nope";
    }
    void graphErrors()
    {
        QFETCH(QStringList, specs);
        QFETCH(QString, fragment);
        RevisionList revisions;
        for (const QString& s : specs)
            revisions.append(makeRevision(s));
        const Result<RevisionGraph> g = RevisionGraph::build(revisions);
        QVERIFY(!g);
        QVERIFY2(g.error().message.contains(fragment), qPrintable(g.error().message));
        QVERIFY(!g.error().file.isEmpty());
    }

    void renderLinearAlembicFormat()
    {
        const RevisionGraph g = makeGraph({ QStringLiteral("aaaa01"), QStringLiteral("bbbb02:aaaa01") });
        const QString sql = SqlScriptRenderer::render(*g.upgradePlan({}, QStringLiteral("head")), g).text();
        const QString expected
            = QStringLiteral("BEGIN;\n\n"
                             "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT "
                             "alembic_version_pkc PRIMARY KEY (version_num));\n\n"
                             "-- Running upgrade  -> aaaa01\n\n"
                             "CREATE TABLE t_aaaa01 (id int);\n\n"
                             "INSERT INTO alembic_version (version_num) VALUES ('aaaa01') RETURNING "
                             "alembic_version.version_num;\n\n"
                             "-- Running upgrade aaaa01 -> bbbb02\n\n"
                             "CREATE TABLE t_bbbb02 (id int);\n\n"
                             "UPDATE alembic_version SET version_num='bbbb02' WHERE "
                             "alembic_version.version_num = 'aaaa01';\n\n"
                             "COMMIT;\n\n");
        QCOMPARE(sql, expected);
        const QString down = SqlScriptRenderer::render(
            *g.downgradePlan({ QStringLiteral("bbbb02") }, QStringLiteral("base")), g)
                                 .text();
        QVERIFY(down.contains(
            QStringLiteral("DELETE FROM alembic_version WHERE alembic_version.version_num = 'aaaa01';")));
        QVERIFY(down.contains(QStringLiteral("DROP TABLE alembic_version;")));
    }
};

QTEST_GUILESS_MAIN(TestRevisionGraph)
#include "tst_revisiongraph.moc"
