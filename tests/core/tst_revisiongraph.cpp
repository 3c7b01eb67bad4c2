#include "RevisionSpecs.h"
#include "migrations/MigrationFileParser.h"
#include "migrations/RevisionGraph.h"
#include "render/SqlScriptRenderer.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace dbops;
using dbops::test::makeGraph;
using dbops::test::makeRevision;

namespace {

// a0 (core) - b0 - c0 (lab1) - d0;  b0 - e0 (lab2) - f0;  x0 (plug) - y0: heads d0, f0, y0.
RevisionGraph branchesGraph()
{
    return makeGraph({ QStringLiteral("a00000:::core"), QStringLiteral("b00000:a00000"),
        QStringLiteral("c00000:b00000::lab1"), QStringLiteral("d00000:c00000"),
        QStringLiteral("e00000:b00000::lab2"), QStringLiteral("f00000:e00000"),
        QStringLiteral("x00000:::plug"), QStringLiteral("y00000:x00000") });
}

// a0 - b0, and b0 also depends on x0 (a second base): heads b0 and x0.
RevisionGraph dependencyGraph()
{
    return makeGraph({ QStringLiteral("a00000"), QStringLiteral("x00000"),
        QStringLiteral("b00000:a00000:x00000"), QStringLiteral("c00000:b00000") });
}

QStringList ids(const QString& commaList)
{
    return commaList.isEmpty() ? QStringList() : commaList.split(QLatin1Char(','));
}

} // namespace

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

    void selfReferences_data()
    {
        QTest::addColumn<QStringList>("specs");
        QTest::addColumn<QString>("fragment");
        QTest::addColumn<int>("line"); // makeRevision: down_revision on line 2, depends_on on line 4
        QTest::newRow("depends_on itself")
            << QStringList { QStringLiteral("a00000"), QStringLiteral("b00000:a00000:b00000") }
            << "revision b00000 names itself in depends_on" << 4;
        QTest::newRow("depends_on its own label")
            << QStringList { QStringLiteral("a00000"), QStringLiteral("b00000:a00000:mine:mine") }
            << "revision b00000 depends_on 'mine', its own branch label" << 4;
        QTest::newRow("down_revision itself")
            << QStringList { QStringLiteral("a00000"), QStringLiteral("b00000:b00000") }
            << "revision b00000 names itself as down_revision" << 2;
    }
    void selfReferences()
    {
        QFETCH(QStringList, specs);
        QFETCH(QString, fragment);
        QFETCH(int, line);
        RevisionList revisions;
        for (const QString& s : specs)
            revisions.append(makeRevision(s));
        const Result<RevisionGraph> g = RevisionGraph::build(revisions);
        QVERIFY(!g);
        QVERIFY2(g.error().message.contains(fragment), qPrintable(g.error().message));
        QCOMPARE(g.error().file, QStringLiteral("b00000.sql"));
        QCOMPARE(g.error().line, line);
    }

    // Alembic's normalisation: a revision drops a dependency that one of its
    // down_revision ancestors declares too, even as its own down_revision.
    void normalisationFollowsAlembic()
    {
        // d0 - a0 (depends_on d0, its own parent) - x0 (depends_on d0 again).
        const RevisionGraph g = makeGraph({ QStringLiteral("d00000"), QStringLiteral("a00000:d00000:d00000"),
            QStringLiteral("x00000:a00000:d00000") });
        QCOMPARE(g.dependents(QStringLiteral("d00000")), QStringList());
        QCOMPARE(g.resolvedDependencies(QStringLiteral("x00000")), QStringList { QStringLiteral("d00000") });
        // So rolling x0 back moves its row to a0 only (Alembic adds no row for d0).
        const Result<MigrationPlan> down
            = g.downgradePlan({ QStringLiteral("x00000") }, QStringLiteral("base"));
        QVERIFY2(down, qPrintable(down.error().message));
        QCOMPARE(down->steps.first().versionChange.updateTo, QStringLiteral("a00000"));
        QCOMPARE(down->steps.first().versionChange.inserts, QStringList());

        // Declarers on two branches keep it; those above a declarer drop it.
        const RevisionGraph h = makeGraph({ QStringLiteral("t00000"), QStringLiteral("a00000"),
            QStringLiteral("b10000:a00000:t00000"), QStringLiteral("c10000:a00000:t00000"),
            QStringLiteral("b20000:b10000:t00000"), QStringLiteral("m00000:b20000+c10000:t00000") });
        QCOMPARE(h.dependents(QStringLiteral("t00000")),
            (QStringList { QStringLiteral("b10000"), QStringLiteral("c10000") }));
    }

    // Two 20,000-revision lines, every revision depending on the other line:
    // building, planning and rolling back must not walk every ancestor of
    // every revision (that was minutes).
    void largeGraphWithDependenciesPlansEveryRevision()
    {
        const int n = 20000;
        RevisionList revisions;
        for (int i = 0; i < 2 * n; ++i) {
            Revision r;
            const int line = i % 2;
            const int k = i / 2;
            r.id = QStringLiteral("%1%2")
                       .arg(line ? QLatin1Char('b') : QLatin1Char('a'))
                       .arg(k, 11, 10, QLatin1Char('0'));
            if (k > 0)
                r.downRevisions = QStringList {
                    QStringLiteral("%1%2").arg(r.id.at(0)).arg(k - 1, 11, 10, QLatin1Char('0'))
                };
            if (line == 1 || k > 0) // a cross dependency on the other line's latest revision
                r.dependsOn = QStringList { QStringLiteral("%1%2")
                                                .arg(line ? QLatin1Char('a') : QLatin1Char('b'))
                                                .arg(line ? k : k - 1, 11, 10, QLatin1Char('0')) };
            r.filePath = r.id + QStringLiteral(".sql");
            r.upgrade.present = r.downgrade.present = true;
            revisions.append(r);
        }
        // How fast is the benchmark's business (bench/run_bench.py, 100,000
        // revisions with depends_on); this checks the plans are whole.
        const Result<RevisionGraph> g = RevisionGraph::build(revisions);
        QVERIFY2(g, qPrintable(g.error().message));
        const Result<MigrationPlan> up = g->upgradePlan({}, QStringLiteral("heads"));
        QVERIFY(up);
        QCOMPARE(up->steps.size(), 2 * n);
        const Result<MigrationPlan> down = g->downgradePlan(up->endHeads, QStringLiteral("base"));
        QVERIFY(down);
        QCOMPARE(down->steps.size(), 2 * n);
        QVERIFY(down->endHeads.isEmpty());
    }

    // Where Alembic refuses a target, dbops refuses it too (never an empty plan).
    void refusedTargets_data()
    {
        QTest::addColumn<bool>("upgrade");
        QTest::addColumn<bool>("branches"); // branchesGraph(), else dependencyGraph()
        QTest::addColumn<QString>("current");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("downgrade to a revision only depended on") << false << false << "c00000"
                                                                  << "x00000"
                                                                  << "only depend on it";
        QTest::newRow("upgrade -2") << true << true << "d00000"
                                    << "-2"
                                    << "'-2' is not an upgrade target";
        QTest::newRow("upgrade +0") << true << true << "d00000"
                                    << "+0"
                                    << "'+0' is not an upgrade target";
        QTest::newRow("upgrade LABEL@-1") << true << true << "d00000"
                                          << "lab1@-1"
                                          << "'lab1@-1' is not an upgrade target";
        QTest::newRow("downgrade +1") << false << true << "c00000"
                                      << "+1"
                                      << "'+1' is not a downgrade target";
        QTest::newRow("downgrade -0") << false << true << "c00000"
                                      << "-0"
                                      << "'-0' is not a downgrade target";
        QTest::newRow("downgrade LABEL@head at that head, several heads") << false << true << "d00000,f00000"
                                                                          << "lab1@head"
                                                                          << "has 3 heads";
        QTest::newRow("downgrade -1 from several heads")
            << false << true << "d00000,f00000"
            << "-1"
            << "there are several (d00000, f00000); name the branch as LABEL@-1 or REV@-1";
    }
    void refusedTargets()
    {
        QFETCH(bool, upgrade);
        QFETCH(bool, branches);
        QFETCH(QString, current);
        QFETCH(QString, target);
        QFETCH(QString, fragment);
        const RevisionGraph g = branches ? branchesGraph() : dependencyGraph();
        const Result<MigrationPlan> plan
            = upgrade ? g.upgradePlan(ids(current), target) : g.downgradePlan(ids(current), target);
        QVERIFY2(!plan, qPrintable(plan ? plan->revisions().join(QLatin1Char(',')) : QString()));
        QVERIFY2(plan.error().message.contains(fragment), qPrintable(plan.error().message));
    }

    void allowedNoOps()
    {
        // At the target already: nothing to do, as Alembic (exit 0).
        const RevisionGraph g = dependencyGraph();
        const Result<MigrationPlan> same
            = g.downgradePlan({ QStringLiteral("c00000") }, QStringLiteral("c00000"));
        QVERIFY(same);
        QVERIFY(same->steps.isEmpty());
        const Result<MigrationPlan> below
            = g.upgradePlan({ QStringLiteral("c00000") }, QStringLiteral("b00000"));
        QVERIFY(below);
        QVERIFY(below->steps.isEmpty());
        // One head: LABEL@head is that head.
        const RevisionGraph one
            = makeGraph({ QStringLiteral("a00000:::lab"), QStringLiteral("b00000:a00000") });
        const Result<MigrationPlan> head
            = one.downgradePlan({ QStringLiteral("b00000") }, QStringLiteral("lab@head"));
        QVERIFY2(head, qPrintable(head.error().message));
        QVERIFY(head->steps.isEmpty());
    }

    // Alembic's branch-qualified specifiers (a revision id stands for a label too).
    void branchQualified_data()
    {
        QTest::addColumn<QString>("specifier");
        QTest::addColumn<QString>("current");
        QTest::addColumn<QString>("expected"); // comma list, or "!fragment" of the error
        QTest::newRow("LABEL@head") << "lab1@head"
                                    << ""
                                    << "d00000";
        QTest::newRow("LABEL@heads") << "lab2@heads"
                                     << ""
                                     << "f00000";
        QTest::newRow("REV@heads, two") << "b00000@heads"
                                        << ""
                                        << "d00000,f00000";
        QTest::newRow("REV@head, two") << "b00000@head"
                                       << ""
                                       << "!several heads above it";
        QTest::newRow("LABEL@base") << "lab1@base"
                                    << ""
                                    << "";
        QTest::newRow("REV@base") << "y00000@base"
                                  << ""
                                  << "";
        QTest::newRow("LABEL@REV below") << "lab1@b00000"
                                         << ""
                                         << "b00000";
        QTest::newRow("LABEL@REV prefix on the branch") << "lab1@d"
                                                        << ""
                                                        << "d00000";
        QTest::newRow("LABEL@REV off the branch") << "lab1@f00000"
                                                  << ""
                                                  << "!is not on branch lab1";
        QTest::newRow("LABEL@+1 at a branch point") << "lab2@+1"
                                                    << "b00000"
                                                    << "e00000";
        QTest::newRow("+1 at a branch point") << "+1"
                                              << "b00000"
                                              << "!is a branch point";
        QTest::newRow("LABEL@+1 from another branch's row") << "lab2@+1"
                                                            << "c00000"
                                                            << "e00000";
        QTest::newRow("LABEL@+1 from several rows") << "lab1@+1"
                                                    << "c00000,y00000"
                                                    << "d00000";
        QTest::newRow("LABEL@-1") << "lab1@-1"
                                  << "d00000,f00000"
                                  << "c00000";
        QTest::newRow("REV@-2") << "f00000@-2"
                                << "d00000,f00000"
                                << "b00000";
        QTest::newRow("LABEL@base+1") << "lab1@base+1"
                                      << ""
                                      << "a00000";
        QTest::newRow("LABEL@base+3") << "lab1@base+3"
                                      << ""
                                      << "c00000";
        QTest::newRow("second base+1") << "plug@base+2"
                                       << ""
                                       << "y00000";
        QTest::newRow("LABEL@base+N past the head") << "lab1@base+5"
                                                    << ""
                                                    << "!is a head";
        QTest::newRow("LABEL@REV+1") << "lab2@b00000+1"
                                     << ""
                                     << "e00000";
        QTest::newRow("LABEL@head-1") << "lab1@head-1"
                                      << ""
                                      << "c00000";
        QTest::newRow("unknown branch") << "nope@base"
                                        << ""
                                        << "!unknown branch 'nope' in 'nope@base'";
        QTest::newRow("malformed: nothing after @") << "lab1@"
                                                    << ""
                                                    << "!malformed revision specifier 'lab1@'";
        QTest::newRow("malformed: nothing before @") << "@head"
                                                     << ""
                                                     << "!malformed revision specifier '@head'";
        QTest::newRow("malformed: two @") << "lab1@b00000@head"
                                          << ""
                                          << "!malformed revision specifier 'lab1@b00000@head'";
        QTest::newRow("malformed relative") << "lab1@@-1"
                                            << "d00000"
                                            << "!malformed revision specifier 'lab1@@-1'";
    }
    void branchQualified()
    {
        QFETCH(QString, specifier);
        QFETCH(QString, current);
        QFETCH(QString, expected);
        const Result<QStringList> r = branchesGraph().resolve(specifier, ids(current));
        if (expected.startsWith(QLatin1Char('!'))) {
            QVERIFY2(!r, qPrintable(r ? r->join(QLatin1Char(',')) : QString()));
            QVERIFY2(r.error().message.contains(expected.mid(1)), qPrintable(r.error().message));
        } else {
            QVERIFY2(r, qPrintable(r.error().message));
            QCOMPARE(r->join(QLatin1Char(',')), expected);
        }
    }

    // A downgrade reads X@Y as Alembic's: down to Y; of Y's children only
    // the one below X goes (with several); -N from the current row on its branch.
    void branchQualifiedDowngrades_data()
    {
        QTest::addColumn<QString>("current");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("steps");
        QTest::addColumn<QString>("endHeads");
        QTest::newRow("LABEL@REV: only that branch above REV") << "d00000,f00000,y00000"
                                                               << "lab1@b00000"
                                                               << "d00000,c00000"
                                                               << "f00000,y00000";
        QTest::newRow("REV: every branch above it") << "d00000,f00000"
                                                    << "b00000"
                                                    << "f00000,e00000,d00000,c00000"
                                                    << "b00000";
        QTest::newRow("LABEL@-1") << "d00000,f00000"
                                  << "lab2@-1"
                                  << "f00000"
                                  << "d00000,e00000";
        QTest::newRow("REV@-2: the current row's branch") << "d00000,f00000"
                                                          << "d00000@-2"
                                                          << "d00000,c00000"
                                                          << "f00000";
        QTest::newRow("LABEL@base: that base's lineage") << "d00000,f00000,y00000"
                                                         << "plug@base"
                                                         << "y00000,x00000"
                                                         << "d00000,f00000";
        QTest::newRow("LABEL@base+2") << "d00000,y00000"
                                      << "lab1@base+2"
                                      << "d00000,c00000"
                                      << "y00000,b00000";
    }
    void branchQualifiedDowngrades()
    {
        QFETCH(QString, current);
        QFETCH(QString, target);
        QFETCH(QString, steps);
        QFETCH(QString, endHeads);
        const Result<MigrationPlan> plan = branchesGraph().downgradePlan(ids(current), target);
        QVERIFY2(plan, qPrintable(plan.error().message));
        QCOMPARE(plan->revisions().join(QLatin1Char(',')), steps);
        QCOMPARE(plan->endHeads.join(QLatin1Char(',')), endHeads);
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
