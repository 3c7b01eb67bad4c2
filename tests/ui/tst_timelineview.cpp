#include "RevisionTimelineModel.h"
#include "RevisionTimelineView.h"
#include "migrations/MigrationFileParser.h"
#include "migrations/RevisionGraph.h"

#include <QAction>
#include <QClipboard>
#include <QHeaderView>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

Revision makeRevision(const QString& id, const QString& parents)
{
    const QString text
        = QStringLiteral("-- revision: %1\n-- down_revision: %2\n-- message: rev %1\n\n"
                         "-- +upgrade\nCREATE TABLE t_%1 (id int);\n\n-- +downgrade\nDROP TABLE t_%1;\n")
              .arg(id, parents);
    Result<Revision> r = MigrationFileParser::parseText(text, id + QStringLiteral(".sql"));
    if (!r)
        qFatal("bad test revision: %s", qPrintable(r.error().toString()));
    return r.value();
}

RevisionGraph makeGraph()
{
    RevisionList revisions { makeRevision(QStringLiteral("aaaa01"), QStringLiteral("none")),
        makeRevision(QStringLiteral("bbbb02"), QStringLiteral("aaaa01")),
        makeRevision(QStringLiteral("cccc03"), QStringLiteral("bbbb02")),
        makeRevision(QStringLiteral("dddd04"), QStringLiteral("bbbb02")),
        makeRevision(QStringLiteral("eeee05"), QStringLiteral("cccc03, dddd04")) };
    Result<RevisionGraph> graph = RevisionGraph::build(revisions);
    if (!graph)
        qFatal("bad test graph: %s", qPrintable(graph.error().toString()));
    return graph.value();
}

} // namespace

class TestTimelineView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void selectionAndActionsEmitSignals()
    {
        const RevisionGraph graph = makeGraph();
        RevisionTimelineModel model;
        model.setGraph(&graph);
        RevisionTimelineView view;
        view.setModel(&model);
        view.resize(800, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.uniformRowHeights());
        QVERIFY(!view.accessibleName().isEmpty());

        QSignalSpy selected(&view, &RevisionTimelineView::revisionSelected);
        QVERIFY(view.selectRevision(QStringLiteral("cccc03")));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).toString(), QStringLiteral("cccc03"));
        QCOMPARE(view.currentRevision(), QStringLiteral("cccc03"));
        QVERIFY(!view.selectRevision(QStringLiteral("nope")));

        // A click on a row selects it too.
        const QRect rowRect = view.visualRect(model.index(0, RevisionTimelineModel::MessageColumn));
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, rowRect.center());
        QCOMPARE(selected.count(), 2);
        QCOMPARE(selected.at(1).at(0).toString(), model.revisionAt(0));

        QSignalSpy upgrade(&view, &RevisionTimelineView::upgradeRequested);
        QSignalSpy rollback(&view, &RevisionTimelineView::rollbackRequested);
        QSignalSpy stamp(&view, &RevisionTimelineView::stampRequested);
        view.selectRevision(QStringLiteral("bbbb02"));
        view.upgradeAction()->trigger();
        view.rollbackAction()->trigger();
        view.stampAction()->trigger();
        QCOMPARE(upgrade.count(), 1);
        QCOMPARE(upgrade.at(0).at(0).toString(), QStringLiteral("bbbb02"));
        QCOMPARE(rollback.at(0).at(0).toString(), QStringLiteral("bbbb02"));
        QCOMPARE(stamp.at(0).at(0).toString(), QStringLiteral("bbbb02"));
        view.copyIdAction()->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("bbbb02"));
    }

    void actionsFollowTheDatabaseState()
    {
        const RevisionGraph graph = makeGraph();
        RevisionTimelineModel model;
        model.setGraph(&graph);
        RevisionTimelineView view;
        view.setModel(&model);
        model.setCurrentHeads({ QStringLiteral("cccc03") });

        view.selectRevision(QStringLiteral("eeee05")); // pending
        QVERIFY(view.upgradeAction()->isEnabled());
        QVERIFY(!view.rollbackAction()->isEnabled());
        QVERIFY(view.stampAction()->isEnabled());

        view.selectRevision(QStringLiteral("cccc03")); // where the database is
        QVERIFY(!view.upgradeAction()->isEnabled());
        QVERIFY(!view.rollbackAction()->isEnabled());
        QVERIFY(!view.stampAction()->isEnabled());
        QVERIFY(view.copyIdAction()->isEnabled());

        view.selectRevision(QStringLiteral("aaaa01")); // applied, below the database
        QVERIFY(!view.upgradeAction()->isEnabled());
        QVERIFY(view.rollbackAction()->isEnabled());

        // The state changes under a selected row: the actions follow.
        model.setCurrentHeads({});
        QVERIFY(view.upgradeAction()->isEnabled());
        QVERIFY(!view.rollbackAction()->isEnabled());
    }

    void paintsWithoutAModelAndWithOne()
    {
        RevisionTimelineView view;
        view.resize(600, 200);
        QVERIFY(!view.grab().isNull());
        const RevisionGraph graph = makeGraph();
        RevisionTimelineModel model;
        model.setGraph(&graph);
        model.setCurrentHeads({ QStringLiteral("dddd04") });
        view.setModel(&model);
        QVERIFY(view.header()->sectionSize(RevisionTimelineModel::GraphColumn) > 0);
        QVERIFY(!view.grab().isNull());
    }

    void tenThousandRevisionsShow()
    {
        RevisionList revisions { makeRevision(QStringLiteral("r00000"), QStringLiteral("none")) };
        for (int i = 1; i < 10000; ++i)
            revisions.append(makeRevision(QStringLiteral("r%1").arg(i, 5, 10, QLatin1Char('0')),
                QStringLiteral("r%1").arg(i - 1, 5, 10, QLatin1Char('0'))));
        Result<RevisionGraph> graph = RevisionGraph::build(revisions);
        QVERIFY(graph);
        RevisionTimelineModel model;
        model.setGraph(&graph.value());
        model.setCurrentHeads({ QStringLiteral("r05000") });
        RevisionTimelineView view;
        view.resize(800, 400);
        view.setModel(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.selectRevision(QStringLiteral("r00001")));
        QCOMPARE(view.currentRevision(), QStringLiteral("r00001"));
        QVERIFY(!view.grab().isNull());
    }
};

QTEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
