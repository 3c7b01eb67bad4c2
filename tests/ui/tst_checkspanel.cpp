#include "CheckResultsModel.h"
#include "ChecksPanel.h"

#include <QAbstractItemModelTester>
#include <QPushButton>
#include <QSignalSpy>
#include <QTextBrowser>
#include <QTreeView>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

CheckOutcome outcome(const QString& name, const QString& description, const QList<CheckRow>& rows)
{
    CheckOutcome o;
    o.name = name;
    o.description = description;
    o.filePath = QStringLiteral("/repo/migrations/checks/") + name + QStringLiteral(".sql");
    o.line = 4;
    o.rows = rows;
    o.milliseconds = 3;
    return o;
}

// Four checks: a failing one without a fix, a passing one (that a fix
// repairs), a failing one with a fix, and one whose query failed.
CheckReport sampleReport()
{
    CheckReport report;
    report.outcomes.append(outcome(QStringLiteral("active-style-macro-factors"),
        QStringLiteral("Exactly 9 style and macro factors are active"),
        { CheckRow { QStringLiteral("active style/macro factors"), QStringLiteral("9 active"),
            QStringLiteral(
                "10 active: Growth, Interest Rate Sensitivity, Low Volatility, Market Beta, Momentum, "
                "Oil Price Sensitivity, Quality, Short Interest, Size, Value"),
            false } }));
    report.outcomes.append(outcome(QStringLiteral("migration-tables-present"),
        QStringLiteral("Every table the migrations create exists"),
        { CheckRow {
              QStringLiteral("table users"), QStringLiteral("present"), QStringLiteral("present"), true },
            CheckRow { QStringLiteral("table portfolios"), QStringLiteral("present"),
                QStringLiteral("present"), true },
            CheckRow { QStringLiteral("table equity_changes"), QStringLiteral("present"),
                QStringLiteral("present"), true } }));
    report.outcomes.append(outcome(QStringLiteral("short-interest-inactive"),
        QStringLiteral("The retired 'Short Interest' factor is inactive"),
        { CheckRow { QStringLiteral("Short Interest inactive"), QStringLiteral("is_active = false"),
            QStringLiteral("is_active = true"), false } }));
    CheckOutcome broken
        = outcome(QStringLiteral("broken-check"), QStringLiteral("Refers to a dropped table"), {});
    broken.error
        = Error::database(QStringLiteral("relation \"old_factors\" does not exist"), QStringLiteral("42P01"));
    report.outcomes.append(broken);
    return report;
}

QList<FixDefinition> sampleFixes()
{
    FixDefinition retire;
    retire.name = QStringLiteral("retire-short-interest");
    retire.description = QStringLiteral("Retire the 'Short Interest' factor: set is_active = false");
    retire.repairs = QStringLiteral("short-interest-inactive");
    FixDefinition recreate;
    recreate.name = QStringLiteral("recreate-tables");
    recreate.repairs = QStringLiteral("migration-tables-present");
    FixDefinition other;
    other.name = QStringLiteral("second-fix-for-short-interest");
    other.repairs = QStringLiteral("short-interest-inactive");
    return { retire, recreate, other };
}

} // namespace

class TestChecksPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void modelTree()
    {
        CheckResultsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!model.hasReport());
        QCOMPARE(model.summaryText(), QString());
        model.setReport(sampleReport());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(CheckResultsModel::ColumnCount));
        QCOMPARE(model.rowCount(model.index(0, 0)), 1);
        QCOMPARE(model.rowCount(model.index(1, 0)), 3);
        QCOMPARE(model.rowCount(model.index(2, 0)), 1);
        QCOMPARE(model.rowCount(model.index(3, 0)), 0);
        QCOMPARE(model.rowCount(model.index(1, CheckResultsModel::ResultColumn)), 0);

        auto text = [&](int row, int column, const QModelIndex& parent = QModelIndex()) {
            return model.index(row, column, parent).data().toString();
        };
        QCOMPARE(text(0, CheckResultsModel::CheckColumn), QStringLiteral("active-style-macro-factors"));
        QCOMPARE(text(0, CheckResultsModel::ResultColumn), QStringLiteral("fail"));
        QCOMPARE(text(0, CheckResultsModel::ActualColumn), QStringLiteral("1 row, not ok"));
        QCOMPARE(text(1, CheckResultsModel::ResultColumn), QStringLiteral("pass"));
        QCOMPARE(text(1, CheckResultsModel::ActualColumn), QStringLiteral("3 rows, all ok"));
        QCOMPARE(text(3, CheckResultsModel::ResultColumn), QStringLiteral("error"));
        // A check whose query failed shows the error text.
        QCOMPARE(text(3, CheckResultsModel::ActualColumn),
            QStringLiteral("relation \"old_factors\" does not exist"));
        QVERIFY(
            model.index(3, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("SQLSTATE 42P01")));

        const QModelIndex factors = model.index(0, 0);
        QCOMPARE(
            text(0, CheckResultsModel::CheckColumn, factors), QStringLiteral("active style/macro factors"));
        QCOMPARE(text(0, CheckResultsModel::ExpectedColumn, factors), QStringLiteral("9 active"));
        QVERIFY(text(0, CheckResultsModel::ActualColumn, factors)
                    .startsWith(QStringLiteral("10 active: Growth")));
        QCOMPARE(text(0, CheckResultsModel::ResultColumn, factors), QStringLiteral("fail"));
        QCOMPARE(model.index(0, 0, factors).data(CheckResultsModel::CheckNameRole).toString(),
            QStringLiteral("active-style-macro-factors"));
        QCOMPARE(text(2, CheckResultsModel::ResultColumn, model.index(1, 0)), QStringLiteral("pass"));

        // Icons by result, each different.
        const QIcon pass
            = model.index(1, CheckResultsModel::ResultColumn).data(Qt::DecorationRole).value<QIcon>();
        const QIcon fail
            = model.index(0, CheckResultsModel::ResultColumn).data(Qt::DecorationRole).value<QIcon>();
        const QIcon error
            = model.index(3, CheckResultsModel::ResultColumn).data(Qt::DecorationRole).value<QIcon>();
        QVERIFY(!pass.isNull() && !fail.isNull() && !error.isNull());
        const QImage p = pass.pixmap(16, 16).toImage();
        const QImage f = fail.pixmap(16, 16).toImage();
        const QImage e = error.pixmap(16, 16).toImage();
        QVERIFY(p != f && f != e && p != e);
        QVERIFY(!model.index(0, CheckResultsModel::CheckColumn).data(Qt::DecorationRole).isValid());

        QCOMPARE(model.failedCount(), 3);
        QCOMPARE(model.errorCount(), 1);
        QCOMPARE(model.summaryText(), QStringLiteral("3 of 4 checks failed (1 could not run)"));

        CheckReport twoOfThree = sampleReport();
        twoOfThree.outcomes.removeLast();
        model.setReport(twoOfThree);
        QCOMPARE(model.summaryText(), QStringLiteral("2 of 3 checks failed"));
        model.setReport(CheckReport { { sampleReport().outcomes.at(1) } });
        QCOMPARE(model.summaryText(), QStringLiteral("The check passed"));
        CheckReport empty = CheckReport { { outcome(QStringLiteral("empty"), QString(), {}) } };
        model.setReport(empty);
        QCOMPARE(model.index(0, CheckResultsModel::ResultColumn).data().toString(), QStringLiteral("fail"));
        QCOMPARE(model.index(0, CheckResultsModel::ActualColumn).data().toString(),
            QStringLiteral("no rows returned"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void applyFixOnlyForFailingCheckWithFixAndWrites()
    {
        ChecksPanel panel;
        QAbstractItemModelTester tester(
            panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!panel.applyFixButton()->isEnabled());
        panel.setFixes(sampleFixes());
        QCOMPARE(
            panel.fixFor(QStringLiteral("short-interest-inactive")), QStringLiteral("retire-short-interest"));
        QCOMPARE(panel.fixFor(QStringLiteral("active-style-macro-factors")), QString());
        panel.setWriteAllowed(true);
        panel.setReport(sampleReport());
        QCOMPARE(panel.summaryText(), QStringLiteral("3 of 4 checks failed (1 could not run)"));
        QCOMPARE(panel.hintText(), QStringLiteral("1 failing check has a fix"));

        // The first failing check is selected: it has no fix.
        QCOMPARE(panel.selectedCheck(), QStringLiteral("active-style-macro-factors"));
        QVERIFY(!panel.applyFixButton()->isEnabled());
        QVERIFY(panel.applyFixButton()->toolTip().contains(QStringLiteral("No fix repairs")));
        QVERIFY(
            panel.detailView()->toPlainText().contains(QStringLiteral("Exactly 9 style and macro factors")));
        QVERIFY(panel.detailView()->toPlainText().contains(QStringLiteral("Oil Price Sensitivity, Quality")));
        QVERIFY(panel.treeView()->isExpanded(panel.model()->index(0, 0)));
        QVERIFY(!panel.treeView()->isExpanded(panel.model()->index(1, 0)));

        // Passing, even though a fix repairs it.
        QVERIFY(panel.selectCheck(QStringLiteral("migration-tables-present")));
        QVERIFY(!panel.applyFixButton()->isEnabled());
        QVERIFY(panel.applyFixButton()->toolTip().contains(QStringLiteral("passes")));

        // Could not run: no fix offered.
        QVERIFY(panel.selectCheck(QStringLiteral("broken-check")));
        QVERIFY(!panel.applyFixButton()->isEnabled());
        QVERIFY(panel.detailView()->toPlainText().contains(QStringLiteral("old_factors")));

        // Failing, with a fix, writes allowed: enabled, and the signal names the fix.
        QSignalSpy applied(&panel, &ChecksPanel::applyFixRequested);
        QVERIFY(panel.selectCheck(QStringLiteral("short-interest-inactive")));
        QVERIFY(panel.applyFixButton()->isEnabled());
        QVERIFY(panel.applyFixButton()->toolTip().contains(QStringLiteral("retire-short-interest")));
        QVERIFY(panel.detailView()->toPlainText().contains(QStringLiteral("retire-short-interest")));
        panel.applyFixButton()->click();
        QCOMPARE(applied.size(), 1);
        QCOMPARE(applied.at(0).at(0).toString(), QStringLiteral("retire-short-interest"));

        // A returned row selects its check.
        const QModelIndex rowOfFix = panel.model()->index(0, 0, panel.model()->index(2, 0));
        panel.treeView()->setCurrentIndex(rowOfFix);
        QCOMPARE(panel.selectedCheck(), QStringLiteral("short-interest-inactive"));
        QVERIFY(panel.applyFixButton()->isEnabled());

        // A new report keeps the selection.
        panel.setReport(sampleReport());
        QCOMPARE(panel.selectedCheck(), QStringLiteral("short-interest-inactive"));
        QVERIFY(panel.applyFixButton()->isEnabled());

        // Busy: wait.
        panel.setBusy(true);
        QVERIFY(!panel.applyFixButton()->isEnabled());
        QVERIFY(!panel.runButton()->isEnabled());
        panel.applyFixButton()->click();
        QCOMPARE(applied.size(), 1);
        panel.setBusy(false);
        QVERIFY(panel.applyFixButton()->isEnabled());

        // Once the fix worked, the check passes: nothing to apply.
        CheckReport repaired = sampleReport();
        repaired.outcomes[2].rows[0].ok = true;
        panel.setReport(repaired);
        QVERIFY(!panel.applyFixButton()->isEnabled());
    }

    void readOnlyProfileDisablesApplyFix()
    {
        ChecksPanel panel;
        panel.setFixes(sampleFixes());
        panel.setReport(sampleReport());
        panel.setWriteAllowed(false);
        QVERIFY(!panel.isWriteAllowed());
        QCOMPARE(panel.hintText(),
            QStringLiteral("1 failing check has a fix  ·  Read-only profile: fixes cannot run here"));
        QVERIFY(panel.selectCheck(QStringLiteral("short-interest-inactive")));
        QVERIFY(!panel.applyFixButton()->isEnabled());
        QVERIFY2(panel.applyFixButton()->toolTip().contains(QStringLiteral("read-only")),
            qPrintable(panel.applyFixButton()->toolTip()));
        QSignalSpy applied(&panel, &ChecksPanel::applyFixRequested);
        panel.applyFixButton()->click();
        QCOMPARE(applied.size(), 0);
        // Checks themselves are read-only: they still run.
        QVERIFY(panel.runButton()->isEnabled());

        panel.setWriteAllowed(true);
        QVERIFY(panel.applyFixButton()->isEnabled());
    }

    void runChecksSignalAndStates()
    {
        ChecksPanel panel;
        QVERIFY(!panel.hasReport());
        QSignalSpy requested(&panel, &ChecksPanel::checksRequested);
        panel.runButton()->click();
        QCOMPARE(requested.size(), 1);
        panel.setRunAvailable(false, QStringLiteral("Not connected"));
        QVERIFY(!panel.runButton()->isEnabled());
        QCOMPARE(panel.runButton()->toolTip(), QStringLiteral("Not connected"));
        panel.runButton()->click();
        QCOMPARE(requested.size(), 1);
        panel.setRunAvailable(true);
        QVERIFY(panel.runButton()->isEnabled());

        panel.setReport(sampleReport());
        QVERIFY(panel.hasReport());
        QCOMPARE(panel.report().outcomes.size(), 4);
        panel.clearReport();
        QVERIFY(!panel.hasReport());
        QVERIFY(panel.selectedCheck().isEmpty());
        QVERIFY(!panel.applyFixButton()->isEnabled());
    }
};

QTEST_MAIN(TestChecksPanel)
#include "tst_checkspanel.moc"
