#include "FindBar.h"
#include "SqlEditor.h"
#include "SqlHighlighter.h"
#include "SqlPreviewPanel.h"
#include "migrations/MigrationFileParser.h"
#include "migrations/RevisionGraph.h"
#include "render/SqlScriptRenderer.h"

#include <QAction>
#include <QClipboard>
#include <QLineEdit>
#include <QListWidget>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextLayout>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

Revision parseRevision(const QString& text, const QString& path)
{
    Result<Revision> r = MigrationFileParser::parseText(text, path);
    if (!r)
        qFatal("bad test revision: %s", qPrintable(r.error().toString()));
    return r.value();
}

// Three revisions: a table, an ALTER TABLE (written over two lines) and a
// CREATE INDEX CONCURRENTLY in a non-transactional revision.
RevisionGraph makeGraph()
{
    RevisionList revisions;
    revisions.append(parseRevision(
        QStringLiteral("-- revision: aaaa01\n-- down_revision: none\n-- message: create t\n\n"
                       "-- +upgrade\nCREATE TABLE t (id int);\n\n-- +downgrade\nDROP TABLE t;\n"),
        QStringLiteral("aaaa01.sql")));
    revisions.append(
        parseRevision(QStringLiteral("-- revision: bbbb02\n-- down_revision: aaaa01\n-- message: add x\n\n"
                                     "-- +upgrade\nALTER TABLE t\n    ADD COLUMN x int;\n"
                                     "UPDATE t SET x = 1;\n\n-- +downgrade\nALTER TABLE t DROP COLUMN x;\n"),
            QStringLiteral("bbbb02.sql")));
    revisions.append(
        parseRevision(QStringLiteral("-- revision: cccc03\n-- down_revision: bbbb02\n-- message: index x\n"
                                     "-- transactional: false\n\n"
                                     "-- +upgrade\nCREATE INDEX CONCURRENTLY ix_t_x ON t (x);\n\n"
                                     "-- +downgrade\nDROP INDEX CONCURRENTLY ix_t_x;\n"),
            QStringLiteral("cccc03.sql")));
    Result<RevisionGraph> graph = RevisionGraph::build(revisions);
    if (!graph)
        qFatal("bad test graph: %s", qPrintable(graph.error().toString()));
    return graph.value();
}

RenderedScript upgradeScript(const RevisionGraph& graph)
{
    Result<MigrationPlan> plan = graph.upgradePlan({}, QStringLiteral("head"));
    if (!plan)
        qFatal("bad plan: %s", qPrintable(plan.error().toString()));
    // One transaction per revision: the ALTER TABLE then works on a table an
    // earlier transaction created, which the lock model marks (a table
    // created in the same transaction blocks nobody and is not marked).
    SqlScriptRenderer::Options options;
    options.transactionMode = TransactionMode::PerRevision;
    return SqlScriptRenderer::render(*plan, graph, options);
}

QString blockText(const SqlEditor& editor, int block)
{
    return editor.document()->findBlockByNumber(block).text();
}

// The highlighting format at a position of a block, as the layout stores it.
QTextCharFormat formatAt(const QTextBlock& block, int position)
{
    const QVector<QTextLayout::FormatRange> ranges = block.layout()->formats();
    for (const QTextLayout::FormatRange& range : ranges) {
        if (position >= range.start && position < range.start + range.length)
            return range.format;
    }
    return {};
}

// About 100,000 lines: 2,000 steps of 16 three-line statements, a comment
// and an ALTER TABLE at the very end.
RenderedScript bigScript(int* expectedLines)
{
    RenderedScript script;
    const int steps = 2000;
    for (int step = 0; step < steps; ++step) {
        ScriptItem comment;
        comment.kind = ScriptItem::Kind::Comment;
        comment.sql = QStringLiteral("Running upgrade r%1 -> r%2").arg(step).arg(step + 1);
        comment.stepIndex = step;
        comment.revision = QStringLiteral("r%1").arg(step + 1);
        script.items.append(comment);
        for (int i = 0; i < 16; ++i) {
            ScriptItem statement;
            statement.kind = ScriptItem::Kind::Statement;
            statement.sql
                = QStringLiteral("INSERT INTO big_table (step, n)\n    VALUES (%1, %2)").arg(step).arg(i);
            statement.stepIndex = step;
            statement.revision = comment.revision;
            script.items.append(statement);
        }
    }
    ScriptItem last;
    last.kind = ScriptItem::Kind::Statement;
    last.sql = QStringLiteral("ALTER TABLE big_table ADD COLUMN needle_column int");
    last.stepIndex = steps - 1;
    script.items.append(last);
    // A comment takes 2 lines (its text, a blank), a two-line statement 3, the
    // final one-line statement 2; then the empty last line after the final break.
    *expectedLines = steps * (2 + 16 * 3) + 2 + 1;
    return script;
}

} // namespace

class TestSqlEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void textIsExactlyTheScript()
    {
        const RevisionGraph graph = makeGraph();
        const RenderedScript script = upgradeScript(graph);
        SqlEditor editor;
        editor.setScript(script);
        QCOMPARE(editor.toPlainText(), script.text());
        QCOMPARE(editor.scriptText(), script.text());
        QVERIFY(editor.isReadOnly());
        QVERIFY(QFontInfo(editor.font()).fixedPitch());
        QCOMPARE(editor.blockCount(), ScriptAnnotations::compute(script).blockCount());
    }

    void markersForLocksAndConcurrently()
    {
        const RevisionGraph graph = makeGraph();
        SqlEditor editor;
        editor.setScript(upgradeScript(graph));
        const QList<StatementMarker> markers = editor.markers();
        // CREATE TABLE creates a new object: no marker.  UPDATE: none either.
        QCOMPARE(markers.size(), 2);

        const StatementMarker& alter = markers.at(0);
        QVERIFY(alter.takesStrongLock);
        QVERIFY(!alter.cannotRunInTransaction);
        QCOMPARE(alter.lockName, QStringLiteral("ACCESS EXCLUSIVE"));
        QVERIFY2(alter.toolTip.contains(QStringLiteral("ALTER TABLE: takes an ACCESS EXCLUSIVE lock")),
            qPrintable(alter.toolTip));
        QCOMPARE(blockText(editor, alter.firstBlock), QStringLiteral("ALTER TABLE t"));
        QCOMPARE(alter.lastBlock, alter.firstBlock + 1);
        QCOMPARE(blockText(editor, alter.lastBlock), QStringLiteral("    ADD COLUMN x int;"));

        const StatementMarker& index = markers.at(1);
        QVERIFY(index.cannotRunInTransaction);
        QVERIFY(!index.takesStrongLock);
        QCOMPARE(index.toolTip, QStringLiteral("CREATE INDEX CONCURRENTLY: runs outside a transaction"));
        QCOMPARE(blockText(editor, index.firstBlock),
            QStringLiteral("CREATE INDEX CONCURRENTLY ix_t_x ON t (x);"));
        QCOMPARE(index.lastBlock, index.firstBlock);

        QVERIFY(editor.markerAtBlock(alter.firstBlock + 1));
        QVERIFY(!editor.markerAtBlock(alter.firstBlock - 1));
        QVERIFY(!editor.markerAtBlock(alter.lastBlock + 1));
    }

    void outlineListsEachStep()
    {
        const RevisionGraph graph = makeGraph();
        SqlEditor editor;
        editor.setScript(upgradeScript(graph));
        const QList<OutlineEntry> outline = editor.outline();
        QCOMPARE(outline.size(), 3);
        const QStringList revisions { QStringLiteral("aaaa01"), QStringLiteral("bbbb02"),
            QStringLiteral("cccc03") };
        for (int i = 0; i < outline.size(); ++i) {
            QCOMPARE(outline.at(i).stepIndex, i);
            QCOMPARE(outline.at(i).revision, revisions.at(i));
            QCOMPARE(
                blockText(editor, outline.at(i).blockNumber), QStringLiteral("-- ") + outline.at(i).title);
        }
        QCOMPARE(outline.at(1).title, QStringLiteral("Running upgrade aaaa01 -> bbbb02"));
    }

    void goToRevisionMovesTheCursor()
    {
        const RevisionGraph graph = makeGraph();
        SqlEditor editor;
        editor.resize(600, 200);
        editor.setScript(upgradeScript(graph));
        QVERIFY(editor.goToRevision(2));
        const int line = editor.outline().at(2).blockNumber;
        QCOMPARE(editor.textCursor().blockNumber(), line);
        QCOMPARE(editor.textCursor().positionInBlock(), 0);
        QCOMPARE(blockText(editor, line), QStringLiteral("-- Running upgrade bbbb02 -> cccc03"));
        QVERIFY(editor.goToRevision(0));
        QCOMPARE(editor.textCursor().blockNumber(), editor.outline().at(0).blockNumber);
        QVERIFY(!editor.goToRevision(7));
    }

    void findIsCaseInsensitiveAndWraps()
    {
        const RevisionGraph graph = makeGraph();
        SqlEditor editor;
        editor.setScript(upgradeScript(graph));
        QVERIFY(editor.findNext(QStringLiteral("concurrently")));
        QCOMPARE(editor.textCursor().selectedText(), QStringLiteral("CONCURRENTLY"));
        const int first = editor.textCursor().blockNumber();
        QCOMPARE(blockText(editor, first), QStringLiteral("CREATE INDEX CONCURRENTLY ix_t_x ON t (x);"));
        QVERIFY(!editor.lastSearchWrapped());
        // The only match: the next search wraps around to it again.
        QVERIFY(editor.findNext(QStringLiteral("Concurrently")));
        QVERIFY(editor.lastSearchWrapped());
        QCOMPARE(editor.textCursor().blockNumber(), first);
        // Backwards from the start wraps to the end.
        editor.goToBlock(0);
        QVERIFY(editor.findPrevious(QStringLiteral("alter table")));
        QVERIFY(editor.lastSearchWrapped());
        QCOMPARE(editor.textCursor().selectedText(), QStringLiteral("ALTER TABLE"));
        // No match: false, cursor unchanged.
        const QTextCursor before = editor.textCursor();
        QVERIFY(!editor.findNext(QStringLiteral("no such text")));
        QCOMPARE(editor.textCursor(), before);
    }

    void findBarSearches()
    {
        const RevisionGraph graph = makeGraph();
        SqlEditor editor;
        editor.resize(700, 300);
        editor.setScript(upgradeScript(graph));
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QVERIFY(!editor.findBar()->isVisible());
        editor.findAction()->trigger();
        QVERIFY(editor.findBar()->isVisible());
        QTest::keyClicks(editor.findBar()->searchField(), QStringLiteral("update t"));
        QTest::keyClick(editor.findBar()->searchField(), Qt::Key_Return);
        QCOMPARE(editor.textCursor().selectedText(), QStringLiteral("UPDATE t"));
        QTest::keyClick(editor.findBar()->searchField(), Qt::Key_Escape);
        QVERIFY(!editor.findBar()->isVisible());
    }

    void findBarCountsAndHighlightsEveryMatch()
    {
        const RevisionGraph graph = makeGraph();
        const RenderedScript script = upgradeScript(graph);
        SqlEditor editor;
        editor.resize(700, 1200); // every line in view
        editor.setScript(script);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QVERIFY(editor.blockCount() < 60);
        // Counted here another way: a case-insensitive regular expression.
        int expected = 0;
        QRegularExpressionMatchIterator table
            = QRegularExpression(QStringLiteral("table"), QRegularExpression::CaseInsensitiveOption)
                  .globalMatch(script.text());
        while (table.hasNext()) {
            table.next();
            ++expected;
        }
        QVERIFY2(expected >= 3, qPrintable(QString::number(expected)));
        const QColor lightWash = editor.matchHighlightColor();
        auto highlights = [&editor] {
            QList<QTextEdit::ExtraSelection> matches;
            const QList<QTextEdit::ExtraSelection> all = editor.extraSelections();
            for (const QTextEdit::ExtraSelection& selection : all) {
                if (!selection.format.boolProperty(QTextFormat::FullWidthSelection))
                    matches.append(selection);
            }
            return matches;
        };

        editor.findAction()->trigger();
        QLineEdit* field = editor.findBar()->searchField();
        // As one types: counted, highlighted, the first match selected.
        QTest::keyClicks(field, QStringLiteral("tab"));
        QTest::keyClicks(field, QStringLiteral("le"));
        QCOMPARE(editor.matchCount(), expected);
        QCOMPARE(editor.currentMatch(), 0);
        QCOMPARE(editor.findBar()->statusText(), QStringLiteral("1 of %1").arg(expected));
        QCOMPARE(editor.textCursor().selectedText().toLower(), QStringLiteral("table"));
        QList<QTextEdit::ExtraSelection> shown = highlights();
        QCOMPARE(shown.size(), expected);
        for (const QTextEdit::ExtraSelection& match : std::as_const(shown)) {
            QCOMPARE(match.cursor.selectedText().toLower(), QStringLiteral("table"));
            QCOMPARE(match.format.background().color(), lightWash);
        }
        QVERIFY(lightWash != editor.palette().color(QPalette::Base));

        // Enter and Shift+Enter walk through them; before the first, it wraps.
        QTest::keyClick(field, Qt::Key_Return);
        QCOMPARE(editor.findBar()->statusText(), QStringLiteral("2 of %1").arg(expected));
        QTest::keyClick(field, Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(editor.currentMatch(), 0);
        QTest::keyClick(field, Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(editor.currentMatch(), expected - 1);
        QCOMPARE(editor.findBar()->statusText(), QStringLiteral("%1 of %1, wrapped").arg(expected));

        // No match: nothing highlighted; back to the word: all of them again.
        QTest::keyClick(field, Qt::Key_X);
        QCOMPARE(editor.matchCount(), 0);
        QCOMPARE(editor.findBar()->statusText(), QStringLiteral("No matches"));
        QVERIFY(highlights().isEmpty());
        QTest::keyClick(field, Qt::Key_Backspace);
        QCOMPARE(editor.matchCount(), expected);
        QCOMPARE(highlights().size(), expected);
        // Moving the cursor off the match: "N matches", none of them current.
        editor.goToBlock(0);
        QCOMPARE(editor.currentMatch(), -1);
        QCOMPARE(editor.findBar()->statusText(), QStringLiteral("%1 matches").arg(expected));

        // A dark palette: a darker wash, applied at once.
        QPalette dark = editor.palette();
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xdd, 0xdd, 0xdd));
        editor.setPalette(dark);
        const QColor darkWash = editor.matchHighlightColor();
        QVERIFY(darkWash.lightness() < lightWash.lightness());
        QVERIFY(darkWash != dark.color(QPalette::Base));
        shown = highlights();
        QCOMPARE(shown.size(), expected);
        QCOMPARE(shown.constFirst().format.background().color(), darkWash);

        // Closing the bar takes the highlights away; opening it brings them back.
        QTest::keyClick(field, Qt::Key_Escape);
        QVERIFY(highlights().isEmpty());
        QCOMPARE(editor.matchCount(), 0);
        editor.findAction()->trigger();
        QCOMPARE(editor.matchCount(), expected);
        QCOMPARE(highlights().size(), expected);
        // A new script is searched again.
        editor.setScript(RenderedScript());
        QCOMPARE(editor.matchCount(), 0);
        QCOMPARE(editor.findBar()->statusText(), QStringLiteral("No matches"));
    }

    void selectInBlockSelectsAHitInPlace()
    {
        const RevisionGraph graph = makeGraph();
        SqlEditor editor;
        editor.setScript(upgradeScript(graph));
        const int line = editor.markers().at(1).firstBlock; // CREATE INDEX CONCURRENTLY ix_t_x ON t (x);
        editor.selectInBlock(line, 13, 12);
        QCOMPARE(editor.textCursor().blockNumber(), line);
        QCOMPARE(editor.textCursor().selectedText(), QStringLiteral("CONCURRENTLY"));
        // Clipped to the line.
        editor.selectInBlock(line, 39, 100);
        QCOMPARE(editor.textCursor().selectedText(), QStringLiteral("x);"));
    }

    void copyAndSaveWriteTheExactScript()
    {
        const RevisionGraph graph = makeGraph();
        const RenderedScript script = upgradeScript(graph);
        SqlEditor editor;
        editor.setScript(script);
        editor.copyToClipboard();
        QCOMPARE(QGuiApplication::clipboard()->text(), script.text());

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("upgrade.sql"));
        QString error;
        QVERIFY2(editor.saveScript(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), script.text().toUtf8());
        QVERIFY(!editor.saveScript(dir.filePath(QStringLiteral("missing/dir/x.sql")), &error));
        QVERIFY(!error.isEmpty());
    }

    void highlightingFollowsNewContent()
    {
        SqlEditor editor;
        ScriptItem item;
        item.kind = ScriptItem::Kind::Statement;
        item.sql = QStringLiteral("SELECT 1");
        RenderedScript first;
        first.items.append(item);
        editor.setScript(first);
        item.kind = ScriptItem::Kind::Comment;
        item.sql = QStringLiteral("abc SELECT 1");
        RenderedScript second;
        second.items.append(item);
        editor.setScript(second);
        QCoreApplication::processEvents();
        // "-- abc SELECT 1" is one comment: the same format from start to end,
        // not the keyword and number formats of the previous text.
        const QTextBlock block = editor.document()->firstBlock();
        QCOMPARE(block.text(), QStringLiteral("-- abc SELECT 1"));
        QVERIFY(formatAt(block, 0).foreground().color().isValid());
        QCOMPARE(formatAt(block, 0), formatAt(block, 8));
        QCOMPARE(formatAt(block, 0), formatAt(block, 14));
    }

    void highlightingFollowsEdits()
    {
        // An edit in place (not a whole new text) must be highlighted with the
        // new text's tokens, not the ones scanned before the edit.
        // (A document only reports changes once a view has laid it out.)
        QPlainTextEdit edit;
        edit.setPlainText(QStringLiteral("SELECT 1"));
        SqlHighlighting::attach(edit.document());
        QCoreApplication::processEvents(); // the first, delayed highlighting
        QTextCursor(edit.document()).insertText(QStringLiteral("-- abc "));
        const QTextBlock block = edit.document()->firstBlock();
        QCOMPARE(block.text(), QStringLiteral("-- abc SELECT 1"));
        QVERIFY(formatAt(block, 0).foreground().color().isValid());
        QCOMPARE(formatAt(block, 0), formatAt(block, 8));
        QCOMPARE(formatAt(block, 0), formatAt(block, 14));
    }

    void paletteChangeKeepsText()
    {
        const RevisionGraph graph = makeGraph();
        const RenderedScript script = upgradeScript(graph);
        SqlEditor editor;
        editor.setScript(script);
        QPalette dark = editor.palette();
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xdd, 0xdd, 0xdd));
        editor.setPalette(dark);
        QCoreApplication::processEvents();
        QCOMPARE(editor.toPlainText(), script.text());
        QVERIFY(!editor.document()->firstBlock().layout()->formats().isEmpty());
        QVERIFY(!editor.grab().isNull());
    }

    void previewPanelOutlineJumps()
    {
        const RevisionGraph graph = makeGraph();
        SqlPreviewPanel panel;
        panel.resize(900, 400);
        panel.setScript(upgradeScript(graph), &graph);
        QListWidget* outline = panel.outlineList();
        QCOMPARE(outline->count(), 3);
        QVERIFY(outline->item(1)->text().startsWith(QStringLiteral("bbbb02")));
        QVERIFY(outline->item(1)->text().contains(QStringLiteral("add x")));
        QSignalSpy activated(&panel, &SqlPreviewPanel::stepActivated);
        Q_EMIT outline->itemClicked(outline->item(2));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toInt(), 2);
        QCOMPARE(panel.editor()->textCursor().blockNumber(), panel.editor()->outline().at(2).blockNumber);
        // The outline follows the cursor.
        panel.editor()->goToRevision(1);
        QCOMPARE(outline->currentRow(), 1);
        panel.editor()->goToBlock(panel.editor()->outline().at(2).blockNumber + 2);
        QCOMPARE(outline->currentRow(), 2);
        panel.editor()->goToBlock(0); // BEGIN, before the first step
        QCOMPARE(outline->currentRow(), -1);
        QVERIFY(panel.summaryText().contains(QStringLiteral("1 statement takes a strong lock")));
        QVERIFY(panel.summaryText().contains(QStringLiteral("1 statement runs outside a transaction")));
    }

    void hundredThousandLines()
    {
        int expectedLines = 0;
        const RenderedScript script = bigScript(&expectedLines);
        QCOMPARE(expectedLines, 100003);
        SqlEditor editor;
        editor.resize(800, 600);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        const int scansBefore = SqlHighlighting::scanCount();
        editor.setScript(script);
        QCoreApplication::processEvents();
        QCOMPARE(editor.blockCount(), expectedLines);
        // The built-in highlighter scans the document once, not once per block
        // (KSyntaxHighlighting, where present, does not scan at all).
        QVERIFY2(SqlHighlighting::scanCount() - scansBefore <= 1,
            qPrintable(QString::number(SqlHighlighting::scanCount() - scansBefore)));
        QCOMPARE(editor.outline().size(), 2000);
        QCOMPARE(editor.markers().size(), 1);
        QCOMPARE(editor.markers().constFirst().firstBlock, expectedLines - 3);

        // Still usable: the last lines are highlighted, navigation and find work.
        const QTextBlock lastStatement = editor.document()->findBlockByNumber(expectedLines - 3);
        QCOMPARE(lastStatement.text(), QStringLiteral("ALTER TABLE big_table ADD COLUMN needle_column int;"));
        QVERIFY(!lastStatement.layout()->formats().isEmpty());
        QVERIFY(editor.goToRevision(1999));
        QCOMPARE(editor.textCursor().blockNumber(), editor.outline().at(1999).blockNumber);
        editor.goToBlock(0);
        QVERIFY(editor.findNext(QStringLiteral("NEEDLE_COLUMN")));
        QCOMPARE(editor.textCursor().blockNumber(), expectedLines - 3);
        QVERIFY(!editor.grab().isNull());
        QCOMPARE(editor.toPlainText().size(), script.text().size());

        // Every match is counted, only those near the view are highlighted,
        // and the highlights follow the scrolling.
        editor.goToBlock(0);
        editor.showFindBar();
        QTest::keyClicks(editor.findBar()->searchField(), QStringLiteral("BIG_TABLE"));
        QCOMPARE(editor.matchCount(), 2000 * 16 + 1);
        QCOMPARE(editor.currentMatch(), 0);
        auto highlightedBlocks = [&editor] {
            QList<int> blocks;
            const QList<QTextEdit::ExtraSelection> all = editor.extraSelections();
            for (const QTextEdit::ExtraSelection& selection : all) {
                if (!selection.format.boolProperty(QTextFormat::FullWidthSelection))
                    blocks.append(selection.cursor.blockNumber());
            }
            return blocks;
        };
        QList<int> blocks = highlightedBlocks();
        QVERIFY(!blocks.isEmpty());
        QVERIFY2(blocks.size() < 500, qPrintable(QString::number(blocks.size())));
        QVERIFY(blocks.constFirst() < 10);
        editor.goToBlock(50000);
        blocks = highlightedBlocks();
        QVERIFY(!blocks.isEmpty());
        QVERIFY2(blocks.constFirst() < 50000 && blocks.constLast() > 50000,
            qPrintable(QStringLiteral("%1..%2").arg(blocks.constFirst()).arg(blocks.constLast())));
    }
};

QTEST_MAIN(TestSqlEditor)
#include "tst_sqleditor.moc"
