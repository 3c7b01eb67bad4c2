// LineDiff: the longest common subsequence of two texts' lines, as the
// console's side-by-side schema diff shows them.
#include "catalog/LineDiff.h"

#include <QtTest>

using namespace dbops;
using Change = LineDiff::Row::Change;

namespace {

/// The rows as "=a", "~a|b", "-a", "+b": what a reader of the diff sees.
QStringList render(const QStringList& left, const QStringList& right)
{
    QStringList shown;
    for (const LineDiff::Row& row : LineDiff::compare(left, right)) {
        switch (row.change) {
        case Change::Same:
            shown.append(QLatin1Char('=') + left.at(row.left));
            if (left.at(row.left) != right.at(row.right))
                shown.append(QStringLiteral("!same rows differ"));
            break;
        case Change::Changed:
            shown.append(QLatin1Char('~') + left.at(row.left) + QLatin1Char('|') + right.at(row.right));
            break;
        case Change::Removed:
            shown.append(QLatin1Char('-') + left.at(row.left));
            break;
        case Change::Added:
            shown.append(QLatin1Char('+') + right.at(row.right));
            break;
        }
    }
    return shown;
}

QStringList lines(const char* text)
{
    return QString::fromUtf8(text).split(QLatin1Char('\n'));
}

} // namespace

class TestLineDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void equalTextsAreAllSame()
    {
        const QStringList text = lines("a\nb\nc");
        QCOMPARE(render(text, text),
            QStringList({ QStringLiteral("=a"), QStringLiteral("=b"), QStringLiteral("=c") }));
    }

    void oneSideEmpty()
    {
        QCOMPARE(render({}, lines("x\ny")), QStringList({ QStringLiteral("+x"), QStringLiteral("+y") }));
        QCOMPARE(render(lines("x\ny"), {}), QStringList({ QStringLiteral("-x"), QStringLiteral("-y") }));
        QVERIFY(LineDiff::compare({}, {}).isEmpty());
    }

    void alteredLineIsOneChangedRow()
    {
        QCOMPARE(render(lines("create (\nid int,\nbalance numeric(12,2)\n);"),
                     lines("create (\nid int,\nbalance numeric(14,2)\n);")),
            QStringList({ QStringLiteral("=create ("), QStringLiteral("=id int,"),
                QStringLiteral("~balance numeric(12,2)|balance numeric(14,2)"), QStringLiteral("=);") }));
    }

    void insertionsAndDeletionsInTheMiddleKeepTheCommonLines()
    {
        // The LCS of a b c d e f and a x c d y f is a c d f.
        QCOMPARE(render(lines("a\nb\nc\nd\ne\nf"), lines("a\nx\nc\nd\ny\nz\nf")),
            QStringList({ QStringLiteral("=a"), QStringLiteral("~b|x"), QStringLiteral("=c"),
                QStringLiteral("=d"), QStringLiteral("~e|y"), QStringLiteral("+z"), QStringLiteral("=f") }));
        QCOMPARE(render(lines("a\nb\nc"), lines("c\na\nb")),
            QStringList(
                { QStringLiteral("+c"), QStringLiteral("=a"), QStringLiteral("=b"), QStringLiteral("-c") }));
    }

    void everyLineOfBothSidesAppearsOnceInOrder()
    {
        const QStringList left = lines("p\nq\nr\ns\nt\nu\nq\nr");
        const QStringList right = lines("q\nr\nv\np\nt\nq\nw");
        int nextLeft = 0;
        int nextRight = 0;
        int same = 0;
        for (const LineDiff::Row& row : LineDiff::compare(left, right)) {
            if (row.left >= 0)
                QCOMPARE(row.left, nextLeft++);
            if (row.right >= 0)
                QCOMPARE(row.right, nextRight++);
            if (row.change == Change::Same)
                ++same;
        }
        QCOMPARE(nextLeft, left.size());
        QCOMPARE(nextRight, right.size());
        QCOMPARE(same, 4); // q r t q: the longest common subsequence
    }

    void largeDefinitionsWithAFewChangesAreFast()
    {
        QStringList left;
        for (int i = 0; i < 20000; ++i)
            left.append(QStringLiteral("    column_%1 integer NOT NULL,").arg(i));
        QStringList right = left;
        right[10] = QStringLiteral("    column_10 bigint NOT NULL,");
        right.removeAt(15000);
        QElapsedTimer timer;
        timer.start();
        const QVector<LineDiff::Row> rows = LineDiff::compare(left, right);
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        int changed = 0;
        int removed = 0;
        for (const LineDiff::Row& row : rows) {
            changed += row.change == Change::Changed;
            removed += row.change == Change::Removed;
        }
        QCOMPARE(changed, 1);
        QCOMPARE(removed, 1);
        QCOMPARE(rows.size(), 20000);
    }

    void pastTheCellLimitTheMiddleIsOneBlock()
    {
        QStringList left;
        QStringList right;
        for (int i = 0; i < 5000; ++i) {
            left.append(QStringLiteral("l%1").arg(i));
            right.append(QStringLiteral("r%1").arg(i));
        }
        // 10,000 edits: Myers' frontier would pass kMaxCells long before.
        const QVector<LineDiff::Row> rows = LineDiff::compare(left, right);
        QCOMPARE(rows.size(), 5000);
        QCOMPARE(rows.first().change, Change::Changed);
        QCOMPARE(rows.last().left, 4999);
    }
};

QTEST_GUILESS_MAIN(TestLineDiff)
#include "tst_linediff.moc"
