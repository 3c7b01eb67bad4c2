// ConnectionTester: "Test connection" in a thread of its own, whose owner
// never waits for it.  A QTcpServer that accepts and stays silent stands for
// a server that never answers; the real server (tests/with-postgres.sh)
// checks the answer of one that does.
#include "worker/ConnectionTester.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace dbops;

namespace {

// Settings for 127.0.0.1:port that wait for the server up to 10 s.
ConnectionSettings settingsFor(quint16 port)
{
    return *ConnectionSettings::parse(
        QStringLiteral("postgresql://dbops@127.0.0.1:%1/dbops?connect_timeout=10&sslmode=disable").arg(port));
}

// A port where nothing listens: connecting to it is refused at once.
quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    return server.serverPort();
}

} // namespace

class TestConnectionTester : public QObject
{
    Q_OBJECT
private:
    // Ends the silent server's connections, so the abandoned attempts fail
    // at once, and waits for their threads before the next test.
    void releaseSilentServer(QTcpServer& server)
    {
        server.close();
        qDeleteAll(server.findChildren<QTcpSocket*>());
        QTRY_COMPARE_WITH_TIMEOUT(ConnectionTester::runningAttempts(), 0, 15000);
    }

private Q_SLOTS:
    void reportsARefusedConnection()
    {
        ConnectionTester tester;
        QSignalSpy tested(&tester, &ConnectionTester::connectionTested);
        const int job = tester.test(settingsFor(closedPort()));
        QVERIFY(job > 0);
        QVERIFY(tester.isBusy());
        QVERIFY(tested.isEmpty()); // answered later, through the event loop
        QVERIFY(tested.wait(10000));
        QCOMPARE(tested.count(), 1);
        QCOMPARE(tested.at(0).at(0).toBool(), false);
        const Error error = tested.at(0).at(2).value<Error>();
        QVERIFY2(error.message.contains(QStringLiteral("cannot connect")), qPrintable(error.message));
        QVERIFY(!tester.isBusy());
        QTRY_COMPARE(ConnectionTester::runningAttempts(), 0);
    }

    void destroyingTheTesterDoesNotWaitForTheServer()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        auto* tester = new ConnectionTester;
        QSignalSpy destroyed(tester, &QObject::destroyed);
        tester->test(settingsFor(silent.serverPort()));
        QTRY_VERIFY(silent.hasPendingConnections()); // the attempt waits for the server now
        QCOMPARE(ConnectionTester::runningAttempts(), 1);

        QElapsedTimer timer;
        timer.start();
        delete tester;
        // A behaviour check, not a benchmark: against a 10 s connect timeout.
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(destroyed.count(), 1);
        QCOMPARE(ConnectionTester::runningAttempts(), 1); // still connecting, on its own

        releaseSilentServer(silent); // its answer goes nowhere
    }

    void aReplacedAttemptIsDropped()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        ConnectionTester tester;
        QSignalSpy tested(&tester, &ConnectionTester::connectionTested);
        const int first = tester.test(settingsFor(silent.serverPort()));
        QTRY_VERIFY(silent.hasPendingConnections());
        const int second = tester.test(settingsFor(closedPort()));
        QVERIFY(second != first);
        QCOMPARE(tester.currentJob(), second);
        QVERIFY(tested.wait(10000));
        QCOMPARE(tested.count(), 1);

        // The first attempt now fails too, and nobody hears of it.
        releaseSilentServer(silent);
        QTest::qWait(50);
        QCOMPARE(tested.count(), 1);
    }

    void anAbandonedAttemptIsDropped()
    {
        ConnectionTester tester;
        QSignalSpy tested(&tester, &ConnectionTester::connectionTested);
        tester.test(settingsFor(closedPort()));
        tester.abandon();
        QVERIFY(!tester.isBusy());
        QTRY_COMPARE(ConnectionTester::runningAttempts(), 0);
        QTest::qWait(50);
        QVERIFY(tested.isEmpty());
    }

    void describesAServerThatAnswers()
    {
        const QString url = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (url.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (run through tests/with-postgres.sh)");
        ConnectionTester tester;
        QSignalSpy tested(&tester, &ConnectionTester::connectionTested);
        tester.test(*ConnectionSettings::parse(url));
        QVERIFY(tested.wait(15000));
        QVERIFY2(tested.at(0).at(0).toBool(), qPrintable(tested.at(0).at(2).value<Error>().toString()));
        const QString description = tested.at(0).at(1).toString();
        QVERIFY2(description.startsWith(QStringLiteral("PostgreSQL ")), qPrintable(description));
        QVERIFY(description.contains(QStringLiteral("user postgres")));
        QTRY_COMPARE(ConnectionTester::runningAttempts(), 0);
    }
};

QTEST_GUILESS_MAIN(TestConnectionTester)
#include "tst_connectiontester.moc"
