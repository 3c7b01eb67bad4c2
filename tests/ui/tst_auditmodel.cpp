#include "AuditCsvWriter.h"
#include "AuditFilterModel.h"
#include "AuditModel.h"
#include "AuditPanel.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

using Kind = AuditItem::Kind;
using Status = AuditItem::Status;

AuditItem item(Kind kind, const QString& table, const QString& name, Status status, const QString& expected,
    const QString& actual, bool withTable = false)
{
    return AuditItem { kind, QStringLiteral("public"), table, name, status, expected, actual, withTable };
}

// Every status and grouping case, in the order SchemaDiff reports them
// (schema, owner with the schema's own objects first, kind, name):
//   Schema objects (public)   enum MISSING, free sequence EXISTS
//   equity_changes            MISSING as a whole, with 2 columns, 1 constraint, 1 index
//   legacy_audit              EXTRA as a whole, with 1 column
//   portfolio_snapshots       EXISTS; a column MISSING, a column DIFFERS, an index EXTRA
//   users                     EXISTS, everything in it too
//   v_latest                  a view that DIFFERS
AuditReport sampleReport()
{
    AuditReport report;
    const QString none;
    report.items = {
        item(Kind::Sequence, none, QStringLiteral("invoice_numbers"), Status::Exists,
            QStringLiteral("bigint START 1"), QStringLiteral("bigint START 1")),
        item(Kind::Enum, none, QStringLiteral("batch_run_status"), Status::Missing,
            QStringLiteral("pending, running, succeeded"), none),
        item(Kind::Table, QStringLiteral("equity_changes"), QStringLiteral("equity_changes"), Status::Missing,
            QStringLiteral("2 columns, 1 constraint, 1 index"), none),
        item(Kind::Column, QStringLiteral("equity_changes"), QStringLiteral("id"), Status::Missing,
            QStringLiteral("bigint NOT NULL"), none, true),
        item(Kind::Column, QStringLiteral("equity_changes"), QStringLiteral("portfolio_id"), Status::Missing,
            QStringLiteral("bigint NOT NULL"), none, true),
        item(Kind::Constraint, QStringLiteral("equity_changes"), QStringLiteral("equity_changes_pkey"),
            Status::Missing, QStringLiteral("PRIMARY KEY (id)"), none, true),
        item(Kind::Index, QStringLiteral("equity_changes"), QStringLiteral("ix_equity_changes_portfolio"),
            Status::Missing,
            QStringLiteral("CREATE INDEX ix_equity_changes_portfolio ON public.equity_changes USING btree "
                           "(portfolio_id, id)"),
            none, true),
        item(Kind::Table, QStringLiteral("legacy_audit"), QStringLiteral("legacy_audit"), Status::Extra, none,
            QStringLiteral("1 column, 0 constraints, 0 indexes")),
        item(Kind::Column, QStringLiteral("legacy_audit"), QStringLiteral("id"), Status::Extra, none,
            QStringLiteral("integer"), true),
        item(Kind::Table, QStringLiteral("portfolio_snapshots"), QStringLiteral("portfolio_snapshots"),
            Status::Exists, QStringLiteral("4 columns, 0 constraints, 0 indexes"),
            QStringLiteral("3 columns, 0 constraints, 1 index")),
        item(Kind::Column, QStringLiteral("portfolio_snapshots"), QStringLiteral("calculated_beta_90d"),
            Status::Missing, QStringLiteral("numeric(10,6)"), none),
        item(Kind::Column, QStringLiteral("portfolio_snapshots"), QStringLiteral("id"), Status::Exists,
            QStringLiteral("bigint NOT NULL"), QStringLiteral("bigint NOT NULL")),
        item(Kind::Column, QStringLiteral("portfolio_snapshots"), QStringLiteral("snapshot_date"),
            Status::Exists, QStringLiteral("date NOT NULL"), QStringLiteral("date NOT NULL")),
        item(Kind::Column, QStringLiteral("portfolio_snapshots"), QStringLiteral("total_value"),
            Status::Differs, QStringLiteral("numeric(16,4) NOT NULL"), QStringLiteral("numeric(12,2)")),
        item(Kind::Index, QStringLiteral("portfolio_snapshots"), QStringLiteral("ix_tmp_manual"),
            Status::Extra, none,
            QStringLiteral("CREATE INDEX ix_tmp_manual ON public.portfolio_snapshots USING btree (id)")),
        item(Kind::Table, QStringLiteral("users"), QStringLiteral("users"), Status::Exists,
            QStringLiteral("2 columns, 0 constraints, 0 indexes"),
            QStringLiteral("2 columns, 0 constraints, 0 indexes")),
        item(Kind::Column, QStringLiteral("users"), QStringLiteral("email"), Status::Exists,
            QStringLiteral("text"), QStringLiteral("text")),
        item(Kind::Column, QStringLiteral("users"), QStringLiteral("id"), Status::Exists,
            QStringLiteral("bigint NOT NULL"), QStringLiteral("bigint NOT NULL")),
        item(Kind::View, QStringLiteral("v_latest"), QStringLiteral("v_latest"), Status::Differs,
            QStringLiteral("VIEW AS SELECT \"p\".id FROM portfolios p"),
            QStringLiteral("VIEW AS SELECT p.id,\n p.name FROM portfolios p")),
    };
    return report;
}

QStringList topLevelNames(const QAbstractItemModel& model)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(); ++row)
        names.append(model.index(row, AuditModel::ObjectColumn).data().toString());
    return names;
}

QStringList childNames(const QAbstractItemModel& model, const QString& group)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex parent = model.index(row, 0);
        if (parent.data().toString() != group)
            continue;
        QStringList names;
        for (int child = 0; child < model.rowCount(parent); ++child)
            names.append(model.index(child, AuditModel::ObjectColumn, parent).data().toString());
        return names;
    }
    return { QStringLiteral("<no group %1>").arg(group) };
}

QModelIndex groupIndex(const QAbstractItemModel& model, const QString& group, int column = 0)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data().toString() == group)
            return model.index(row, column);
    }
    return {};
}

QImage iconImage(const QVariant& decoration)
{
    return decoration.value<QIcon>().pixmap(QSize(16, 16)).toImage();
}

} // namespace

class TestAuditModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void groupsAndRowCounts()
    {
        AuditModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!model.hasReport());
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.headerSummary(), QString());

        const AuditReport report = sampleReport();
        model.setReport(report);
        QVERIFY(model.hasReport());
        QCOMPARE(model.columnCount(), int(AuditModel::ColumnCount));
        QCOMPARE(topLevelNames(model),
            QStringList({ QStringLiteral("Schema objects (public)"), QStringLiteral("public.equity_changes"),
                QStringLiteral("public.legacy_audit"), QStringLiteral("public.portfolio_snapshots"),
                QStringLiteral("public.users"), QStringLiteral("public.v_latest") }));
        QCOMPARE(childNames(model, QStringLiteral("Schema objects (public)")),
            QStringList({ QStringLiteral("invoice_numbers"), QStringLiteral("batch_run_status") }));
        QCOMPARE(childNames(model, QStringLiteral("public.equity_changes")),
            QStringList({ QStringLiteral("id"), QStringLiteral("portfolio_id"),
                QStringLiteral("equity_changes_pkey"), QStringLiteral("ix_equity_changes_portfolio") }));
        QCOMPARE(
            childNames(model, QStringLiteral("public.legacy_audit")), QStringList({ QStringLiteral("id") }));
        QCOMPARE(childNames(model, QStringLiteral("public.portfolio_snapshots")).size(), 5);
        QCOMPARE(childNames(model, QStringLiteral("public.users")).size(), 2);
        QCOMPARE(childNames(model, QStringLiteral("public.v_latest")), QStringList());
        // Children only under column 0.
        QCOMPARE(model.rowCount(groupIndex(model, QStringLiteral("public.equity_changes"), 2)), 0);

        QCOMPARE(model.report().items.size(), report.items.size());
        QCOMPARE(model.headerSummary(), report.totalsText());
        QVERIFY(model.headerSummary().startsWith(
            QStringLiteral("1 table MISSING (with 2 columns, 1 constraint, 1 index)")));

        model.clear();
        QVERIFY(!model.hasReport());
        QCOMPARE(model.rowCount(), 0);
    }

    void rowContentsAndGroupStatus()
    {
        AuditModel model;
        model.setReport(sampleReport());
        auto status = [&](const QString& group) {
            return groupIndex(model, group, AuditModel::StatusColumn).data().toString();
        };
        QCOMPARE(status(QStringLiteral("Schema objects (public)")), QStringLiteral("MISSING"));
        QCOMPARE(status(QStringLiteral("public.equity_changes")), QStringLiteral("MISSING"));
        QCOMPARE(status(QStringLiteral("public.legacy_audit")), QStringLiteral("EXTRA"));
        // The table EXISTS: the worst of its parts (MISSING beats DIFFERS and EXTRA).
        QCOMPARE(status(QStringLiteral("public.portfolio_snapshots")), QStringLiteral("MISSING"));
        QCOMPARE(status(QStringLiteral("public.users")), QStringLiteral("EXISTS"));
        QCOMPARE(status(QStringLiteral("public.v_latest")), QStringLiteral("DIFFERS"));

        const QModelIndex snapshots = groupIndex(model, QStringLiteral("public.portfolio_snapshots"));
        QVERIFY(model.isGroup(snapshots));
        QVERIFY(!model.isWholeTableGroup(snapshots));
        QVERIFY(model.isWholeTableGroup(groupIndex(model, QStringLiteral("public.equity_changes"))));
        QCOMPARE(
            snapshots.siblingAtColumn(AuditModel::KindColumn).data().toString(), QStringLiteral("table"));
        QCOMPARE(snapshots.siblingAtColumn(AuditModel::ExpectedColumn).data().toString(),
            QStringLiteral("4 columns, 0 constraints, 0 indexes"));
        QVERIFY(snapshots.siblingAtColumn(AuditModel::StatusColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("1 column MISSING, 1 column DIFFERS, 1 index EXTRA")));
        QCOMPARE(
            groupIndex(model, QStringLiteral("public.v_latest"), AuditModel::KindColumn).data().toString(),
            QStringLiteral("view"));
        QCOMPARE(groupIndex(model, QStringLiteral("Schema objects (public)"), AuditModel::KindColumn)
                     .data()
                     .toString(),
            QStringLiteral("schema"));
        QCOMPARE(
            groupIndex(model, QStringLiteral("Schema objects (public)")).data(AuditModel::KindRole).toInt(),
            -1);
        QVERIFY(model.itemAt(groupIndex(model, QStringLiteral("Schema objects (public)"))) == nullptr);

        // A DIFFERS part: both sides in the columns and in the tooltip.
        const QModelIndex totalValue = model.index(3, 0, snapshots);
        QCOMPARE(totalValue.data().toString(), QStringLiteral("total_value"));
        QCOMPARE(
            totalValue.siblingAtColumn(AuditModel::KindColumn).data().toString(), QStringLiteral("column"));
        QCOMPARE(totalValue.siblingAtColumn(AuditModel::StatusColumn).data().toString(),
            QStringLiteral("DIFFERS"));
        QCOMPARE(totalValue.siblingAtColumn(AuditModel::ExpectedColumn).data().toString(),
            QStringLiteral("numeric(16,4) NOT NULL"));
        QCOMPARE(totalValue.siblingAtColumn(AuditModel::ActualColumn).data().toString(),
            QStringLiteral("numeric(12,2)"));
        const QString tip
            = totalValue.siblingAtColumn(AuditModel::StatusColumn).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("expected: numeric(16,4) NOT NULL"))
                && tip.contains(QStringLiteral("actual: numeric(12,2)")),
            qPrintable(tip));
        // Multi-line definitions stay on one line in the view, whole in the tooltip.
        const QModelIndex view = groupIndex(model, QStringLiteral("public.v_latest"));
        QCOMPARE(view.siblingAtColumn(AuditModel::ActualColumn).data().toString(),
            QStringLiteral("VIEW AS SELECT p.id, p.name FROM portfolios p"));
        QVERIFY(view.data(Qt::ToolTipRole).toString().contains(QStringLiteral("p.id,\n p.name")));
    }

    void statusIconsDifferByShapeAndColour()
    {
        AuditModel model;
        model.setReport(sampleReport());
        const QModelIndex snapshots = groupIndex(model, QStringLiteral("public.portfolio_snapshots"));
        const QModelIndex users = groupIndex(model, QStringLiteral("public.users"));
        // EXISTS, MISSING, DIFFERS, EXTRA rows of portfolio_snapshots.
        const QList<QModelIndex> cells { model.index(1, AuditModel::StatusColumn, snapshots),
            model.index(0, AuditModel::StatusColumn, snapshots),
            model.index(3, AuditModel::StatusColumn, snapshots),
            model.index(4, AuditModel::StatusColumn, snapshots) };
        const QStringList expected { QStringLiteral("EXISTS"), QStringLiteral("MISSING"),
            QStringLiteral("DIFFERS"), QStringLiteral("EXTRA") };
        QList<QImage> images;
        QList<QColor> colours;
        for (int i = 0; i < cells.size(); ++i) {
            QCOMPARE(cells.at(i).data().toString(), expected.at(i));
            const QVariant decoration = cells.at(i).data(Qt::DecorationRole);
            QVERIFY(decoration.canConvert<QIcon>());
            QVERIFY(!decoration.value<QIcon>().isNull());
            const QImage image = iconImage(decoration);
            QVERIFY(!image.isNull());
            for (const QImage& other : std::as_const(images))
                QVERIFY2(image != other, qPrintable(expected.at(i)));
            images.append(image);
            const QColor colour = cells.at(i).data(Qt::ForegroundRole).value<QColor>();
            QVERIFY(colour.isValid());
            QVERIFY(!colours.contains(colour));
            colours.append(colour);
            // Same icon for the same status on a group row.
            if (i == 0)
                QCOMPARE(iconImage(users.siblingAtColumn(AuditModel::StatusColumn).data(Qt::DecorationRole)),
                    image);
        }
        // The shapes differ, not only the colours: compare where the white glyphs are.
        auto glyphMask = [](const QImage& image) {
            const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
            QVector<bool> mask;
            for (int y = 0; y < argb.height(); ++y) {
                for (int x = 0; x < argb.width(); ++x) {
                    const QColor c = argb.pixelColor(x, y);
                    mask.append(c.alpha() > 200 && c.red() > 200 && c.green() > 200 && c.blue() > 200);
                }
            }
            return mask;
        };
        for (int a = 0; a < images.size(); ++a) {
            for (int b = a + 1; b < images.size(); ++b) {
                const QVector<bool> ma = glyphMask(images.at(a));
                const QVector<bool> mb = glyphMask(images.at(b));
                int differing = 0;
                for (int i = 0; i < ma.size(); ++i)
                    differing += ma.at(i) != mb.at(i) ? 1 : 0;
                QVERIFY2(differing > 6, qPrintable(expected.at(a) + QLatin1Char('/') + expected.at(b)));
            }
        }
        // Only the status column is decorated, and problems get a background wash.
        QVERIFY(!snapshots.data(Qt::DecorationRole).isValid());
        QVERIFY(cells.at(1).data(Qt::BackgroundRole).isValid());
        QVERIFY(!cells.at(0).data(Qt::BackgroundRole).isValid());
    }

    void filterByTextAndProblems()
    {
        AuditModel model;
        model.setReport(sampleReport());
        AuditFilterModel filter;
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(&model);
        QCOMPARE(filter.rowCount(), 6);

        filter.setOnlyProblems(true);
        QCOMPARE(topLevelNames(filter),
            QStringList({ QStringLiteral("Schema objects (public)"), QStringLiteral("public.equity_changes"),
                QStringLiteral("public.legacy_audit"), QStringLiteral("public.portfolio_snapshots"),
                QStringLiteral("public.v_latest") }));
        QCOMPARE(childNames(filter, QStringLiteral("Schema objects (public)")),
            QStringList({ QStringLiteral("batch_run_status") }));
        QCOMPARE(childNames(filter, QStringLiteral("public.equity_changes")).size(), 4);
        QCOMPARE(childNames(filter, QStringLiteral("public.portfolio_snapshots")),
            QStringList({ QStringLiteral("calculated_beta_90d"), QStringLiteral("total_value"),
                QStringLiteral("ix_tmp_manual") }));

        filter.setOnlyProblems(false);
        filter.setFilterText(QStringLiteral("BETA"));
        QCOMPARE(topLevelNames(filter), QStringList({ QStringLiteral("public.portfolio_snapshots") }));
        QCOMPARE(childNames(filter, QStringLiteral("public.portfolio_snapshots")),
            QStringList({ QStringLiteral("calculated_beta_90d") }));

        // A table's name shows all of its parts.
        filter.setFilterText(QStringLiteral("equity"));
        QCOMPARE(topLevelNames(filter), QStringList({ QStringLiteral("public.equity_changes") }));
        QCOMPARE(childNames(filter, QStringLiteral("public.equity_changes")).size(), 4);

        filter.setFilterText(QStringLiteral(" id "));
        QCOMPARE(topLevelNames(filter),
            QStringList({ QStringLiteral("public.equity_changes"), QStringLiteral("public.legacy_audit"),
                QStringLiteral("public.portfolio_snapshots"), QStringLiteral("public.users") }));
        QCOMPARE(childNames(filter, QStringLiteral("public.equity_changes")),
            QStringList({ QStringLiteral("id"), QStringLiteral("portfolio_id") }));

        filter.setOnlyProblems(true);
        QCOMPARE(topLevelNames(filter),
            QStringList({ QStringLiteral("public.equity_changes"), QStringLiteral("public.legacy_audit") }));

        filter.setFilterText(QStringLiteral("no such object"));
        QCOMPARE(filter.rowCount(), 0);
        filter.setFilterText(QString());
        filter.setOnlyProblems(false);
        QCOMPARE(filter.rowCount(), 6);
    }

    void sortsProblemsFirst()
    {
        AuditModel model;
        model.setReport(sampleReport());
        AuditFilterModel filter;
        filter.setSourceModel(&model);
        filter.sort(AuditModel::StatusColumn, Qt::AscendingOrder);
        QCOMPARE(topLevelNames(filter),
            QStringList({ QStringLiteral("Schema objects (public)"), QStringLiteral("public.equity_changes"),
                QStringLiteral("public.portfolio_snapshots"), QStringLiteral("public.v_latest"),
                QStringLiteral("public.legacy_audit"), QStringLiteral("public.users") }));
        QCOMPARE(childNames(filter, QStringLiteral("public.portfolio_snapshots")),
            QStringList({ QStringLiteral("calculated_beta_90d"), QStringLiteral("total_value"),
                QStringLiteral("ix_tmp_manual"), QStringLiteral("id"), QStringLiteral("snapshot_date") }));
        filter.sort(AuditModel::ObjectColumn, Qt::DescendingOrder);
        QCOMPARE(topLevelNames(filter).constFirst(), QStringLiteral("public.v_latest"));
        QCOMPARE(topLevelNames(filter).constLast(), QStringLiteral("Schema objects (public)"));
    }

    void csvField()
    {
        QCOMPARE(AuditCsvWriter::field(QStringLiteral("plain")), QStringLiteral("plain"));
        QCOMPARE(AuditCsvWriter::field(QString()), QString());
        QCOMPARE(AuditCsvWriter::field(QStringLiteral("a,b")), QStringLiteral("\"a,b\""));
        QCOMPARE(AuditCsvWriter::field(QStringLiteral("say \"hi\"")), QStringLiteral("\"say \"\"hi\"\"\""));
        QCOMPARE(AuditCsvWriter::field(QStringLiteral("two\nlines")), QStringLiteral("\"two\nlines\""));
        QCOMPARE(AuditCsvWriter::field(QStringLiteral(" padded")), QStringLiteral("\" padded\""));
    }

    void csvExportExact()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        AuditPanel panel;
        panel.setReport(sampleReport());
        panel.onlyProblemsCheckBox()->setChecked(true);
        const QString path = dir.filePath(QStringLiteral("audit.csv"));
        QString error;
        QVERIFY2(panel.exportCsv(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray expected
            = "schema,table,kind,name,status,expected,actual,with_table\r\n"
              "public,,enum,batch_run_status,MISSING,\"pending, running, succeeded\",,false\r\n"
              "public,equity_changes,table,equity_changes,MISSING,\"2 columns, 1 constraint, 1 "
              "index\",,false\r\n"
              "public,equity_changes,column,id,MISSING,bigint NOT NULL,,true\r\n"
              "public,equity_changes,column,portfolio_id,MISSING,bigint NOT NULL,,true\r\n"
              "public,equity_changes,constraint,equity_changes_pkey,MISSING,PRIMARY KEY (id),,true\r\n"
              "public,equity_changes,index,ix_equity_changes_portfolio,MISSING,\"CREATE INDEX "
              "ix_equity_changes_portfolio ON public.equity_changes USING btree (portfolio_id, "
              "id)\",,true\r\n"
              "public,legacy_audit,table,legacy_audit,EXTRA,,\"1 column, 0 constraints, 0 indexes\",false\r\n"
              "public,legacy_audit,column,id,EXTRA,,integer,true\r\n"
              "public,portfolio_snapshots,column,calculated_beta_90d,MISSING,\"numeric(10,6)\",,false\r\n"
              "public,portfolio_snapshots,column,total_value,DIFFERS,\"numeric(16,4) NOT "
              "NULL\",\"numeric(12,2)\","
              "false\r\n"
              "public,portfolio_snapshots,index,ix_tmp_manual,EXTRA,,CREATE INDEX ix_tmp_manual ON "
              "public.portfolio_snapshots USING btree (id),false\r\n"
              "public,v_latest,view,v_latest,DIFFERS,\"VIEW AS SELECT \"\"p\"\".id FROM portfolios "
              "p\",\"VIEW AS "
              "SELECT p.id,\n p.name FROM portfolios p\",false\r\n";
        QCOMPARE(file.readAll(), expected);

        // Without "Only problems" every item is there: header + one line each.
        panel.onlyProblemsCheckBox()->setChecked(false);
        QVERIFY(panel.exportCsv(path));
        QCOMPARE(AuditCsvWriter::csv(sampleReport(), false).count(QStringLiteral("\r\n")),
            sampleReport().items.size() + 1);
        QFile all(path);
        QVERIFY(all.open(QIODevice::ReadOnly));
        QCOMPARE(all.readAll(), AuditCsvWriter::csv(sampleReport(), false).toUtf8());

        // An unwritable path fails with a message.
        QVERIFY(!panel.exportCsv(dir.filePath(QStringLiteral("no/such/dir/audit.csv")), &error));
        QVERIFY(!error.isEmpty());
    }

    void jsonAndHtmlExport()
    {
        QTemporaryDir dir;
        AuditPanel panel;
        AuditSubject subject;
        subject.database = QStringLiteral("app@db.example:5432/portfolio");
        subject.databaseRevisions = QStringList { QStringLiteral("19c513d3bf90") };
        subject.versionTableExists = true;
        subject.expectedSource = QStringLiteral("migrations/schema/head.json");
        subject.expectedRevisions = QStringList { QStringLiteral("792ffb1ab1ad") };
        panel.setSubject(subject);
        panel.setReport(sampleReport());
        const QString jsonPath = dir.filePath(QStringLiteral("audit.json"));
        QVERIFY(panel.exportJson(jsonPath));
        QFile json(jsonPath);
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject object = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(object.value(QStringLiteral("database")).toString(), subject.database);
        QCOMPARE(object.value(QStringLiteral("summary")).toString(), sampleReport().totalsText());
        QCOMPARE(object.value(QStringLiteral("ok")).toBool(), false);

        const QString htmlPath = dir.filePath(QStringLiteral("audit.html"));
        QVERIFY(panel.exportHtml(htmlPath));
        QFile html(htmlPath);
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QString page = QString::fromUtf8(html.readAll());
        QVERIFY(page.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(page.contains(QStringLiteral("app@db.example:5432/portfolio")));
    }

    void panelStates()
    {
        AuditPanel panel;
        QAbstractItemModelTester tester(
            panel.filterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!panel.hasReport());
        QCOMPARE(panel.placeholderText(), QStringLiteral("Connect to a database to audit it"));
        QVERIFY(panel.headlineText().isEmpty());
        QVERIFY(!panel.exportButton()->isEnabled());
        QCOMPARE(panel.target(), QStringLiteral("head"));

        QSignalSpy requested(&panel, &AuditPanel::auditRequested);
        panel.refreshButton()->click();
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.at(0).at(0).toString(), QStringLiteral("head"));
        panel.setTarget(QStringLiteral(" 19c513d3bf90 "));
        panel.refreshButton()->click();
        QCOMPARE(requested.at(1).at(0).toString(), QStringLiteral("19c513d3bf90"));
        panel.targetComboBox()->setEditText(QString());
        QCOMPARE(panel.target(), QStringLiteral("head"));

        panel.setBusy(true);
        QVERIFY(!panel.refreshButton()->isEnabled());
        panel.setBusy(false);
        QVERIFY(panel.refreshButton()->isEnabled());
        panel.setAuditAvailable(false, QStringLiteral("Not connected"));
        QVERIFY(!panel.refreshButton()->isEnabled());
        QCOMPARE(panel.refreshButton()->toolTip(), QStringLiteral("Not connected"));
        panel.setAuditAvailable(true);

        panel.setPendingRevisionCount(23);
        panel.setReport(sampleReport());
        QVERIFY(panel.exportButton()->isEnabled());
        // The large line totals what is not as expected, the small one what is.
        AuditReport problems;
        AuditReport fine;
        for (const AuditItem& i : sampleReport().items)
            (i.status == Status::Exists ? fine : problems).items.append(i);
        QCOMPARE(panel.headlineText(), QStringLiteral("23 revisions pending — ") + problems.totalsText());
        QVERIFY(
            panel.headlineText().endsWith(QStringLiteral("1 table EXTRA (with 1 column), 1 index EXTRA")));
        QCOMPARE(panel.asExpectedText(), QStringLiteral("As expected: ") + fine.totalsText());
        QCOMPARE(panel.asExpectedText(),
            QStringLiteral("As expected: 2 tables EXISTS, 4 columns EXISTS, 1 sequence EXISTS"));
        panel.setPendingRevisionCount(1);
        QVERIFY(panel.headlineText().startsWith(QStringLiteral("1 revision pending — ")));

        // Problem groups inside existing tables open; whole missing tables and fine ones closed.
        QTreeView* tree = panel.treeView();
        auto expanded
            = [&](const QString& group) { return tree->isExpanded(groupIndex(*panel.filterModel(), group)); };
        QVERIFY(expanded(QStringLiteral("public.portfolio_snapshots")));
        QVERIFY(expanded(QStringLiteral("Schema objects (public)")));
        QVERIFY(!expanded(QStringLiteral("public.equity_changes")));
        QVERIFY(!expanded(QStringLiteral("public.users")));
        // Sorted problems first.
        QCOMPARE(
            panel.filterModel()->index(0, 0).data().toString(), QStringLiteral("Schema objects (public)"));
        QCOMPARE(panel.filterModel()->index(5, 0).data().toString(), QStringLiteral("public.users"));

        // The filter field and the checkbox drive the proxy.
        panel.filterEdit()->setText(QStringLiteral("beta"));
        QCOMPARE(panel.filterModel()->rowCount(), 1);
        QVERIFY(expanded(QStringLiteral("public.portfolio_snapshots")));
        panel.filterEdit()->clear();
        panel.onlyProblemsCheckBox()->setChecked(true);
        QCOMPARE(panel.filterModel()->rowCount(), 5);

        panel.clearReport();
        QVERIFY(!panel.hasReport());
        QVERIFY(panel.headlineText().isEmpty());
        panel.setBusy(true);
        QCOMPARE(panel.placeholderText(), QStringLiteral("Connect to a database to audit it"));
    }

    void ctrlFFocusesTheFilter()
    {
        AuditPanel panel;
        panel.setReport(sampleReport());
        panel.show();
        panel.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&panel));
        panel.treeView()->setFocus();
        QVERIFY(!panel.filterEdit()->hasFocus());
        QTest::keySequence(&panel, QKeySequence(QKeySequence::Find));
        QTRY_VERIFY(panel.filterEdit()->hasFocus());
    }
};

QTEST_MAIN(TestAuditModel)
#include "tst_auditmodel.moc"
