// The Fleet tab in the real window, against a real server: a group of three
// profiles (at head, at the production revision, unreachable) is read in the
// background; the table, its summary, the state filter, the sort order
// (worst first) and the timeline's markers show it; a double-click opens
// that profile.  Without groups the tab says how to make one.
#include "MainWindow.h"
#include "RevisionTimelineModel.h"
#include "RevisionTimelineView.h"
#include "TestDatabase.h"
#include "TestUserFiles.h"
#include "fleet/FleetPanel.h"
#include "fleet/FleetRolloutController.h"
#include "fleet/FleetRolloutDialog.h"
#include "fleet/FleetStatusModel.h"
#include "session/ConsoleSession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>

using namespace dbops;
using namespace dbops::ui;

namespace {

const QString kHead = QStringLiteral("792ffb1ab1ad");
const QString kProduction = QStringLiteral("19c513d3bf90");

ConnectionProfile profileFor(const QString& name, const QString& url, const QStringList& groups)
{
    ConnectionProfile p;
    p.name = name;
    p.applySettings(*ConnectionSettings::parse(url));
    p.groups = groups;
    p.connectTimeout = 2;
    return p;
}

} // namespace

class TestFleetPanel : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_home;
    QString m_adminUrl;

private Q_SLOTS:
    void initTestCase()
    {
        m_adminUrl = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (m_adminUrl.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (tests/with-postgres.sh)");
        testing::isolateUserFiles(m_home);
    }

    void withoutGroupsTheTabSaysHowToMakeOne()
    {
        FleetPanel panel(ProfileStore(m_home.filePath(QStringLiteral("empty.conf"))));
        panel.show();
        QCOMPARE(panel.currentGroup(), QString());
        auto* placeholder = panel.findChild<QLabel*>(QStringLiteral("fleetPlaceholder"));
        QVERIFY(placeholder && placeholder->isVisible());
        QVERIFY2(placeholder->text().contains(QStringLiteral("--group")), qPrintable(placeholder->text()));
        QVERIFY(!panel.findChild<QWidget*>(QStringLiteral("fleetRefresh"))->isEnabled());
    }

    void aGroupIsReadAndShownOnTheTimeline()
    {
        ProfileStore store(m_home.filePath(QStringLiteral("fleet.conf")));
        const QString atHead = testing::databaseAt(m_adminUrl, QStringLiteral("fleet_ui_head"), kHead);
        const QString atProduction
            = testing::databaseAt(m_adminUrl, QStringLiteral("fleet_ui_prod"), kProduction);
        QVERIFY(!store.save(profileFor(QStringLiteral("eu-head"), atHead, { QStringLiteral("eu") })));
        QVERIFY(!store.save(profileFor(QStringLiteral("eu-behind"), atProduction, { QStringLiteral("eu") })));
        QVERIFY(!store.save(profileFor(QStringLiteral("eu-gone"),
            QStringLiteral("postgresql://nobody@127.0.0.1:1/nowhere"), { QStringLiteral("eu") })));
        QVERIFY(!store.save(profileFor(QStringLiteral("us-1"), atHead, { QStringLiteral("us") })));

        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR), store);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->repository() != nullptr, 30000);
        FleetPanel* panel = window.fleetPanel();
        QVERIFY(panel);
        auto* groups = panel->findChild<QComboBox*>(QStringLiteral("fleetGroups"));
        QCOMPARE(groups->count(), 2);
        QCOMPARE(groups->itemText(0), QStringLiteral("eu"));
        QCOMPARE(groups->itemText(1), QStringLiteral("us"));

        panel->selectGroup(QStringLiteral("eu"));
        QSignalSpy read(panel, &FleetPanel::readFinished);
        panel->refresh();
        QVERIFY(panel->isReading());
        QVERIFY(read.wait(30000));
        QCOMPARE(panel->model()->rowCount(), 3);
        QVERIFY2(panel->summaryText().contains(QStringLiteral("1 up to date, 1 behind, 1 unreachable")),
            qPrintable(panel->summaryText()));

        // Worst first: the unreachable one on top.
        QCOMPARE(panel->proxy()
                     ->index(0, FleetStatusModel::NameColumn)
                     .data(FleetStatusModel::ProfileRole)
                     .toString(),
            QStringLiteral("eu-gone"));
        QCOMPARE(panel->proxy()
                     ->index(2, FleetStatusModel::NameColumn)
                     .data(FleetStatusModel::ProfileRole)
                     .toString(),
            QStringLiteral("eu-head"));
        const QModelIndex behind = panel->proxy()->index(1, FleetStatusModel::PendingColumn);
        QCOMPARE(behind.data().toString(), QStringLiteral("23"));

        // The timeline counts the databases at each revision.
        RevisionTimelineModel* timeline = window.timelineView()->timelineModel();
        QCOMPARE(timeline->fleetDatabasesAt(timeline->rowOfRevision(kHead)),
            QStringList { QStringLiteral("eu-head") });
        QCOMPARE(timeline->fleetDatabasesAt(timeline->rowOfRevision(kProduction)),
            QStringList { QStringLiteral("eu-behind") });
        QVERIFY(timeline->index(timeline->rowOfRevision(kHead), 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("Fleet: 1 database here: eu-head")));

        // The state filter.
        panel->stateFilter()->setCurrentIndex(1); // Needs attention
        QCOMPARE(panel->proxy()->rowCount(), 1);
        panel->stateFilter()->setCurrentIndex(2); // Behind
        QCOMPARE(panel->proxy()->rowCount(), 1);
        QCOMPARE(panel->proxy()->index(0, 0).data(FleetStatusModel::ProfileRole).toString(),
            QStringLiteral("eu-behind"));
        panel->stateFilter()->setCurrentIndex(0);
        QCOMPARE(panel->proxy()->rowCount(), 3);

        // A double-click opens the profile in the window.
        window.tabs()->setCurrentWidget(panel);
        QTRY_VERIFY(panel->table()->isVisible());
        QSignalSpy open(panel, &FleetPanel::openProfileRequested);
        const QModelIndex row = panel->proxy()->index(1, FleetStatusModel::NameColumn);
        panel->table()->scrollTo(row);
        QVERIFY(panel->table()->visualRect(row).isValid());
        // Press, release, then the double-click: an item view takes a double
        // click only on the index the press was on.
        const QPoint point = panel->table()->visualRect(row).center();
        QTest::mouseClick(panel->table()->viewport(), Qt::LeftButton, Qt::NoModifier, point);
        QTest::mouseDClick(panel->table()->viewport(), Qt::LeftButton, Qt::NoModifier, point);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.constFirst().constFirst().toString(), QStringLiteral("eu-behind"));
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->isConnected(), 30000);
        QCOMPARE(window.session()->target()->profile->name, QStringLiteral("eu-behind"));
    }

    // The console's rollout: the same refusal as the CLI until the group's
    // name is typed for its production database, then the canary and a
    // batch, the results per database, the fleet read again afterwards.
    void theFleetIsUpgradedFromTheDialog()
    {
        ProfileStore store(m_home.filePath(QStringLiteral("rollout.conf")));
        const QString first = testing::databaseAt(m_adminUrl, QStringLiteral("fleet_ui_r1"), kProduction);
        const QString second = testing::databaseAt(m_adminUrl, QStringLiteral("fleet_ui_r2"), kProduction);
        QVERIFY(!store.save(profileFor(QStringLiteral("r-1"), first, { QStringLiteral("rollout") })));
        ConnectionProfile production
            = profileFor(QStringLiteral("r-2"), second, { QStringLiteral("rollout") });
        production.production = true;
        production.sslmode = QStringLiteral("disable");
        QVERIFY(!store.save(production));

        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR), store);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->repository() != nullptr, 30000);
        FleetPanel* panel = window.fleetPanel();
        panel->selectGroup(QStringLiteral("rollout"));
        QVERIFY(panel->upgradeButton()->isEnabled());
        FleetRolloutDialog* dialog = panel->openRolloutDialog();
        QVERIFY(dialog);
        dialog->controller()->setJournal(
            RunJournal(m_home.filePath(QStringLiteral("rollout-journal.jsonl"))));

        // Refused, by the core's rule, until the name is typed back.
        QVERIFY(!dialog->startButton()->isEnabled());
        QVERIFY2(dialog->refusalText().contains(QStringLiteral("typing the fleet's name, 'rollout'")),
            qPrintable(dialog->refusalText()));
        dialog->confirmField()->setText(QStringLiteral("rollout-eu"));
        QVERIFY(!dialog->startButton()->isEnabled());
        QVERIFY(dialog->refusalText().contains(QStringLiteral("'rollout-eu' does not match")));
        dialog->confirmField()->setText(QStringLiteral("rollout"));
        QVERIFY2(dialog->refusalText().isEmpty(), qPrintable(dialog->refusalText()));
        // Production: the checklist once for the rollout, every item.
        QCOMPARE(dialog->checklist().size(), 5);
        QVERIFY(!dialog->startButton()->isEnabled());
        for (QCheckBox* box : dialog->checklist()) {
            QVERIFY(!dialog->startButton()->isEnabled());
            box->setChecked(true);
        }
        QVERIFY(dialog->startButton()->isEnabled());

        QSignalSpy finished(dialog, &FleetRolloutDialog::rolloutFinished);
        QSignalSpy reread(panel, &FleetPanel::readFinished);
        dialog->startButton()->click();
        QVERIFY(dialog->isRunning());
        QVERIFY(finished.wait(60000));
        QVERIFY(dialog->hasReport());
        QCOMPARE(dialog->report().summaryText(), QStringLiteral("2 upgraded"));
        QCOMPARE(dialog->report().entries.at(0).batch, 0); // the canary
        QCOMPARE(dialog->report().entries.at(0).after, QStringList { kHead });
        QVERIFY2(
            dialog->logText().contains(QStringLiteral("Done: 2 upgraded.")), qPrintable(dialog->logText()));

        // The fleet is read again: both at head now.
        QVERIFY(reread.wait(30000));
        QVERIFY2(
            panel->summaryText().contains(QStringLiteral("2 up to date")), qPrintable(panel->summaryText()));

        // The report the CLI's --html writes, saved 0600.
        const QString report = m_home.filePath(QStringLiteral("rollout.html"));
        QVERIFY(!dialog->saveReport(report));
        QFile file(report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(file.readAll()).contains(QStringLiteral("Fleet upgrade of rollout")));
        struct stat info
        {
        };
        QCOMPARE(::stat(QFile::encodeName(report).constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        dialog->close();
    }
};

QTEST_MAIN(TestFleetPanel)
#include "tst_fleetpanel.moc"
