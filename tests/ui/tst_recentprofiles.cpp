// The console remembers the profiles it connected to: the last one opens
// again at start (a production one is only offered), Database > Recent lists
// them most recent first and forgets deleted ones, and the dock marks the
// profile it is connected to.  Without a server the profiles point at a port
// nobody listens on (what matters is what the console tries); the connected
// mark is checked against a real server when tests/with-postgres.sh runs it.
#include "FinishedNotifier.h"
#include "MainWindow.h"
#include "ProfilesPanel.h"
#include "TestUserFiles.h"
#include "session/ConsoleSession.h"

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>
#include <memory>

using namespace dbops;
using namespace dbops::ui;

namespace {

ConnectionProfile unreachableProfile(const QString& name, bool production)
{
    ConnectionProfile p;
    p.name = name;
    p.host = QStringLiteral("127.0.0.1");
    p.port = 1; // nobody listens: the connect fails at once
    p.database = QStringLiteral("nowhere");
    p.user = QStringLiteral("nobody");
    p.connectTimeout = 2;
    p.production = production;
    return p;
}

QStringList menuEntries(const QMenu* menu)
{
    QStringList names;
    const QList<QAction*> actions = menu->actions();
    for (const QAction* a : actions)
        names.append(a->text());
    return names;
}

QListWidgetItem* itemFor(const ProfilesPanel& panel, const QString& name)
{
    for (int i = 0; i < panel.list()->count(); ++i) {
        if (panel.list()->item(i)->data(Qt::UserRole).toString() == name)
            return panel.list()->item(i);
    }
    return nullptr;
}

QString profileOf(const MainWindow& window)
{
    const std::optional<ConnectionTarget>& target = window.session()->target();
    return target && target->profile ? target->profile->name : QString();
}

} // namespace

class TestRecentProfiles : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_home;

    QString storePath(const QString& name) const { return m_home.filePath(name + QStringLiteral(".conf")); }

    ProfileStore storeWith(const QString& name, const QList<ConnectionProfile>& profiles)
    {
        ProfileStore store(storePath(name));
        for (const ConnectionProfile& p : profiles) {
            if (store.save(p))
                return ProfileStore(storePath(QStringLiteral("broken")));
        }
        return store;
    }

    std::unique_ptr<MainWindow> window(const QString& storeName)
    {
        return std::make_unique<MainWindow>(
            QStringLiteral(DBOPS_TEST_DATA_DIR "/migrations"), ProfileStore(storePath(storeName)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        testing::isolateUserFiles(m_home);
        QCoreApplication::setOrganizationName(QStringLiteral("dbops"));
        QCoreApplication::setApplicationName(QStringLiteral("dbops-console"));
    }

    void init() { QSettings().remove(QStringLiteral("profiles/recent")); }

    void lastProfileOpensAgainInTheNextWindow()
    {
        storeWith(QStringLiteral("last"),
            { unreachableProfile(QStringLiteral("dev"), false),
                unreachableProfile(QStringLiteral("qa"), false) });
        {
            auto first = window(QStringLiteral("last"));
            first->reopenLastProfile(); // nothing remembered yet: nothing to open
            QVERIFY(!first->session()->target());
            first->connectToProfile(QStringLiteral("qa"));
            QCOMPARE(profileOf(*first), QStringLiteral("qa"));
        }
        // Only the name is kept.
        QCOMPARE(QSettings().value(QStringLiteral("profiles/recent")).toStringList(),
            QStringList { QStringLiteral("qa") });

        auto second = window(QStringLiteral("last"));
        QVERIFY(!second->session()->target()); // the start decides, not the constructor
        second->reopenLastProfile();
        QCOMPARE(profileOf(*second), QStringLiteral("qa"));
        QCOMPARE(second->profilesPanel()->selectedProfile(), QStringLiteral("qa"));
        QVERIFY(!second->reopenOffer()->isVisibleTo(second.get()));
    }

    void productionIsOfferedNotConnected()
    {
        storeWith(QStringLiteral("prod"),
            { unreachableProfile(QStringLiteral("dev"), false),
                unreachableProfile(QStringLiteral("live"), true) });
        {
            auto first = window(QStringLiteral("prod"));
            first->connectToProfile(QStringLiteral("dev"));
            first->connectToProfile(QStringLiteral("live"));
        }
        auto second = window(QStringLiteral("prod"));
        second->reopenLastProfile();
        QVERIFY(!second->session()->target());
        QVERIFY(!second->session()->isConnecting());
        QVERIFY(second->reopenOffer()->isVisibleTo(second.get()));
        const QLabel* offer = second->reopenOffer()->findChild<QLabel*>();
        QVERIFY(offer);
        QVERIFY2(offer->text().contains(QStringLiteral("live")), qPrintable(offer->text()));
        // Still not connected a moment later: the offer waits for the user.
        QTest::qWait(200);
        QVERIFY(!second->session()->target());

        second->reopenButton()->click();
        QCOMPARE(profileOf(*second), QStringLiteral("live"));
        QVERIFY(!second->reopenOffer()->isVisibleTo(second.get()));
    }

    void recentMenuListsMostRecentFirstAndForgetsDeletedProfiles()
    {
        QList<ConnectionProfile> profiles;
        for (const char* name : { "a", "b", "c", "d", "e", "f" })
            profiles.append(unreachableProfile(QString::fromLatin1(name), false));
        storeWith(QStringLiteral("recent"), profiles);
        auto w = window(QStringLiteral("recent"));
        QVERIFY(w->recentMenu());
        QVERIFY(w->recentMenu()->actions().isEmpty());
        QVERIFY(!w->recentMenu()->isEnabled());
        for (const char* name : { "a", "b", "c", "d", "e", "f", "c" })
            w->connectToProfile(QString::fromLatin1(name));
        QCOMPARE(menuEntries(w->recentMenu()),
            (QStringList { QStringLiteral("c"), QStringLiteral("f"), QStringLiteral("e"), QStringLiteral("d"),
                QStringLiteral("b") }));

        // Deleting "e" in the dock: gone from the menu, the next one moves up.
        ProfilesPanel* panel = w->profilesPanel();
        panel->selectProfile(QStringLiteral("e"));
        QToolButton* remove = nullptr;
        for (QToolButton* b : panel->findChildren<QToolButton*>()) {
            if (b->accessibleName() == QStringLiteral("Delete"))
                remove = b;
        }
        QVERIFY(remove);
        remove->click();
        auto* question = panel->findChild<QMessageBox*>();
        QVERIFY(question);
        question->button(QMessageBox::Yes)->click();
        QVERIFY(!panel->store().contains(QStringLiteral("e")));
        QCOMPARE(menuEntries(w->recentMenu()),
            (QStringList { QStringLiteral("c"), QStringLiteral("f"), QStringLiteral("d"), QStringLiteral("b"),
                QStringLiteral("a") }));

        // A menu entry connects to its profile.
        w->recentMenu()->actions().at(2)->trigger();
        QCOMPARE(profileOf(*w), QStringLiteral("d"));
        QCOMPARE(menuEntries(w->recentMenu()).constFirst(), QStringLiteral("d"));
    }

    void dockMarksTheConnectedProfile()
    {
        ProfileStore store = storeWith(QStringLiteral("mark"),
            { unreachableProfile(QStringLiteral("dev"), false),
                unreachableProfile(QStringLiteral("qa"), false) });
        ProfilesPanel panel(store);
        QVERIFY(!itemFor(panel, QStringLiteral("dev"))->font().bold());
        panel.setConnectedProfile(QStringLiteral("dev"));
        QVERIFY(itemFor(panel, QStringLiteral("dev"))->font().bold());
        QVERIFY(itemFor(panel, QStringLiteral("dev"))->text().contains(QStringLiteral("connected")));
        QVERIFY(!itemFor(panel, QStringLiteral("qa"))->font().bold());
        QCOMPARE(itemFor(panel, QStringLiteral("qa"))->text(), QStringLiteral("qa"));
        // The mark does not change what the list selects or connects to.
        panel.selectProfile(QStringLiteral("dev"));
        QCOMPARE(panel.selectedProfile(), QStringLiteral("dev"));
        panel.setConnectedProfile(QString());
        QVERIFY(!itemFor(panel, QStringLiteral("dev"))->font().bold());
        QCOMPARE(itemFor(panel, QStringLiteral("dev"))->text(), QStringLiteral("dev"));
    }

    void connectingMarksTheProfileInTheDock()
    {
        const QString adminUrl = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (adminUrl.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (tests/with-postgres.sh)");
        Result<ConnectionSettings> settings = ConnectionSettings::parse(adminUrl);
        QVERIFY(settings);
        ConnectionProfile real;
        real.name = QStringLiteral("local");
        real.applySettings(*settings);
        storeWith(QStringLiteral("real"), { real, unreachableProfile(QStringLiteral("dev"), false) });
        auto w = window(QStringLiteral("real"));
        w->show();
        w->connectToProfile(QStringLiteral("local"));
        QTRY_VERIFY_WITH_TIMEOUT(w->session()->isConnected(), 30000);
        QCOMPARE(w->profilesPanel()->connectedProfile(), QStringLiteral("local"));
        QVERIFY(itemFor(*w->profilesPanel(), QStringLiteral("local"))->font().bold());
        QVERIFY(!itemFor(*w->profilesPanel(), QStringLiteral("dev"))->font().bold());
        w->disconnectAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!w->session()->isConnected(), 10000);
        QVERIFY(w->profilesPanel()->connectedProfile().isEmpty());
        QVERIFY(!itemFor(*w->profilesPanel(), QStringLiteral("local"))->font().bold());
    }

    void finishedWorkAsksForAttentionOnlyInTheBackground()
    {
        QWidget background; // never shown: not the active window
        FinishedNotifier notifier(&background);
        // Offscreen there is no system tray: the window asks for attention instead.
        const FinishedNotifier::Delivery expected = QSystemTrayIcon::isSystemTrayAvailable()
            ? FinishedNotifier::Delivery::TrayMessage
            : FinishedNotifier::Delivery::WindowAlert;
        QCOMPARE(notifier.notify(QStringLiteral("Upgrade finished"), QStringLiteral("at head")), expected);
    }
};

QTEST_MAIN(TestRecentProfiles)
#include "tst_recentprofiles.moc"
