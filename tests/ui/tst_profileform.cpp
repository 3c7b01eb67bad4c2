// The profile form stays where it is while "Test connection" answers (a form
// that jumped sent the next click to "Production"), and libpq's two-line
// reasons read as sentences.  No server: a port where nothing listens.
#include "ProfileDialog.h"

#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

// A port where nothing listens: connecting to it is refused at once.
quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    return server.serverPort();
}

QCheckBox* checkBox(const QWidget& parent, const QString& textStart)
{
    const QList<QCheckBox*> boxes = parent.findChildren<QCheckBox*>();
    for (QCheckBox* box : boxes) {
        if (box->text().startsWith(textStart))
            return box;
    }
    return nullptr;
}

} // namespace

class TestProfileForm : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("DBOPS_KEYCHAIN", "off");
    }

    void testAnswerNeitherMovesTheFormNorRunsWordsTogether_data()
    {
        QTest::addColumn<int>("extraHeight");
        QTest::newRow("at its size") << 0;
        QTest::newRow("made taller") << 200;
    }
    void testAnswerNeitherMovesTheFormNorRunsWordsTogether()
    {
        QFETCH(int, extraHeight);
        ConnectionProfile profile;
        profile.name = QStringLiteral("local");
        profile.host = QStringLiteral("127.0.0.1");
        profile.port = closedPort();
        profile.database = QStringLiteral("dbops");
        profile.user = QStringLiteral("dbops");
        profile.sslmode = QStringLiteral("disable");
        ProfileDialog dialog(profile);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.resize(dialog.width(), dialog.height() + extraHeight);
        QCoreApplication::processEvents();

        QCheckBox* production = checkBox(dialog, QStringLiteral("Production"));
        QVERIFY(production);
        const QPoint before = production->mapTo(&dialog, QPoint(0, 0));
        const QPoint testButton = dialog.testButton()->mapTo(&dialog, QPoint(0, 0));

        dialog.testButton()->click();
        QCOMPARE(production->mapTo(&dialog, QPoint(0, 0)), before); // "Connecting…"
        QTRY_VERIFY_WITH_TIMEOUT(dialog.testButton()->isEnabled(), 15000);
        const QString answer = dialog.testResult()->text();
        QVERIFY2(answer.startsWith(QStringLiteral("Failed: ")), qPrintable(answer));
        QCoreApplication::processEvents();
        QCOMPARE(production->mapTo(&dialog, QPoint(0, 0)), before);
        QCOMPARE(dialog.testButton()->mapTo(&dialog, QPoint(0, 0)).y() >= testButton.y(), true);

        // libpq: "... failed: Connection refused" / "Is the server running ...?"
        QVERIFY2(
            answer.contains(QStringLiteral("Connection refused. Is the server running")), qPrintable(answer));
        QVERIFY2(!answer.contains(QStringLiteral("refused Is")), qPrintable(answer));

        // Production's warning appears below the form, which stays where it is.
        production->setChecked(true);
        QCoreApplication::processEvents();
        QCOMPARE(production->mapTo(&dialog, QPoint(0, 0)), before);
    }
};

QTEST_MAIN(TestProfileForm)
#include "tst_profileform.moc"
