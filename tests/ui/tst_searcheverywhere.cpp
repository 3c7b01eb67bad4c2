// Search Everywhere (Ctrl+K) in the real console, offscreen, against a real
// server (run through tests/with-postgres.sh): type in the popup, check the
// groups, and Enter selects the SQL line, the audit object or the revision.
#include "AuditFilterModel.h"
#include "AuditModel.h"
#include "AuditPanel.h"
#include "MainWindow.h"
#include "MainWindowTestSupport.h"
#include "RevisionTimelineView.h"
#include "SearchEverywherePopup.h"
#include "SqlEditor.h"
#include "SqlPreviewPanel.h"
#include "TestDatabase.h"
#include "TestUserFiles.h"
#include "session/ConsoleSession.h"

#include <QAction>
#include <QCheckBox>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTreeView>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

QString groupHeadings(const SearchEverywherePopup& popup)
{
    return popup.groupHeadings().join(QStringLiteral(" | "));
}

// Down through the hits until `wanted` says yes; false at the end of the list.
template<typename Predicate> bool moveDownTo(SearchEverywherePopup& popup, Predicate wanted)
{
    for (int step = 0; step < 200; ++step) {
        const SearchHit* hit = popup.currentHit();
        if (hit && wanted(*hit))
            return true;
        const int before = popup.resultList()->currentRow();
        QTest::keyClick(popup.searchField(), Qt::Key_Down);
        if (popup.resultList()->currentRow() == before)
            return false;
    }
    return false;
}

void typeQuery(SearchEverywherePopup& popup, const QString& text)
{
    popup.searchField()->selectAll();
    QTest::keyClicks(popup.searchField(), text);
}

} // namespace

class TestSearchEverywhere : public QObject
{
    Q_OBJECT
private:
    QString m_adminUrl;
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        m_adminUrl = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        testing::isolateUserFiles(m_home);
    }

    void searchAndJumpInTheConsole()
    {
        if (m_adminUrl.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL");
        const QString url
            = testing::databaseAt(m_adminUrl, QStringLiteral("search_ui"), QStringLiteral("19c513d3bf90"));
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("search.conf"))));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(testing::connectToUrlAndWait(window, url));
        QVERIFY(window.auditPanel()->hasReport());
        QCOMPARE(window.session()->pendingCount(), 23);

        // Ctrl+K opens it from the window (the Go menu's action, in the toolbar too).
        QAction* action = window.searchEverywhereAction();
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_K));
        QVERIFY2(action->toolTip().contains(QStringLiteral("Ctrl+K")), qPrintable(action->toolTip()));
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QCOMPARE(window.tabs()->currentWidget(), window.auditPanel());
        QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
        SearchEverywherePopup* popup = window.searchPopup();
        QVERIFY(popup->isVisible());
        QCOMPARE(QApplication::focusWidget(), popup->searchField());

        // The SQL tab was hidden, so its pending upgrade was not rendered yet:
        // opening the search renders it, and its lines are found.
        typeQuery(*popup, QStringLiteral("create table equity_changes"));
        QVERIFY2(groupHeadings(*popup).contains(QStringLiteral("SQL lines (1)")),
            qPrintable(groupHeadings(*popup)));
        QVERIFY(
            moveDownTo(*popup, [](const SearchHit& hit) { return hit.kind == SearchHit::Kind::SqlLine; }));
        const SearchHit sqlHit = *popup->currentHit();
        QTest::keyClick(popup->searchField(), Qt::Key_Return);
        QVERIFY(!popup->isVisible());
        SqlEditor* editor = window.sqlPreview()->editor();
        QCOMPARE(window.tabs()->currentWidget(), window.sqlPreview());
        QCOMPARE(editor->textCursor().blockNumber(), sqlHit.line);
        QCOMPARE(
            editor->textCursor().selectedText().toLower(), QStringLiteral("create table equity_changes"));
        QVERIFY(
            editor->textCursor().block().text().startsWith(QStringLiteral("CREATE TABLE equity_changes")));

        // The groups, in order, for a word in all three kinds.
        action->trigger();
        QVERIFY(popup->isVisible());
        QCOMPARE(popup->searchField()->selectedText(), QStringLiteral("create table equity_changes"));
        typeQuery(*popup, QStringLiteral("equity"));
        const QStringList headings = popup->groupHeadings();
        QCOMPARE(headings.size(), 3);
        QVERIFY2(headings.at(0).startsWith(QStringLiteral("Revisions (")), qPrintable(groupHeadings(*popup)));
        QVERIFY2(
            headings.at(1).startsWith(QStringLiteral("Audit objects (")), qPrintable(groupHeadings(*popup)));
        QVERIFY2(headings.at(2).startsWith(QStringLiteral("SQL lines (")), qPrintable(groupHeadings(*popup)));
        QVERIFY(popup->results().revisions.total >= 2); // "create equity changes", ...

        // An audit object hidden by the tab's filter: Enter shows and selects it.
        // The exact name comes first in its group: the MISSING table itself.
        typeQuery(*popup, QStringLiteral("equity_changes"));
        QVERIFY(moveDownTo(
            *popup, [](const SearchHit& hit) { return hit.kind == SearchHit::Kind::AuditObject; }));
        const SearchHit tableHit = *popup->currentHit();
        QCOMPARE(tableHit.name, QStringLiteral("equity_changes"));
        QCOMPARE(tableHit.objectKind, AuditItem::Kind::Table);
        QCOMPARE(tableHit.status, AuditItem::Status::Missing);
        QTest::keyClick(popup->searchField(), Qt::Key_Escape);
        QVERIFY(!popup->isVisible());
        window.auditPanel()->filterEdit()->setText(QStringLiteral("no object is called this"));

        // A column of that table, by "table.column".
        const AuditReport report = window.auditPanel()->report();
        int columnIndex = -1;
        for (int i = 0; i < report.items.size() && columnIndex < 0; ++i) {
            if (report.items.at(i).table == QLatin1String("equity_changes")
                && report.items.at(i).objectKind == AuditItem::Kind::Column)
                columnIndex = i;
        }
        QVERIFY(columnIndex >= 0);
        const AuditItem& column = report.items.at(columnIndex);
        action->trigger();
        typeQuery(*popup, QStringLiteral("equity_changes.") + column.name);
        QVERIFY2(groupHeadings(*popup).contains(QStringLiteral("Audit objects (")),
            qPrintable(groupHeadings(*popup)));
        QVERIFY(
            moveDownTo(*popup, [columnIndex](const SearchHit& hit) { return hit.auditItem == columnIndex; }));
        QCOMPARE(popup->currentHit()->status, column.status);
        QTest::keyClick(popup->searchField(), Qt::Key_Enter);
        QVERIFY(!popup->isVisible());
        QCOMPARE(window.tabs()->currentWidget(), window.auditPanel());
        QVERIFY(window.auditPanel()->filterEdit()->text().isEmpty());
        const QModelIndex current = window.auditPanel()->treeView()->currentIndex();
        QVERIFY(current.isValid());
        const AuditItem* selected
            = window.auditPanel()->model()->itemAt(window.auditPanel()->filterModel()->mapToSource(current));
        QVERIFY(selected);
        QCOMPARE(selected->table, QStringLiteral("equity_changes"));
        QCOMPARE(selected->name, column.name);
        QCOMPARE(selected->objectKind, AuditItem::Kind::Column);
        QVERIFY(window.auditPanel()->treeView()->isExpanded(current.parent()));

        // A revision by id prefix: the Timeline selects it (and the SQL tab
        // then shows that revision, as a click on it does).
        action->trigger();
        typeQuery(*popup, QStringLiteral("E85C2A"));
        QCOMPARE(popup->results().revisions.total, 1);
        QVERIFY2(groupHeadings(*popup).startsWith(QStringLiteral("Revisions (1)")),
            qPrintable(groupHeadings(*popup)));
        QCOMPARE(popup->currentHit()->revision, QStringLiteral("e85c2a7d1f96"));
        QTest::keyClick(popup->searchField(), Qt::Key_Return);
        QCOMPARE(window.tabs()->currentWidget(), window.timelineView());
        QCOMPARE(window.timelineView()->currentRevision(), QStringLiteral("e85c2a7d1f96"));
        QVERIFY(window.sqlPreview()->editor()->scriptText().contains(
            QStringLiteral("CREATE TABLE equity_changes")));

        // Up/Down skip the headings; nothing found says so and Enter does nothing.
        action->trigger();
        typeQuery(*popup, QStringLiteral("equity"));
        const int first = popup->resultList()->currentRow();
        QCOMPARE(first, 1); // row 0 is the first heading
        QTest::keyClick(popup->searchField(), Qt::Key_Up);
        QCOMPARE(popup->resultList()->currentRow(), first);
        typeQuery(*popup, QStringLiteral("zz-no-such-thing-zz"));
        QCOMPARE(popup->results().total(), 0);
        QVERIFY(!popup->currentHit());
        QCOMPARE(popup->resultList()->count(), 0);
        QTest::keyClick(popup->searchField(), Qt::Key_Return);
        QCOMPARE(window.tabs()->currentWidget(), window.timelineView());
        QTest::keyClick(popup->searchField(), Qt::Key_Escape);
        QVERIFY(!popup->isVisible());

        // A click opens a hit too; a click on a heading does nothing.
        action->trigger();
        typeQuery(*popup, QStringLiteral("792ffb"));
        QListWidget* list = popup->resultList();
        QCOMPARE(list->count(), 2);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(0)).center());
        QVERIFY(popup->isVisible());
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(1)).center());
        QVERIFY(!popup->isVisible());
        QCOMPARE(window.timelineView()->currentRevision(), QStringLiteral("792ffb1ab1ad"));
    }
};

QTEST_MAIN(TestSearchEverywhere)
#include "tst_searcheverywhere.moc"
