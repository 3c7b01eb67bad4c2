// What `dbops verify` finds, shown by the console against a real server
// (offscreen, through tests/with-postgres.sh): a database the runner upgraded
// (so its checksums are recorded), one applied revision's checksum then
// overwritten with zeros.  The status bar and the audit panel must name it;
// a clean database shows neither.
#include "AuditPanel.h"
#include "MainWindow.h"
#include "MainWindowTestSupport.h"
#include "TestDatabase.h"
#include "TestUserFiles.h"
#include "connection/DatabaseConnection.h"
#include "session/ConsoleSession.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

const QString kRevision = QStringLiteral("19c513d3bf90");

void execOrFail(const QString& url, const QString& sql)
{
    Result<std::unique_ptr<DatabaseConnection>> db
        = DatabaseConnection::open(*ConnectionSettings::parse(url));
    if (!db)
        qFatal("%s", qPrintable(db.error().toString()));
    Result<QSqlQuery> done = db.value()->exec(sql);
    if (!done)
        qFatal("%s", qPrintable(done.error().toString()));
}

} // namespace

class TestVerifyNotice : public QObject
{
    Q_OBJECT
private:
    QString m_adminUrl;
    QTemporaryDir m_home;

    /// Connects once the repository is loaded: the connect's status has the
    /// verify findings already (it verifies against that repository), with
    /// no refresh needed.
    void connectAndWaitForStatus(MainWindow& window, const QString& url)
    {
        QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRepositoryLoading(), 60000);
        QVERIFY(testing::connectToUrlAndWait(window, url));
        QVERIFY(window.session()->status()->verify.has_value());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_adminUrl = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        testing::isolateUserFiles(m_home);
        if (m_adminUrl.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (run through tests/with-postgres.sh)");
    }

    void cleanDatabaseShowsNoWarning()
    {
        const QString url = testing::databaseAt(m_adminUrl, QStringLiteral("verify_clean_ui"), kRevision);
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("clean.conf"))));
        connectAndWaitForStatus(window, url);
        QVERIFY(window.session()->status()->verify->clean());
        QVERIFY(window.session()->status()->verify->verified > 0);
        QVERIFY2(
            !window.statusText().contains(QStringLiteral("dbops verify")), qPrintable(window.statusText()));
        QVERIFY(window.auditPanel()->verifyNotice().isEmpty());
    }

    void changedChecksumIsShownInStatusBarAndAuditPanel()
    {
        const QString url = testing::databaseAt(m_adminUrl, QStringLiteral("verify_changed_ui"), kRevision);
        execOrFail(url,
            QStringLiteral(
                "UPDATE public.dbops_applied_revisions SET sha256 = repeat('0', 64) WHERE revision = '%1'")
                .arg(kRevision));
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR),
            ProfileStore(m_home.filePath(QStringLiteral("changed.conf"))));
        connectAndWaitForStatus(window, url);
        const QString expected
            = QStringLiteral("1 applied revision changed since applied (%1): dbops verify").arg(kRevision);
        QVERIFY2(window.statusText().contains(expected), qPrintable(window.statusText()));
        QCOMPARE(window.auditPanel()->verifyNotice(), expected);
    }
};

QTEST_MAIN(TestVerifyNotice)
#include "tst_verifynotice.moc"
