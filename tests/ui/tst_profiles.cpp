// The profile panel and dialog never wait on the GUI thread: passwords go to
// the keychain asynchronously (DBOPS_KEYCHAIN=off: no keychain, as on CI), and
// closing the dialog during "Test connection" does not wait for the server (a
// QTcpServer that accepts and stays silent stands for one that never answers).
#include "ProfileDialog.h"
#include "ProfilesPanel.h"
#include "connection/PasswordStore.h"
#include "worker/ConnectionTester.h"

#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using namespace dbops;
using namespace dbops::ui;

namespace {

QToolButton* panelButton(const ProfilesPanel& panel, const QString& name)
{
    const QList<QToolButton*> buttons = panel.findChildren<QToolButton*>();
    for (QToolButton* b : buttons) {
        if (b->accessibleName() == name)
            return b;
    }
    return nullptr;
}

} // namespace

class TestProfiles : public QObject
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

    void asyncWriteAndRemoveAnswerThroughTheEventLoop()
    {
        QObject context;
        std::optional<Error> written;
        bool writeAnswered = false;
        PasswordStore::writeAsync(QStringLiteral("profile:async"), QStringLiteral("pw"), &context,
            [&](const std::optional<Error>& error) {
                writeAnswered = true;
                written = error;
            });
        QVERIFY(!writeAnswered); // never from inside the call
        QTRY_VERIFY(writeAnswered);
        QVERIFY(written.has_value());
        QVERIFY2(written->message.contains(QStringLiteral("switched off")), qPrintable(written->message));

        std::optional<Error> removed;
        bool removeAnswered = false;
        PasswordStore::removeAsync(
            QStringLiteral("profile:async"), &context, [&](const std::optional<Error>& error) {
                removeAnswered = true;
                removed = error;
            });
        QVERIFY(!removeAnswered);
        QTRY_VERIFY(removeAnswered);
        QVERIFY(removed.has_value());
        QVERIFY(removed->message.contains(QStringLiteral(".pgpass")));
    }

    void asyncAnswersGoNowhereOnceTheContextIsGone()
    {
        int answers = 0;
        {
            QObject context;
            PasswordStore::writeAsync(QStringLiteral("profile:gone"), QStringLiteral("pw"), &context,
                [&](const std::optional<Error>&) { ++answers; });
            PasswordStore::removeAsync(
                QStringLiteral("profile:gone"), &context, [&](const std::optional<Error>&) { ++answers; });
        }
        QTest::qWait(50);
        QCOMPARE(answers, 0);
    }

    void closingTheDialogDuringATestDoesNotWait()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        auto* dialog = new ProfileDialog(ConnectionProfile());
        dialog->show();
        QCOMPARE(dialog->applyUrl(
                     QStringLiteral("postgresql://dbops@127.0.0.1:%1/app?connect_timeout=10&sslmode=disable")
                         .arg(silent.serverPort())),
            QString());
        dialog->testButton()->click();
        QCOMPARE(dialog->testResult()->text(), QStringLiteral("Connecting…"));
        QVERIFY(!dialog->testButton()->isEnabled());
        QTRY_VERIFY(silent.hasPendingConnections()); // the test now waits for the server

        QElapsedTimer timer;
        timer.start();
        dialog->reject();
        delete dialog;
        // A behaviour check, not a benchmark: against a 10 s connect timeout.
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));

        // The abandoned attempt fails once the server hangs up; its answer goes nowhere.
        silent.close();
        qDeleteAll(silent.findChildren<QTcpSocket*>());
        QTRY_COMPARE_WITH_TIMEOUT(ConnectionTester::runningAttempts(), 0, 15000);
    }

    void savingAProfileStoresThePasswordLater()
    {
        ProfilesPanel panel(ProfileStore(m_home.filePath(QStringLiteral("save.conf"))));
        panel.show();
        QSignalSpy changed(&panel, &ProfilesPanel::profilesChanged);
        QSignalSpy answered(&panel, &ProfilesPanel::keychainAnswered);
        QToolButton* add = panelButton(panel, QStringLiteral("New"));
        QVERIFY(add);
        add->click();
        auto* dialog = panel.findChild<ProfileDialog*>();
        QVERIFY(dialog); // open(), not exec(): the click has returned
        QVERIFY(dialog->isVisible());
        QCOMPARE(
            dialog->applyUrl(QStringLiteral("postgresql://app:secret@db.example.com/portfolio")), QString());
        QCOMPARE(dialog->password(), QStringLiteral("secret"));
        auto* buttons = dialog->findChild<QDialogButtonBox*>();
        QVERIFY(buttons);
        buttons->button(QDialogButtonBox::Save)->click();

        // The profile file is written at once; the keychain answers later.
        QCOMPARE(changed.count(), 1);
        QVERIFY(panel.store().contains(QStringLiteral("portfolio")));
        QCOMPARE(panel.selectedProfile(), QStringLiteral("portfolio"));
        QVERIFY2(panel.statusLabel()->text().contains(QStringLiteral("storing its password")),
            qPrintable(panel.statusLabel()->text()));
        QVERIFY(answered.isEmpty());

        QVERIFY(answered.wait(5000));
        QCOMPARE(answered.count(), 1);
        QCOMPARE(answered.at(0).at(0).toString(), QStringLiteral("portfolio"));
        QCOMPARE(answered.at(0).at(1).toBool(), false);
        const QString status = panel.statusLabel()->text();
        QVERIFY2(status.contains(QStringLiteral("without its password")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("DBOPS_KEYCHAIN=off")), qPrintable(status));
        QVERIFY(status.contains(QStringLiteral(".pgpass")));
        QTRY_VERIFY(panel.findChild<ProfileDialog*>() == nullptr); // deleted on close
        QVERIFY(panel.findChild<QMessageBox*>() == nullptr); // reported in the panel, not in a modal box

        QFile file(panel.store().filePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("secret"));
    }

    void deletingAProfileRemovesThePasswordLater()
    {
        ProfileStore store(m_home.filePath(QStringLiteral("delete.conf")));
        ConnectionProfile p;
        p.name = QStringLiteral("Staging");
        p.host = QStringLiteral("staging.example.com");
        p.database = QStringLiteral("portfolio");
        QVERIFY(!store.save(p));
        ProfilesPanel panel(store);
        panel.show();
        panel.selectProfile(QStringLiteral("Staging"));
        QSignalSpy answered(&panel, &ProfilesPanel::keychainAnswered);
        QToolButton* remove = panelButton(panel, QStringLiteral("Delete"));
        QVERIFY(remove);
        remove->click();
        auto* question = panel.findChild<QMessageBox*>();
        QVERIFY(question);
        question->button(QMessageBox::Yes)->click();

        QVERIFY(!panel.store().contains(QStringLiteral("Staging")));
        QCOMPARE(panel.list()->count(), 0);
        QVERIFY(panel.statusLabel()->text().contains(QStringLiteral("removing its password")));
        QVERIFY(answered.isEmpty());
        QVERIFY(answered.wait(5000));
        QCOMPARE(answered.at(0).at(0).toString(), QStringLiteral("Staging"));
        QVERIFY2(panel.statusLabel()->text().contains(QStringLiteral("not removed")),
            qPrintable(panel.statusLabel()->text()));
    }
};

QTEST_MAIN(TestProfiles)
#include "tst_profiles.moc"
