// The query console widget, offscreen, against a real server
// (tests/with-postgres.sh): Ctrl+Enter runs a query in the query thread and
// the rows appear; Ctrl+C and Ctrl+Shift+C copy the selection as CSV and
// Markdown; a write is refused with a clear message at its line; Cancel
// stops pg_sleep(30) promptly and the console keeps working; the history is
// per profile and never holds the password; Export writes a private CSV file.
#include "QueryConsoleWidget.h"
#include "QueryResultModel.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

class TestQueryConsole : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    ConnectionSettings m_settings;

    bool haveServer() const { return !qEnvironmentVariable("DBOPS_TEST_PG_URL").isEmpty(); }

    QString historyPath() const { return m_dir.filePath(QStringLiteral("data/dbops/query-history.json")); }

    std::unique_ptr<QueryConsoleWidget> console(const QString& profile = QStringLiteral("support"))
    {
        auto widget = std::make_unique<QueryConsoleWidget>();
        widget->setHistoryPath(historyPath());
        widget->setConnection(m_settings, profile, true);
        widget->resize(900, 600);
        widget->show();
        return widget;
    }

    // Runs `sql` with Ctrl+Enter in the editor and waits for its result.
    static QueryResult runByKeyboard(QueryConsoleWidget& widget, const QString& sql)
    {
        QSignalSpy shown(&widget, &QueryConsoleWidget::resultShown);
        widget.setSql(sql);
        widget.editor()->setFocus();
        QTest::keyClick(widget.editor(), Qt::Key_Return, Qt::ControlModifier);
        if (!shown.wait(15000))
            return {};
        return shown.first().at(0).value<QueryResult>();
    }

    static QString cell(const QueryConsoleWidget& widget, int row, int column)
    {
        return widget.resultModel()->index(row, column).data().toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (!haveServer())
            QSKIP("needs DBOPS_TEST_PG_URL (tests/with-postgres.sh)");
        Result<ConnectionSettings> settings
            = ConnectionSettings::parse(qEnvironmentVariable("DBOPS_TEST_PG_URL"));
        QVERIFY(settings);
        m_settings = settings.value();
    }

    void runIsDisabledWithoutAConnection()
    {
        QueryConsoleWidget widget;
        QVERIFY(!widget.hasConnection());
        QVERIFY(!widget.runAction()->isEnabled());
        QVERIFY(!widget.cancelAction()->isEnabled());
        QVERIFY(widget.statusText().contains(QLatin1String("Not connected")));
    }

    void runShowsRowsAndCopiesThem()
    {
        auto widget = console();
        QVERIFY(widget->runAction()->isEnabled());
        QVERIFY(widget->statusText().contains(QLatin1String("statement timeout 30 s")));
        const QueryResult result = runByKeyboard(*widget,
            QStringLiteral("SELECT id, name, amount\nFROM (VALUES (1, 'Ada', 10.50), (2, NULL, -3.25), "
                           "(3, 'Pipe | and, comma', 0.00)) v(id, name, amount)\nORDER BY id"));
        QVERIFY2(result.ok(), qPrintable(result.error ? result.error->toString() : QString()));
        QCOMPARE(widget->resultModel()->rowCount(), 3);
        QCOMPARE(widget->resultModel()->columnCount(), 3);
        QCOMPARE(widget->resultModel()->headerData(1, Qt::Horizontal).toString(), QStringLiteral("name"));
        QCOMPARE(widget->resultModel()->headerData(0, Qt::Horizontal, Qt::ToolTipRole).toString(),
            QStringLiteral("id (integer)"));
        QCOMPARE(cell(*widget, 0, 1), QStringLiteral("Ada"));
        QCOMPARE(cell(*widget, 1, 1), QStringLiteral("NULL"));
        QCOMPARE(cell(*widget, 1, 2), QStringLiteral("-3.25"));
        QCOMPARE(widget->resultModel()->index(1, 2).data(Qt::TextAlignmentRole).toInt(),
            int(Qt::AlignRight | Qt::AlignVCenter));
        QVERIFY2(
            widget->statusText().startsWith(QLatin1String("3 rows in ")), qPrintable(widget->statusText()));
        QVERIFY(widget->statusText().contains(QLatin1String("Read-only transaction, rolled back")));

        // Nothing selected: Ctrl+C copies the whole result as CSV.
        QTableView* view = widget->resultView();
        view->setFocus();
        QGuiApplication::clipboard()->clear();
        QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QGuiApplication::clipboard()->text(),
            QStringLiteral("id,name,amount\n1,Ada,10.50\n2,,-3.25\n3,\"Pipe | and, comma\",0.00\n"));

        // Rows 2 and 3 of columns name and amount, as Markdown.
        view->selectionModel()->select(
            QItemSelection(widget->resultModel()->index(1, 1), widget->resultModel()->index(2, 2)),
            QItemSelectionModel::ClearAndSelect);
        QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(QGuiApplication::clipboard()->text(),
            QStringLiteral(
                "| name | amount |\n|---|---:|\n| *NULL* | -3.25 |\n| Pipe \\| and, comma | 0.00 |\n"));
        // The same selection as CSV (what the context menu's Copy as CSV copies).
        QCOMPARE(widget->selectionText(QueryConsoleWidget::CopyFormat::Csv),
            QStringLiteral("name,amount\n,-3.25\n\"Pipe | and, comma\",0.00\n"));

        // Export: the whole result, a private file, and where it went.
        const QString path = m_dir.filePath(QStringLiteral("exports/result.csv"));
        QString error;
        QVERIFY2(widget->exportCsvTo(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()),
            QStringLiteral("id,name,amount\n1,Ada,10.50\n2,,-3.25\n3,\"Pipe | and, comma\",0.00\n"));
        QCOMPARE(int(file.permissions() & 0x0077), 0); // nobody but the owner
        QVERIFY(widget->statusText().contains(QStringLiteral("Wrote 3 rows to ")));
        QVERIFY(widget->statusText().contains(QFileInfo(path).absoluteFilePath()));
    }

    void aWriteIsRefusedWithAClearMessage()
    {
        auto widget = console();
        const QueryResult result = runByKeyboard(*widget,
            QStringLiteral("SELECT 1;\nWITH gone AS (DELETE FROM pg_class RETURNING *)\n"
                           "SELECT count(*) FROM gone"));
        QCOMPARE(result.status, QueryResult::Status::Refused);
        const QString status = widget->statusText();
        QVERIFY2(
            status.startsWith(QLatin1String("Refused (line 2, column 1): not run: a WITH query that runs "
                                            "DELETE writes; the query console runs only reads")),
            qPrintable(status));
        QCOMPARE(widget->editor()->textCursor().blockNumber(), 1); // the cursor went to the statement
        QVERIFY(widget->runAction()->isEnabled());

        const QueryResult terminate = runByKeyboard(
            *widget, QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"));
        QCOMPARE(terminate.status, QueryResult::Status::Refused);
        QVERIFY2(widget->statusText().contains(QLatin1String("must not call pg_terminate_backend()")),
            qPrintable(widget->statusText()));
    }

    void theSelectionRunsAlone()
    {
        auto widget = console();
        widget->setSql(QStringLiteral("SELECT 'first';\nSELECT 'second' AS picked;\nDELETE FROM nowhere;"));
        QTextCursor cursor(widget->editor()->document()->findBlockByNumber(1));
        cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        widget->editor()->setTextCursor(cursor);
        QSignalSpy shown(widget.get(), &QueryConsoleWidget::resultShown);
        widget->run();
        QVERIFY(shown.wait(15000));
        QVERIFY(widget->lastResult().ok());
        QCOMPARE(cell(*widget, 0, 0), QStringLiteral("second"));
    }

    void cancelStopsALongQuery()
    {
        auto widget = console();
        QSignalSpy shown(widget.get(), &QueryConsoleWidget::resultShown);
        widget->setSql(QStringLiteral("SELECT pg_sleep(30)"));
        widget->run();
        QVERIFY(widget->isRunning());
        QVERIFY(!widget->runAction()->isEnabled());
        QVERIFY(widget->cancelAction()->isEnabled());
        QVERIFY(widget->statusText().startsWith(QLatin1String("Running")));
        QTest::qWait(800); // the sleep has started on the server
        QElapsedTimer timer;
        timer.start();
        widget->cancelAction()->trigger();
        QVERIFY(shown.wait(5000));
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(widget->lastResult().status, QueryResult::Status::Cancelled);
        QVERIFY2(widget->statusText().startsWith(QLatin1String("Cancelled: cancelled")),
            qPrintable(widget->statusText()));
        QVERIFY(!widget->isRunning());
        QVERIFY(widget->runAction()->isEnabled());

        const QueryResult after = runByKeyboard(*widget, QStringLiteral("SELECT 'still here'"));
        QVERIFY(after.ok());
        QCOMPARE(cell(*widget, 0, 0), QStringLiteral("still here"));
    }

    void historyIsPerProfileAndHoldsNoPassword()
    {
        ConnectionSettings withPassword = m_settings;
        withPassword.setPassword(QStringLiteral("s3cret-pw-123")); // the test server trusts, ignores it
        auto widget = std::make_unique<QueryConsoleWidget>();
        widget->setHistoryPath(historyPath());
        widget->setConnection(withPassword, QString(), false); // no profile: keyed by the connection
        QVERIFY(!widget->historyKey().isEmpty());
        QVERIFY(!widget->historyKey().contains(QLatin1String("s3cret")));
        QVERIFY(runByKeyboard(*widget, QStringLiteral("SELECT 'no profile'")).ok());

        auto support = console(QStringLiteral("support"));
        const QList<QueryHistoryEntry> entries = support->historyEntries();
        QVERIFY(entries.size() >= 4);
        QCOMPARE(entries.first().sql, QStringLiteral("SELECT 'still here'")); // newest first
        for (const QueryHistoryEntry& entry : entries)
            QCOMPARE(entry.profile, QStringLiteral("support"));
        QCOMPARE(support->historyBox()->count(), entries.size());

        auto other = console(QStringLiteral("another-profile"));
        QCOMPARE(other->historyEntries().size(), 0);
        QVERIFY(!other->historyBox()->isEnabled());

        // Picking an entry puts its query into the editor.
        const int index = support->historyBox()->findData(QStringLiteral("SELECT pg_sleep(30)"));
        QVERIFY(index >= 0);
        support->historyBox()->setCurrentIndex(index);
        Q_EMIT support->historyBox()->activated(index);
        QCOMPARE(support->sql(), QStringLiteral("SELECT pg_sleep(30)"));

        QFile file(historyPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray stored = file.readAll();
        QVERIFY(stored.contains("SELECT 'no profile'"));
        QVERIFY(!stored.contains("s3cret-pw-123"));
        QCOMPARE(int(file.permissions() & 0x0077), 0);
    }
};

QTEST_MAIN(TestQueryConsole)
#include "tst_queryconsole.moc"
