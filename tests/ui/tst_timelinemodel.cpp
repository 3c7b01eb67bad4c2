#include "RevisionSpecs.h"
#include "RevisionTimelineModel.h"
#include "TimelineLaneLayout.h"
#include "migrations/MigrationFileParser.h"
#include "migrations/RevisionGraph.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace dbops;
using dbops::test::makeGraph;
using dbops::test::makeRevision;
using namespace dbops::ui;

namespace {

QVector<int> lanes(std::initializer_list<int> list)
{
    return QVector<int>(list);
}

} // namespace

class TestTimelineModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void branchAndMergeLanes()
    {
        // f            newest
        // e            merge of c and d: lanes 0 and 1
        // | d          d in lane 1
        // c |          c in lane 0
        // b            branch point: lanes 0 and 1 join
        // a            base
        const RevisionGraph graph = makeGraph({ QStringLiteral("aaaa01"), QStringLiteral("bbbb02:aaaa01"),
            QStringLiteral("cccc03:bbbb02"), QStringLiteral("dddd04:bbbb02"),
            QStringLiteral("eeee05:cccc03+dddd04"), QStringLiteral("ffff06:eeee05") });
        RevisionTimelineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setGraph(&graph);
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.columnCount(), int(RevisionTimelineModel::ColumnCount));
        const QStringList order { QStringLiteral("ffff06"), QStringLiteral("eeee05"),
            QStringLiteral("dddd04"), QStringLiteral("cccc03"), QStringLiteral("bbbb02"),
            QStringLiteral("aaaa01") };
        for (int row = 0; row < order.size(); ++row) {
            QCOMPARE(model.revisionAt(row), order.at(row));
            QCOMPARE(model.index(row, RevisionTimelineModel::IdColumn).data().toString(), order.at(row));
            QCOMPARE(model.index(row, RevisionTimelineModel::MessageColumn).data().toString(),
                QStringLiteral("rev ") + order.at(row));
        }

        // f: a head, lane 0, towards e.
        QCOMPARE(model.laneRow(0).lane, 0);
        QCOMPARE(model.laneRow(0).incoming, lanes({}));
        QCOMPARE(model.laneRow(0).outgoing, lanes({ 0 }));
        // e: the merge keeps lane 0 for c and opens lane 1 for d.
        QCOMPARE(model.laneRow(1).lane, 0);
        QCOMPARE(model.laneRow(1).incoming, lanes({ 0 }));
        QCOMPARE(model.laneRow(1).outgoing, lanes({ 0, 1 }));
        QCOMPARE(model.laneRow(1).passing, lanes({}));
        // d: in lane 1, while lane 0 (waiting for c) passes by.
        QCOMPARE(model.laneRow(2).lane, 1);
        QCOMPARE(model.laneRow(2).incoming, lanes({ 1 }));
        QCOMPARE(model.laneRow(2).outgoing, lanes({ 1 }));
        QCOMPARE(model.laneRow(2).passing, lanes({ 0 }));
        // c: lane 0, lane 1 (d, waiting for b) passes by.
        QCOMPARE(model.laneRow(3).lane, 0);
        QCOMPARE(model.laneRow(3).incoming, lanes({ 0 }));
        QCOMPARE(model.laneRow(3).outgoing, lanes({ 0 }));
        QCOMPARE(model.laneRow(3).passing, lanes({ 1 }));
        // b: the branch point collects lanes 0 and 1; lane 1 ends here.
        QCOMPARE(model.laneRow(4).lane, 0);
        QCOMPARE(model.laneRow(4).incoming, lanes({ 0, 1 }));
        QCOMPARE(model.laneRow(4).outgoing, lanes({ 0 }));
        QCOMPARE(model.laneRow(4).passing, lanes({}));
        // a: the base ends lane 0.
        QCOMPARE(model.laneRow(5).lane, 0);
        QCOMPARE(model.laneRow(5).incoming, lanes({ 0 }));
        QCOMPARE(model.laneRow(5).outgoing, lanes({}));
        QCOMPARE(model.laneCount(), 2);

        const QModelIndex merge = model.index(1, RevisionTimelineModel::GraphColumn);
        QVERIFY(merge.data(RevisionTimelineModel::MergeRole).toBool());
        QVERIFY(model.index(4, 0).data(RevisionTimelineModel::BranchPointRole).toBool());
        QVERIFY(model.index(5, 0).data(RevisionTimelineModel::BaseRole).toBool());
        QCOMPARE(
            merge.data(RevisionTimelineModel::LaneRole).value<TimelineLaneRow>().outgoing, lanes({ 0, 1 }));
        QCOMPARE(merge.data(RevisionTimelineModel::LaneCountRole).toInt(), 2);
        QVERIFY(merge.data(Qt::AccessibleTextRole)
                    .toString()
                    .contains(QStringLiteral("merge of cccc03, dddd04")));
        QVERIFY(merge.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Merges cccc03, dddd04")));
    }

    void twoHeadsGetTwoLanes()
    {
        // c            head, lane 0
        // b
        // | g          head of a second branch: a second lane
        // a            branch point: lanes 0 and 1 join
        const RevisionGraph graph = makeGraph({ QStringLiteral("aaaa01"), QStringLiteral("bbbb02:aaaa01"),
            QStringLiteral("cccc03:bbbb02"), QStringLiteral("gggg07:aaaa01") });
        RevisionTimelineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setGraph(&graph);
        // historyOrder() lists a branch whole before the next one.
        QCOMPARE(graph.historyOrder(),
            (QStringList { QStringLiteral("cccc03"), QStringLiteral("bbbb02"), QStringLiteral("gggg07"),
                QStringLiteral("aaaa01") }));
        QCOMPARE(model.laneRow(0).lane, 0);
        QCOMPARE(model.laneRow(0).outgoing, lanes({ 0 }));
        QCOMPARE(model.laneRow(1).lane, 0);
        QCOMPARE(model.laneRow(1).incoming, lanes({ 0 }));
        QCOMPARE(model.laneRow(1).outgoing, lanes({ 0 }));
        QCOMPARE(model.laneRow(2).lane, 1); // lane 0 waits for a: the second head opens lane 1
        QCOMPARE(model.laneRow(2).incoming, lanes({}));
        QCOMPARE(model.laneRow(2).passing, lanes({ 0 }));
        QCOMPARE(model.laneRow(2).outgoing, lanes({ 1 }));
        QCOMPARE(model.laneRow(3).lane, 0);
        QCOMPARE(model.laneRow(3).incoming, lanes({ 0, 1 }));
        QCOMPARE(model.laneRow(3).outgoing, lanes({}));
        QVERIFY(model.isHead(0));
        QVERIFY(!model.isHead(1));
        QVERIFY(model.isHead(2));
        QCOMPARE(model.laneCount(), 2);
    }

    void appliedAndPendingFollowTheDatabase()
    {
        const RevisionGraph graph = makeGraph({ QStringLiteral("aaaa01"), QStringLiteral("bbbb02:aaaa01"),
            QStringLiteral("cccc03:bbbb02"), QStringLiteral("dddd04:bbbb02"),
            QStringLiteral("eeee05:cccc03+dddd04"), QStringLiteral("ffff06:eeee05") });
        RevisionTimelineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setGraph(&graph);
        auto flag = [&](const QString& id, int role) {
            return model.index(model.rowOfRevision(id), RevisionTimelineModel::IdColumn).data(role).toBool();
        };
        // Unknown database: nothing applied, nothing pending.
        QVERIFY(!model.hasDatabaseState());
        QVERIFY(!flag(QStringLiteral("aaaa01"), RevisionTimelineModel::AppliedRole));
        QVERIFY(!flag(QStringLiteral("aaaa01"), RevisionTimelineModel::PendingRole));
        QVERIFY(flag(QStringLiteral("ffff06"), RevisionTimelineModel::HeadRole));
        QVERIFY(!flag(QStringLiteral("eeee05"), RevisionTimelineModel::HeadRole));

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setCurrentHeads({ QStringLiteral("cccc03") });
        QCOMPARE(changed.count(), 1);
        for (const char* id : { "aaaa01", "bbbb02", "cccc03" }) {
            QVERIFY2(flag(QLatin1String(id), RevisionTimelineModel::AppliedRole), id);
            QVERIFY2(!flag(QLatin1String(id), RevisionTimelineModel::PendingRole), id);
        }
        for (const char* id : { "dddd04", "eeee05", "ffff06" }) {
            QVERIFY2(!flag(QLatin1String(id), RevisionTimelineModel::AppliedRole), id);
            QVERIFY2(flag(QLatin1String(id), RevisionTimelineModel::PendingRole), id);
        }
        QVERIFY(flag(QStringLiteral("cccc03"), RevisionTimelineModel::CurrentRole));
        QVERIFY(!flag(QStringLiteral("bbbb02"), RevisionTimelineModel::CurrentRole));
        QVERIFY(model.index(model.rowOfRevision(QStringLiteral("cccc03")), 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("The database is at this revision")));

        // Both branches applied: everything below the merge is applied.
        model.setCurrentHeads({ QStringLiteral("cccc03"), QStringLiteral("dddd04") });
        QVERIFY(flag(QStringLiteral("dddd04"), RevisionTimelineModel::AppliedRole));
        QVERIFY(flag(QStringLiteral("dddd04"), RevisionTimelineModel::CurrentRole));
        QVERIFY(flag(QStringLiteral("eeee05"), RevisionTimelineModel::PendingRole));

        // At head: nothing pending.
        model.setCurrentHeads({ QStringLiteral("ffff06") });
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(model.isApplied(row) && !model.isPending(row));

        // At base (an empty version table): everything pending.
        model.setCurrentHeads({});
        QVERIFY(model.hasDatabaseState());
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(!model.isApplied(row) && model.isPending(row));

        model.clearCurrentHeads();
        QVERIFY(!model.hasDatabaseState());
        QVERIFY(!model.isPending(0));

        // An id the repository does not know applies nothing, and does not crash.
        model.setCurrentHeads({ QStringLiteral("zzzz99") });
        QVERIFY(model.isPending(0));
    }

    void replacingAndClearingTheGraph()
    {
        const RevisionGraph first = makeGraph({ QStringLiteral("aaaa01"), QStringLiteral("bbbb02:aaaa01") });
        const RevisionGraph second = makeGraph({ QStringLiteral("cccc03") });
        RevisionTimelineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setGraph(&first);
        model.setCurrentHeads({ QStringLiteral("aaaa01") });
        QCOMPARE(model.rowCount(), 2);
        model.setGraph(&second);
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.isPending(0)); // the database state carries over
        model.setGraph(nullptr);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.rowOfRevision(QStringLiteral("cccc03")), -1);
    }

    void tenThousandRevisionsLoad()
    {
        QStringList specs;
        specs.reserve(10000);
        specs.append(QStringLiteral("r00000"));
        for (int i = 1; i < 10000; ++i)
            specs.append(QStringLiteral("r%1:r%2")
                             .arg(i, 5, 10, QLatin1Char('0'))
                             .arg(i - 1, 5, 10, QLatin1Char('0')));
        const RevisionGraph graph = makeGraph(specs);
        RevisionTimelineModel model;
        model.setGraph(&graph);
        QCOMPARE(model.rowCount(), 10000);
        QCOMPARE(model.laneCount(), 1);
        QCOMPARE(model.revisionAt(0), QStringLiteral("r09999"));
        QCOMPARE(model.revisionAt(9999), QStringLiteral("r00000"));
        QVERIFY(model.isHead(0));
        model.setCurrentHeads({ QStringLiteral("r05000") });
        QCOMPARE(model.rowOfRevision(QStringLiteral("r05000")), 4999);
        QVERIFY(model.isPending(4998));
        QVERIFY(model.isApplied(4999));
        QVERIFY(model.isCurrent(4999));
        QVERIFY(model.isApplied(9999));
        for (int row : { 0, 5000, 9999 }) {
            QCOMPARE(model.laneRow(row).lane, 0);
            QCOMPARE(model.laneRow(row).width, 1);
        }
    }
};

QTEST_MAIN(TestTimelineModel)
#include "tst_timelinemodel.moc"
