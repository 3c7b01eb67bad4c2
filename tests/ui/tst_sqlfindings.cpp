#include "EditorGutter.h"
#include "FindingsModel.h"
#include "SeverityStyle.h"
#include "SqlEditor.h"
#include "SqlHighlighter.h"
#include "SqlPreviewPanel.h"
#include "lint/ScriptLint.h"
#include "migrations/MigrationFileParser.h"
#include "migrations/RevisionGraph.h"
#include "render/SqlScriptRenderer.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBlock>
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

// A table, then a revision that indexes it without CONCURRENTLY and adds a
// NOT NULL column without a default: two findings on an existing table.
RevisionGraph riskyGraph()
{
    RevisionList revisions;
    revisions.append(
        parseRevision(QStringLiteral("-- revision: aaaa01\n-- down_revision: none\n-- message: create t\n\n"
                                     "-- +upgrade\nCREATE TABLE t (id bigint PRIMARY KEY, name text);\n\n"
                                     "-- +downgrade\nDROP TABLE t;\n"),
            QStringLiteral("aaaa01.sql")));
    revisions.append(parseRevision(
        QStringLiteral("-- revision: bbbb02\n-- down_revision: aaaa01\n-- message: index and column\n\n"
                       "-- +upgrade\nCREATE INDEX ix_t_name ON t (name);\n"
                       "ALTER TABLE t\n    ADD COLUMN owner bigint NOT NULL;\n\n"
                       "-- +downgrade\nALTER TABLE t DROP COLUMN owner;\nDROP INDEX ix_t_name;\n"),
        QStringLiteral("bbbb02.sql")));
    Result<RevisionGraph> graph = RevisionGraph::build(revisions);
    if (!graph)
        qFatal("bad test graph: %s", qPrintable(graph.error().toString()));
    return graph.value();
}

RenderedScript render(const RevisionGraph& graph, const QStringList& from, const QString& to)
{
    Result<MigrationPlan> plan = graph.upgradePlan(from, to);
    if (!plan)
        qFatal("bad plan: %s", qPrintable(plan.error().toString()));
    SqlScriptRenderer::Options options;
    options.transactionMode = TransactionMode::PerRevision;
    return SqlScriptRenderer::render(*plan, graph, options);
}

int blockContaining(const SqlEditor& editor, const QString& text)
{
    for (QTextBlock block = editor.document()->begin(); block.isValid(); block = block.next()) {
        if (block.text().contains(text))
            return block.blockNumber();
    }
    return -1;
}

QStringList rules(const FindingsModel& model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out.append(model.index(row, FindingsModel::RuleColumn).data().toString());
    return out;
}

int rowOf(const FindingsModel& model, const QString& rule)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, FindingsModel::RuleColumn).data().toString() == rule)
            return row;
    }
    return -1;
}

// Whether the gutter's pixels on `block`'s line include `color` (the finding's icon).
bool gutterShowsColor(SqlEditor& editor, int block, const QColor& color)
{
    auto* gutter = editor.findChild<EditorGutter*>();
    const QImage image = gutter->grab().toImage();
    const qreal scale = image.devicePixelRatio();
    // The gutter's rows line up with the viewport's.
    const QRect line = editor.cursorRect(QTextCursor(editor.document()->findBlockByNumber(block)));
    for (int y = static_cast<int>(line.top() * scale); y < static_cast<int>(line.bottom() * scale); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (y >= 0 && y < image.height() && image.pixelColor(x, y).rgb() == color.rgb())
                return true;
        }
    }
    return false;
}

} // namespace

class TestSqlFindings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void riskyStatementsAreListedAndMarked()
    {
        const RevisionGraph graph = riskyGraph();
        SqlPreviewPanel panel;
        panel.resize(1200, 800);
        panel.setScript(render(graph, {}, QStringLiteral("head")), &graph);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));

        FindingsModel* model = panel.findingsModel();
        const QStringList found = rules(*model);
        QVERIFY2(found.contains(QStringLiteral("require-concurrent-index-creation")),
            qPrintable(found.join(u',')));
        QVERIFY2(found.contains(QStringLiteral("adding-required-field")), qPrintable(found.join(u',')));
        QCOMPARE(panel.findingsHeadingText(), QStringLiteral("Findings (%1)").arg(found.size()));
        // The heading the user reads is the one computed.
        QVERIFY(panel.findChildren<QLabel*>().size() > 0);

        SqlEditor* editor = panel.editor();
        const int indexLine = blockContaining(*editor, QStringLiteral("CREATE INDEX ix_t_name"));
        const int alterLine = blockContaining(*editor, QStringLiteral("ALTER TABLE t"));
        const int columnLine = blockContaining(*editor, QStringLiteral("ADD COLUMN owner"));
        QVERIFY(indexLine > 0 && alterLine > indexLine && columnLine == alterLine + 1);

        // The list names the script line, the lock and the safe form.
        const int indexRow = rowOf(*model, QStringLiteral("require-concurrent-index-creation"));
        QCOMPARE(model->index(indexRow, FindingsModel::LineColumn).data().toInt(), indexLine + 1);
        QCOMPARE(model->index(indexRow, FindingsModel::LockColumn).data().toString(),
            QStringLiteral("SHARE on t"));
        QVERIFY(model->index(indexRow, FindingsModel::SuggestionColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("CONCURRENTLY")));
        const int columnRow = rowOf(*model, QStringLiteral("adding-required-field"));
        const int columnFindingLine = model->index(columnRow, FindingsModel::LineColumn).data().toInt() - 1;
        QVERIFY(columnFindingLine == alterLine || columnFindingLine == columnLine);
        QCOMPARE(model->index(columnRow, FindingsModel::LockColumn).data().toString(),
            QStringLiteral("ACCESS EXCLUSIVE on t"));

        // The gutter marks both statements, with the rule in its tooltip, and
        // paints the severity's colour there; a line without findings has none.
        QVERIFY(editor->findingMarkerAtBlock(indexLine));
        QVERIFY(editor->findingMarkerAtBlock(alterLine));
        QVERIFY(editor->findingMarkerAtBlock(columnLine));
        QVERIFY(!editor->findingMarkerAtBlock(indexLine - 1));
        QVERIFY(editor->gutterToolTipAtBlock(indexLine).contains(
            QStringLiteral("require-concurrent-index-creation")));
        QVERIFY(editor->gutterToolTipAtBlock(columnLine).contains(QStringLiteral("adding-required-field")));
        const LintSeverity severity = editor->findingMarkerAtBlock(indexLine)->severity;
        const QColor color = SeverityStyle::color(severity, SqlHighlighting::isDark(editor->palette()));
        QVERIFY(gutterShowsColor(*editor, indexLine, color));
        QVERIFY(!gutterShowsColor(*editor, indexLine - 1, color));

        // A click on a finding puts the cursor on its line.
        editor->goToBlock(0);
        QCOMPARE(editor->textCursor().blockNumber(), 0);
        QTableView* view = panel.findingsView();
        const QModelIndex index = model->index(indexRow, FindingsModel::MessageColumn);
        view->scrollTo(index);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
        QCOMPARE(editor->textCursor().blockNumber(), indexLine);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
            view->visualRect(model->index(columnRow, FindingsModel::RuleColumn)).center());
        QCOMPARE(editor->textCursor().blockNumber(), columnFindingLine);
    }

    void onlyTheStatementsShownAreLinted()
    {
        // The downgrade of bbbb02 shows other statements: none of the upgrade's findings.
        const RevisionGraph graph = riskyGraph();
        Result<MigrationPlan> plan
            = graph.downgradePlan({ QStringLiteral("bbbb02") }, QStringLiteral("aaaa01"));
        QVERIFY(plan);
        SqlPreviewPanel panel;
        panel.setScript(SqlScriptRenderer::render(*plan, graph), &graph);
        const QStringList found = rules(*panel.findingsModel());
        QVERIFY2(!found.contains(QStringLiteral("require-concurrent-index-creation")),
            qPrintable(found.join(u',')));
        QVERIFY2(!found.contains(QStringLiteral("adding-required-field")), qPrintable(found.join(u',')));
        QVERIFY2(found.contains(QStringLiteral("ban-drop-column")), qPrintable(found.join(u',')));
    }

    void aTableNewInTheScriptsTransactionBlocksNobody()
    {
        // One transaction for the whole upgrade: t is created in it, so the
        // index's lock blocks nobody here; the finding stands for the file.
        const RevisionGraph graph = riskyGraph();
        Result<MigrationPlan> plan = graph.upgradePlan({}, QStringLiteral("head"));
        QVERIFY(plan);
        SqlPreviewPanel panel;
        panel.setScript(SqlScriptRenderer::render(*plan, graph), &graph);
        const FindingsModel* model = panel.findingsModel();
        const int row = rowOf(*model, QStringLiteral("require-concurrent-index-creation"));
        QVERIFY(row >= 0);
        QCOMPARE(model->index(row, FindingsModel::LockColumn).data().toString(),
            QStringLiteral("SHARE on t (new in this transaction: blocks nobody here)"));
    }

    void allowCommentsInTheFilesCount()
    {
        // The allow comments are in the migration file, not in the script:
        // read from the file, as `dbops lint` does.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString first = QStringLiteral("-- revision: dddd01\n-- down_revision: none\n-- message: t\n\n"
                                             "-- +upgrade\nCREATE TABLE t (id bigint PRIMARY KEY, name "
                                             "text);\n\n-- +downgrade\nDROP TABLE t;\n");
        const QString second = QStringLiteral(
            "-- revision: dddd02\n-- down_revision: dddd01\n-- message: allowed\n\n"
            "-- +upgrade\n-- dbops: allow require-concurrent-index-creation: t has ten rows\n"
            "CREATE INDEX ix_t_name ON t (name);\n"
            "-- dbops: allow adding-required-field\n"
            "ALTER TABLE t ADD COLUMN owner bigint NOT NULL;\n\n"
            "-- +downgrade\nSELECT 1;\n");
        RevisionList revisions;
        for (const auto& [name, text] : { qMakePair(QStringLiteral("dddd01.sql"), first),
                 qMakePair(QStringLiteral("dddd02.sql"), second) }) {
            const QString path = dir.filePath(name);
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(text.toUtf8());
            file.close();
            revisions.append(parseRevision(text, path));
        }
        Result<RevisionGraph> graph = RevisionGraph::build(revisions);
        QVERIFY(graph);
        SqlPreviewPanel panel;
        panel.setScript(render(*graph, { QStringLiteral("dddd01") }, QStringLiteral("head")), &*graph);
        const FindingsModel* model = panel.findingsModel();
        const QStringList found = rules(*model);
        QVERIFY2(!found.contains(QStringLiteral("require-concurrent-index-creation")),
            qPrintable(found.join(u',')));
        // Without a reason the comment silences nothing, and says so on its statement.
        QVERIFY2(found.contains(QStringLiteral("adding-required-field")), qPrintable(found.join(u',')));
        const int allowRow = rowOf(*model, QStringLiteral("dbops-allow"));
        QVERIFY2(allowRow >= 0, qPrintable(found.join(u',')));
        const int alterLine
            = blockContaining(*panel.editor(), QStringLiteral("ALTER TABLE t ADD COLUMN owner"));
        QCOMPARE(model->index(allowRow, FindingsModel::LineColumn).data().toInt(), alterLine + 1);
    }

    void withoutGraphTheTextIsLinted()
    {
        const RevisionGraph graph = riskyGraph();
        SqlPreviewPanel panel;
        panel.setScript(render(graph, { QStringLiteral("aaaa01") }, QStringLiteral("head")));
        const QStringList found = rules(*panel.findingsModel());
        QVERIFY2(found.contains(QStringLiteral("require-concurrent-index-creation")),
            qPrintable(found.join(u',')));
        QVERIFY2(found.contains(QStringLiteral("adding-required-field")), qPrintable(found.join(u',')));
        const int indexLine = blockContaining(*panel.editor(), QStringLiteral("CREATE INDEX ix_t_name"));
        QVERIFY(panel.editor()->findingMarkerAtBlock(indexLine));
    }

    void severitiesFollowTheRepositoryConfig()
    {
        const RevisionGraph graph = riskyGraph();
        Result<LintConfig> config = LintConfig::parse(
            QStringLiteral("require-concurrent-index-creation = error\nadding-required-field = off\n"),
            QStringLiteral("lint.conf"));
        QVERIFY(config);
        SqlPreviewPanel panel;
        panel.setLintConfig(*config);
        panel.setScript(render(graph, {}, QStringLiteral("head")), &graph);
        const FindingsModel* model = panel.findingsModel();
        QVERIFY(!rules(*model).contains(QStringLiteral("adding-required-field")));
        const int row = rowOf(*model, QStringLiteral("require-concurrent-index-creation"));
        QVERIFY(row >= 0);
        QCOMPARE(model->index(row, FindingsModel::SeverityColumn).data().toString(), QStringLiteral("error"));
        QVERIFY(panel.findingsHeadingText().contains(QStringLiteral("1 error")));
        const int indexLine = blockContaining(*panel.editor(), QStringLiteral("CREATE INDEX ix_t_name"));
        QCOMPARE(panel.editor()->findingMarkerAtBlock(indexLine)->severity, LintSeverity::Error);
    }

    void cleanScriptShowsNoFindings()
    {
        RevisionList revisions;
        revisions.append(parseRevision(
            QStringLiteral("-- revision: cccc01\n-- down_revision: none\n-- message: clean\n\n"
                           "-- +upgrade\nCREATE TABLE clean_t (id bigint PRIMARY KEY, note text);\n"
                           "CREATE INDEX ix_clean_note ON clean_t (note);\n\n"
                           "-- +downgrade\nSELECT 1;\n"),
            QStringLiteral("cccc01.sql")));
        Result<RevisionGraph> graph = RevisionGraph::build(revisions);
        QVERIFY(graph);
        SqlPreviewPanel panel;
        // Findings first, so the clean script must clear them.
        const RevisionGraph risky = riskyGraph();
        panel.setScript(render(risky, {}, QStringLiteral("head")), &risky);
        QVERIFY(panel.findingsModel()->rowCount() > 0);
        panel.setScript(render(*graph, {}, QStringLiteral("head")), &*graph);
        QCOMPARE(panel.findingsModel()->rowCount(), 0);
        QCOMPARE(panel.findingsHeadingText(), QStringLiteral("No findings"));
        QVERIFY(panel.editor()->findingMarkers().isEmpty());
        panel.clearScript();
        QCOMPARE(panel.findingsHeadingText(), QStringLiteral("No findings"));
    }

    void tenThousandStatementsLintOnce()
    {
        // 10,000 statements on an existing table: linted in setScript, in
        // well under the time laying the text out takes.
        RenderedScript script;
        for (int i = 0; i < 10000; ++i) {
            ScriptItem item;
            item.kind = ScriptItem::Kind::Statement;
            item.sql = i % 100 == 0 ? QStringLiteral("CREATE INDEX ix_%1 ON big (c%1)").arg(i)
                                    : QStringLiteral("INSERT INTO big (n) VALUES (%1)").arg(i);
            script.items.append(item);
        }
        SqlPreviewPanel panel;
        QElapsedTimer timer;
        timer.start();
        panel.setScript(script);
        const qint64 elapsed = timer.elapsed();
        qInfo("setScript with 10,000 statements: %lld ms", elapsed);
        QCOMPARE(
            rules(*panel.findingsModel()).count(QStringLiteral("require-concurrent-index-creation")), 100);
        QCOMPARE(panel.editor()->findingMarkers().size(), 100);
        QVERIFY2(elapsed < 10000, qPrintable(QString::number(elapsed)));
    }
};

QTEST_MAIN(TestSqlFindings)
#include "tst_sqlfindings.moc"
