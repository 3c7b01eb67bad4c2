// The audit panel's side-by-side schema diff (SchemaDiffView), offscreen:
// both sides of the selected object, the marked lines, the corrective SQL of
// a DIFFERS column and of a MISSING table, Copy, and the placeholder.
#include "AuditFilterModel.h"
#include "AuditModel.h"
#include "AuditPanel.h"
#include "SchemaDiffView.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBlock>
#include <QTreeView>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

using Kind = AuditItem::Kind;
using Status = AuditItem::Status;
using Side = ObjectDefinition::Side;
using Change = SchemaDiffView::LineChange;

AuditItem item(Kind kind, const QString& table, const QString& name, Status status, const QString& expected,
    const QString& actual, bool withTable = false)
{
    return AuditItem { kind, QStringLiteral("public"), table, name, status, expected, actual, withTable };
}

/// A report as SchemaDiff writes it (texts as CatalogColumn::describe() and
/// pg_get_*def print them): a whole MISSING table, and a table with a
/// MISSING column, a DIFFERS column and an EXTRA index.
AuditReport sampleReport()
{
    const QString none;
    const QString equity = QStringLiteral("equity_changes");
    const QString snapshots = QStringLiteral("portfolio_snapshots");
    AuditReport report;
    report.items = {
        item(Kind::Table, equity, equity, Status::Missing, QStringLiteral("2 columns, 1 constraint, 1 index"),
            none),
        item(Kind::Column, equity, QStringLiteral("id"), Status::Missing, QStringLiteral("bigint NOT NULL"),
            none, true),
        item(Kind::Column, equity, QStringLiteral("portfolio_id"), Status::Missing,
            QStringLiteral("bigint NOT NULL"), none, true),
        item(Kind::Constraint, equity, QStringLiteral("equity_changes_pkey"), Status::Missing,
            QStringLiteral("PRIMARY KEY (id)"), none, true),
        item(Kind::Index, equity, QStringLiteral("ix_equity_changes_portfolio"), Status::Missing,
            QStringLiteral("CREATE INDEX ix_equity_changes_portfolio ON public.equity_changes USING btree "
                           "(portfolio_id, id)"),
            none, true),
        item(Kind::Table, snapshots, snapshots, Status::Exists,
            QStringLiteral("4 columns, 1 constraint, 0 indexes"),
            QStringLiteral("3 columns, 1 constraint, 1 index")),
        item(Kind::Column, snapshots, QStringLiteral("calculated_beta_90d"), Status::Missing,
            QStringLiteral("numeric(10,6) NULL"), none),
        item(Kind::Column, snapshots, QStringLiteral("id"), Status::Exists, QStringLiteral("bigint NOT NULL"),
            QStringLiteral("bigint NOT NULL")),
        item(Kind::Column, snapshots, QStringLiteral("snapshot_date"), Status::Exists,
            QStringLiteral("date NOT NULL"), QStringLiteral("date NOT NULL")),
        item(Kind::Column, snapshots, QStringLiteral("total_value"), Status::Differs,
            QStringLiteral("numeric(16,4) NOT NULL DEFAULT 0"), QStringLiteral("numeric(12,2) NULL")),
        item(Kind::Constraint, snapshots, QStringLiteral("portfolio_snapshots_pkey"), Status::Exists,
            QStringLiteral("PRIMARY KEY (id)"), QStringLiteral("PRIMARY KEY (id)")),
        item(Kind::Index, snapshots, QStringLiteral("ix_tmp_manual"), Status::Extra, none,
            QStringLiteral(
                "CREATE INDEX ix_tmp_manual ON public.portfolio_snapshots USING btree (snapshot_date)")),
    };
    return report;
}

/// The tree's index of group `title` ("public.users"), or of its part `name`.
QModelIndex rowOf(const AuditPanel& panel, const QString& title, const QString& name = QString())
{
    const AuditModel* model = panel.model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->groupTitle(row) != title)
            continue;
        const QModelIndex group = model->index(row, 0);
        if (name.isEmpty())
            return panel.filterModel()->mapFromSource(group);
        for (int part = 0; part < model->partCount(row); ++part) {
            if (model->part(row, part).name == name)
                return panel.filterModel()->mapFromSource(model->index(part, 0, group));
        }
    }
    return {};
}

void select(AuditPanel& panel, const QModelIndex& index)
{
    QVERIFY(index.isValid());
    panel.treeView()->setCurrentIndex(index);
}

/// The shown line of `side` that reads `text`, -1 if none.
int lineOf(const SchemaDiffView& view, Side side, const QString& text)
{
    const QStringList lines
        = (side == Side::Expected ? view.expectedText() : view.actualText()).split(QLatin1Char('\n'));
    return static_cast<int>(lines.indexOf(text));
}

/// A line's background as painted: its block's, else the editor's base.
QColor background(const QPlainTextEdit* edit, int line)
{
    const QBrush brush = edit->document()->findBlockByNumber(line).blockFormat().background();
    return brush.style() == Qt::NoBrush ? edit->palette().color(QPalette::Base) : brush.color();
}

qreal luminance(const QColor& c)
{
    return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF();
}

} // namespace

class TestSchemaDiffView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void placeholderUntilAnObjectIsSelected()
    {
        AuditPanel panel;
        panel.resize(1100, 800);
        panel.show();
        SchemaDiffView* view = panel.schemaDiffView();
        QVERIFY(view);
        QVERIFY(!view->hasObject());
        QVERIFY(view->placeholderText().contains(QLatin1String("Select an object")));

        panel.setReport(sampleReport());
        panel.treeView()->setCurrentIndex({});
        QVERIFY(!view->hasObject());

        select(panel, rowOf(panel, QStringLiteral("public.portfolio_snapshots")));
        QVERIFY(view->hasObject());
        panel.clearReport();
        QVERIFY(!view->hasObject());
        QVERIFY(view->expectedText().isEmpty());
    }

    void differsColumnSideBySideWithItsSql()
    {
        AuditPanel panel;
        panel.resize(1100, 800);
        panel.show();
        panel.setReport(sampleReport());
        select(
            panel, rowOf(panel, QStringLiteral("public.portfolio_snapshots"), QStringLiteral("total_value")));
        const SchemaDiffView& view = *panel.schemaDiffView();
        QVERIFY(view.hasObject());
        QCOMPARE(
            view.title(), QStringLiteral("table public.portfolio_snapshots — column total_value DIFFERS"));

        // Both sides: the whole table, lined up row for row.
        QCOMPARE(view.lineCount(Side::Expected), view.lineCount(Side::Actual));
        QCOMPARE(view.expectedText().count(QLatin1Char('\n')), view.actualText().count(QLatin1Char('\n')));
        QVERIFY2(view.expectedText().startsWith(QLatin1String("CREATE TABLE public.portfolio_snapshots (\n"
                                                              "    calculated_beta_90d numeric(10,6) NULL,\n"
                                                              "    id bigint NOT NULL,\n")),
            qPrintable(view.expectedText()));
        QVERIFY(view.actualText().startsWith(QLatin1String("CREATE TABLE public.portfolio_snapshots (\n\n"
                                                           "    id bigint NOT NULL,\n")));

        // The differing lines are marked; the same ones are not.
        const int expectedTotal = lineOf(
            view, Side::Expected, QStringLiteral("    total_value numeric(16,4) NOT NULL DEFAULT 0,"));
        const int actualTotal
            = lineOf(view, Side::Actual, QStringLiteral("    total_value numeric(12,2) NULL,"));
        QVERIFY(expectedTotal > 0);
        QCOMPARE(actualTotal, expectedTotal);
        QCOMPARE(view.lineChange(Side::Expected, expectedTotal), Change::Changed);
        QCOMPARE(view.lineChange(Side::Actual, actualTotal), Change::Changed);
        QCOMPARE(view.lineChange(Side::Expected, 1), Change::OnlyHere); // calculated_beta_90d: MISSING
        QCOMPARE(view.lineChange(Side::Actual, 1), Change::Filler);
        const int id = lineOf(view, Side::Expected, QStringLiteral("    id bigint NOT NULL,"));
        QCOMPARE(view.lineChange(Side::Expected, id), Change::Same);
        QCOMPARE(view.lineChange(Side::Actual, id), Change::Same);
        // The constraint line ends the column list on one side only: the comma does not count.
        const int pkey = lineOf(
            view, Side::Expected, QStringLiteral("    CONSTRAINT portfolio_snapshots_pkey PRIMARY KEY (id)"));
        QVERIFY(pkey > 0);
        QCOMPARE(view.lineChange(Side::Expected, pkey), Change::Same);
        const int extraIndex = lineOf(view, Side::Actual,
            QStringLiteral(
                "CREATE INDEX ix_tmp_manual ON public.portfolio_snapshots USING btree (snapshot_date);"));
        QVERIFY(extraIndex > 0);
        QCOMPARE(view.lineChange(Side::Actual, extraIndex), Change::OnlyHere);
        QCOMPARE(view.lineChange(Side::Expected, extraIndex), Change::Filler);

        // The marks are painted: status colours blended into the base, the same lines left alone.
        const QColor base = view.expectedEdit()->palette().color(QPalette::Base);
        QCOMPARE(background(view.expectedEdit(), expectedTotal),
            SchemaDiffView::markColor(Change::Changed, Side::Expected, base));
        QVERIFY(background(view.expectedEdit(), expectedTotal) != base);
        QVERIFY(background(view.expectedEdit(), 1) != background(view.actualEdit(), extraIndex));
        QCOMPARE(background(view.expectedEdit(), id), base);

        // The SQL of the selected column only.
        QCOMPARE(view.correctiveSql(),
            QStringLiteral(
                "-- column public.portfolio_snapshots.total_value DIFFERS\n"
                "ALTER TABLE public.portfolio_snapshots ALTER COLUMN total_value TYPE numeric(16,4);\n"
                "ALTER TABLE public.portfolio_snapshots ALTER COLUMN total_value SET DEFAULT 0;\n"
                "ALTER TABLE public.portfolio_snapshots ALTER COLUMN total_value SET NOT NULL;\n"));
        QCOMPARE(view.sqlEdit()->toPlainText(), view.correctiveSql());
        QVERIFY(view.copyButton()->isEnabled());

        // The table row: every correction of the table.
        select(panel, rowOf(panel, QStringLiteral("public.portfolio_snapshots")));
        QVERIFY(view.correctiveSql().contains(QLatin1String(
            "ALTER TABLE public.portfolio_snapshots ADD COLUMN calculated_beta_90d numeric(10,6) NULL;")));
        QVERIFY(view.correctiveSql().contains(QLatin1String("DROP INDEX public.ix_tmp_manual;")));
        QVERIFY(view.correctiveSql().contains(QLatin1String("SET NOT NULL;")));

        // A part that is as expected: the table's diff, nothing to correct.
        select(panel, rowOf(panel, QStringLiteral("public.portfolio_snapshots"), QStringLiteral("id")));
        QVERIFY(view.correctiveSql().isEmpty());
        QVERIFY(!view.copyButton()->isEnabled());
        QVERIFY(view.sqlEdit()->toPlainText().startsWith(QLatin1String("-- Nothing to correct")));
    }

    void missingTableAndCopy()
    {
        AuditPanel panel;
        panel.resize(1100, 800);
        panel.show();
        panel.setReport(sampleReport());
        select(panel, rowOf(panel, QStringLiteral("public.equity_changes")));
        const SchemaDiffView& view = *panel.schemaDiffView();
        const QString createTable = QStringLiteral("CREATE TABLE public.equity_changes (\n"
                                                   "    id bigint NOT NULL,\n"
                                                   "    portfolio_id bigint NOT NULL,\n"
                                                   "    CONSTRAINT equity_changes_pkey PRIMARY KEY (id)\n"
                                                   ");\n"
                                                   "CREATE INDEX ix_equity_changes_portfolio ON "
                                                   "public.equity_changes USING btree (portfolio_id, id);");
        QCOMPARE(view.expectedText(), createTable);
        QVERIFY(view.actualText().trimmed().isEmpty());
        const QColor base = view.palette().color(QPalette::Base);
        for (int line = 0; line < view.lineCount(Side::Expected); ++line) {
            QCOMPARE(view.lineChange(Side::Expected, line), Change::OnlyHere);
            QCOMPARE(view.lineChange(Side::Actual, line), Change::Filler);
            QCOMPARE(background(view.expectedEdit(), line),
                SchemaDiffView::markColor(Change::OnlyHere, Side::Expected, base));
            QCOMPARE(background(view.actualEdit(), line),
                SchemaDiffView::markColor(Change::Filler, Side::Actual, base));
        }
        // Selecting another table gives the editors their normal base back.
        select(panel, rowOf(panel, QStringLiteral("public.portfolio_snapshots")));
        QCOMPARE(view.expectedEdit()->palette().color(QPalette::Base), base);
        select(panel, rowOf(panel, QStringLiteral("public.equity_changes")));
        QCOMPARE(view.correctiveSql(),
            QStringLiteral("-- table public.equity_changes MISSING\n") + createTable + QLatin1Char('\n'));

        // A column of the whole MISSING table: the table's SQL, not an ALTER on a table that is not there.
        select(panel, rowOf(panel, QStringLiteral("public.equity_changes"), QStringLiteral("portfolio_id")));
        QVERIFY(view.correctiveSql().contains(QLatin1String("CREATE TABLE public.equity_changes (")));
        QVERIFY(!view.correctiveSql().contains(QLatin1String("ADD COLUMN")));

        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(view.copyButton(), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), view.correctiveSql());
    }

    void selectedPartIsScrolledIntoView()
    {
        AuditReport report;
        const QString wide = QStringLiteral("wide");
        report.items.append(item(Kind::Table, wide, wide, Status::Exists, QStringLiteral("300 columns"),
            QStringLiteral("300 columns")));
        for (int c = 0; c < 300; ++c) {
            const QString name = QStringLiteral("c%1").arg(c, 3, 10, QLatin1Char('0'));
            const QString actual = c == 250 ? QStringLiteral("bigint NULL") : QStringLiteral("integer NULL");
            report.items.append(item(Kind::Column, wide, name, c == 250 ? Status::Differs : Status::Exists,
                QStringLiteral("integer NULL"), actual));
        }
        AuditPanel panel;
        panel.resize(1100, 800);
        panel.show();
        panel.setReport(report);
        select(panel, rowOf(panel, QStringLiteral("public.wide"), QStringLiteral("c250")));
        const SchemaDiffView& view = *panel.schemaDiffView();
        QCOMPARE(view.lineChange(Side::Expected, 251), Change::Changed);
        // Line 251 (c250) at the top with two lines above it, on both sides.
        QCOMPARE(view.expectedEdit()->verticalScrollBar()->value(), 249);
        QCOMPARE(view.actualEdit()->verticalScrollBar()->value(), 249);
    }

    void marksReadOnADarkPalette()
    {
        const QColor darkBase(0x1e, 0x1e, 0x1e);
        const QColor lightText(0xe0, 0xe0, 0xe0);
        const QColor lightBase(Qt::white);
        for (const Change change : { Change::Changed, Change::OnlyHere, Change::Filler }) {
            for (const Side side : { Side::Expected, Side::Actual }) {
                const QColor dark = SchemaDiffView::markColor(change, side, darkBase);
                QVERIFY(dark != darkBase);
                // Light text stays readable: the mark stays a dark background.
                QVERIFY2(luminance(lightText) - luminance(dark) > 0.45, qPrintable(dark.name()));
                const QColor light = SchemaDiffView::markColor(change, side, lightBase);
                QVERIFY(light != lightBase);
                QVERIFY2(luminance(light) > 0.55, qPrintable(light.name()));
            }
        }
        // MISSING (only expected), EXTRA (only in the database) and DIFFERS look different.
        QVERIFY(SchemaDiffView::markColor(Change::OnlyHere, Side::Expected, darkBase)
            != SchemaDiffView::markColor(Change::OnlyHere, Side::Actual, darkBase));
        QVERIFY(SchemaDiffView::markColor(Change::Changed, Side::Expected, darkBase)
            != SchemaDiffView::markColor(Change::OnlyHere, Side::Expected, darkBase));

        // A palette change repaints the marks in the new base.
        AuditPanel panel;
        panel.setReport(sampleReport());
        select(panel, rowOf(panel, QStringLiteral("public.equity_changes")));
        QPalette dark = panel.palette();
        dark.setColor(QPalette::Base, darkBase);
        dark.setColor(QPalette::Text, lightText);
        panel.schemaDiffView()->setPalette(dark);
        QCOMPARE(background(panel.schemaDiffView()->expectedEdit(), 0),
            SchemaDiffView::markColor(Change::OnlyHere, Side::Expected, darkBase));
        select(
            panel, rowOf(panel, QStringLiteral("public.portfolio_snapshots"), QStringLiteral("total_value")));
        const SchemaDiffView& view = *panel.schemaDiffView();
        const int total = lineOf(
            view, Side::Expected, QStringLiteral("    total_value numeric(16,4) NOT NULL DEFAULT 0,"));
        QCOMPARE(background(view.expectedEdit(), total),
            SchemaDiffView::markColor(Change::Changed, Side::Expected, darkBase));
        QCOMPARE(background(view.expectedEdit(), total - 1), darkBase);
        // Back to a light palette: the marks follow.
        QPalette light = dark;
        light.setColor(QPalette::Base, Qt::white);
        panel.schemaDiffView()->setPalette(light);
        QCOMPARE(background(view.expectedEdit(), total),
            SchemaDiffView::markColor(Change::Changed, Side::Expected, QColor(Qt::white)));
    }
};

QTEST_MAIN(TestSchemaDiffView)
#include "tst_schemadiffview.moc"
