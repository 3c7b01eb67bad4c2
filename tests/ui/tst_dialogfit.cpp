// Every dialog fits a 1366x768 laptop screen and stays usable at 600 px high
// (issue 13): the guarded dialog as the console opens it for an upgrade of
// the 23 bundled revisions, a production rollback that drops data, a stamp
// with MISSING objects and a fix, against a real server
// (tests/with-postgres.sh), offscreen; then the run progress and profile
// dialogs.  The guarded dialog measured 907 px (upgrade) and 1014 px (stamp)
// before, with its buttons below a 768 px screen.
//
// DBOPS_DIALOGFIT_SHOTS=/some/folder saves each guarded dialog at its
// initial size as a PNG there (run under xvfb-run with QT_QPA_PLATFORM=xcb
// and a 1366x768 screen to see what a laptop shows).
#include "GuardedActionDialog.h"
#include "MainWindow.h"
#include "ProfileDialog.h"
#include "ProfilesPanel.h"
#include "RunProgressDialog.h"
#include "TestDatabase.h"
#include "TestUserFiles.h"
#include "connection/DatabaseConnection.h"
#include "session/ConsoleSession.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QScreen>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <functional>

using namespace dbops;
using namespace dbops::ui;

namespace {

const QString kProductionRevision = QStringLiteral("19c513d3bf90");
const QString kHead = QStringLiteral("792ffb1ab1ad");

// A 1366x768 screen less ~60 px of panels and title bar.
const QSize kLaptop(1366, 768 - 60);
const int kMaximumMinimumHeight = 700;
const int kShortHeight = 600;

QString rectText(const QRect& r)
{
    return QStringLiteral("%1x%2+%3+%4").arg(r.width()).arg(r.height()).arg(r.x()).arg(r.y());
}

QRect geometryIn(const QWidget* widget, const QWidget* ancestor)
{
    return QRect(widget->mapTo(ancestor, QPoint(0, 0)), widget->size());
}

// The visible children of `parent` (direct children only) whose rectangles
// cross, as "a / b" descriptions.
QStringList overlappingChildren(const QWidget* parent, const QWidget* dialog)
{
    QList<const QWidget*> shown;
    const QList<QWidget*> children = parent->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly);
    for (const QWidget* child : children) {
        if (child->isVisibleTo(dialog) && !child->isWindow() && !child->size().isEmpty())
            shown.append(child);
    }
    QStringList overlaps;
    for (int i = 0; i < shown.size(); ++i) {
        for (int j = i + 1; j < shown.size(); ++j) {
            const QRect a = geometryIn(shown.at(i), dialog);
            const QRect b = geometryIn(shown.at(j), dialog);
            if (a.intersects(b)) {
                const auto name = [](const QWidget* w) {
                    const auto* label = qobject_cast<const QLabel*>(w);
                    return QStringLiteral("%1 \"%2\"")
                        .arg(QString::fromLatin1(w->metaObject()->className()),
                            label ? label->text().left(30) : w->accessibleName());
                };
                overlaps.append(QStringLiteral("%1 %2 / %3 %4")
                                    .arg(name(shown.at(i)), rectText(a), name(shown.at(j)), rectText(b)));
            }
        }
    }
    return overlaps;
}

QGroupBox* summaryBox(const QWidget* dialog)
{
    const QList<QGroupBox*> boxes = dialog->findChildren<QGroupBox*>();
    for (QGroupBox* box : boxes) {
        if (box->title() == QStringLiteral("What will happen"))
            return box;
    }
    return nullptr;
}

// Why `dialog` does not fit and stay usable; empty: it does.  `name` says
// which dialog in the messages.
QStringList fitProblems(QDialog* dialog, const QString& name)
{
    QStringList problems;
    const QSize minimum = dialog->minimumSizeHint();
    const QSize hint = dialog->sizeHint();
    if (minimum.height() > kMaximumMinimumHeight)
        problems.append(QStringLiteral("%1: minimumSizeHint %2 px high").arg(name).arg(minimum.height()));
    if (hint.height() > kLaptop.height() || hint.width() > kLaptop.width())
        problems.append(QStringLiteral("%1: sizeHint %2x%3 over 1366x708")
                            .arg(name)
                            .arg(hint.width())
                            .arg(hint.height()));
    if (dialog->height() > kLaptop.height() || dialog->width() > kLaptop.width())
        problems.append(
            QStringLiteral("%1: opens %2x%3").arg(name).arg(dialog->width()).arg(dialog->height()));

    // Down to 600 px: the buttons stay on screen, nothing is squeezed over
    // anything else.
    dialog->resize(dialog->width(), kShortHeight);
    QCoreApplication::processEvents();
    if (dialog->height() > kShortHeight)
        problems.append(QStringLiteral("%1: cannot shrink to %2 px (stays %3)")
                            .arg(name)
                            .arg(kShortHeight)
                            .arg(dialog->height()));
    auto* buttons = dialog->findChild<QDialogButtonBox*>();
    if (!buttons || !buttons->isVisibleTo(dialog)) {
        problems.append(QStringLiteral("%1: no visible button box").arg(name));
    } else {
        const QRect inside = dialog->rect();
        if (!inside.contains(geometryIn(buttons, dialog)))
            problems.append(QStringLiteral("%1: buttons at %2 outside the dialog %3")
                                .arg(name, rectText(geometryIn(buttons, dialog)), rectText(inside)));
        const QList<QAbstractButton*> each = buttons->buttons();
        for (const QAbstractButton* button : each) {
            if (button->isVisibleTo(dialog) && !inside.contains(geometryIn(button, dialog)))
                problems.append(QStringLiteral("%1: button %2 cut off").arg(name, button->text()));
            if (button->isVisibleTo(dialog) && button->height() < button->minimumSizeHint().height())
                problems.append(QStringLiteral("%1: button %2 squeezed").arg(name, button->text()));
        }
    }
    problems += overlappingChildren(dialog, dialog);
    if (const QGroupBox* summary = summaryBox(dialog)) {
        problems += overlappingChildren(summary, dialog);
        if (summary->height() < summary->minimumSizeHint().height())
            problems.append(QStringLiteral("%1: \"What will happen\" squeezed to %2 px of %3")
                                .arg(name)
                                .arg(summary->height())
                                .arg(summary->minimumSizeHint().height()));
    }
    return problems;
}

} // namespace

class TestDialogFit : public QObject
{
    Q_OBJECT
private:
    QString m_adminUrl;
    QTemporaryDir m_home;

    bool execIn(const QString& name, const QStringList& statements)
    {
        ConnectionSettings settings = *ConnectionSettings::parse(m_adminUrl);
        settings.setValue(QStringLiteral("dbname"), name);
        Result<std::unique_ptr<DatabaseConnection>> db = DatabaseConnection::open(settings);
        if (!db)
            return false;
        for (const QString& sql : statements) {
            if (!db.value()->exec(sql)) {
                qWarning("%s", qPrintable(sql));
                return false;
            }
        }
        return true;
    }

    // The dialog the console opens for `request` on database `name` at
    // `revision`, through a production profile (the banner, the typed name
    // and the data-loss answer make it as tall as it gets).
    void checkGuardedDialog(const QString& name, const QString& revision,
        const std::function<void(MainWindow&)>& request,
        const std::function<void(const WriteReview&)>& expect, const std::function<void()>& prepare = {})
    {
        const QString url = testing::databaseAt(m_adminUrl, name, revision);
        if (prepare)
            prepare();
        if (QTest::currentTestFailed())
            return;
        ProfileStore store(m_home.filePath(name + QStringLiteral(".conf")));
        ConnectionProfile profile;
        profile.name = name;
        profile.applySettings(*ConnectionSettings::parse(url));
        profile.production = true;
        profile.sslmode = QStringLiteral("disable");
        QVERIFY(!store.save(profile));
        MainWindow window(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR), store);
        window.resize(1366, 708);
        window.show();
        window.profilesPanel()->selectProfile(profile.name);
        QSignalSpy checks(window.session(), &ConsoleSession::checksChanged);
        window.connectToProfile(profile.name);
        QVERIFY(checks.wait(60000));
        QVERIFY(window.session()->isConnected());
        QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isBusy(), 30000);

        QSignalSpy reviewed(window.session(), &ConsoleSession::reviewReady);
        request(window);
        QVERIFY(reviewed.wait(60000));
        GuardedActionDialog* dialog = window.guardedDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->review().isProduction());
        expect(dialog->review());
        if (QTest::currentTestFailed())
            return;
        QCoreApplication::processEvents();

        const QString shots = qEnvironmentVariable("DBOPS_DIALOGFIT_SHOTS");
        if (!shots.isEmpty()) {
            QDir().mkpath(shots);
            QTest::qWait(200);
            QVERIFY(dialog->grab().save(QDir(shots).filePath(name + QStringLiteral(".png"))));
        }
        const QStringList problems = fitProblems(dialog, dialog->review().actionName);
        if (!shots.isEmpty())
            QVERIFY(dialog->grab().save(QDir(shots).filePath(name + QStringLiteral("-600.png"))));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        // Still usable at 600 px: the answers are reachable and the action
        // button still follows them.
        QVERIFY(dialog->confirmationEdit());
        QVERIFY(!dialog->actionButton()->isEnabled());
        dialog->reject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_adminUrl = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (m_adminUrl.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (run through tests/with-postgres.sh)");
        testing::isolateUserFiles(m_home);
        const QScreen* screen = QGuiApplication::primaryScreen();
        qInfo("screen %dx%d", screen->geometry().width(), screen->geometry().height());
    }

    void upgradeOfTheBundledRevisionsFits()
    {
        checkGuardedDialog(
            QStringLiteral("fit_upgrade"), kProductionRevision, [](MainWindow& w) { w.requestUpgrade(); },
            [](const WriteReview& review) {
                QCOMPARE(review.request.action, WriteAction::Upgrade);
                QCOMPARE(static_cast<int>(review.plan.steps.size()), 23);
                QVERIFY(!review.created.isEmpty());
            });
    }

    void rollbackThatDropsDataFits()
    {
        const QString name = QStringLiteral("fit_rollback");
        checkGuardedDialog(
            name, kHead, [](MainWindow& w) { w.requestRollback(kProductionRevision); },
            [](const WriteReview& review) {
                QCOMPARE(review.request.action, WriteAction::Downgrade);
                QVERIFY(review.needsDataLossAcceptance());
                QVERIFY(review.dropped.size() >= 7);
            },
            [&] {
                QVERIFY(execIn(name,
                    { QStringLiteral("INSERT INTO users (id, email, hashed_password) VALUES "
                                     "('0a11ce00-0000-4000-8000-000000000001', 'alice@example.com', 'x')"),
                        QStringLiteral("INSERT INTO portfolios (id, user_id, name) VALUES "
                                       "('9f000000-0000-4000-8000-000000000001', "
                                       "'0a11ce00-0000-4000-8000-000000000001', 'Core Growth')"),
                        QStringLiteral(
                            "INSERT INTO equity_changes (portfolio_id, change_type, amount, change_date) "
                            "SELECT '9f000000-0000-4000-8000-000000000001', 'CONTRIBUTION', 100 * n, "
                            "date '2025-10-01' + n FROM generate_series(1, 4) AS n") }));
            });
    }

    void stampWithMissingObjectsFits()
    {
        checkGuardedDialog(
            QStringLiteral("fit_stamp"), kProductionRevision, [](MainWindow& w) { w.requestStamp(kHead); },
            [](const WriteReview& review) {
                QCOMPARE(review.request.action, WriteAction::Stamp);
                QVERIFY(review.needsOverride());
                QVERIFY(review.missingObjects.size() > 12);
            });
    }

    void fixFits()
    {
        checkGuardedDialog(
            QStringLiteral("fit_fix"), kProductionRevision,
            [](MainWindow& w) { w.requestFix(QStringLiteral("short-interest-inactive")); },
            [](const WriteReview& review) { QCOMPARE(review.request.action, WriteAction::Fix); });
    }

    // The run progress dialog, with a statement as long as a function body.
    void runProgressFits()
    {
        RunProgressDialog dialog(QStringLiteral("Upgrade"), 23);
        dialog.show();
        RunEvent statement;
        statement.kind = RunEvent::Kind::Statement;
        QStringList lines;
        for (int i = 0; i < 80; ++i)
            lines.append(
                QStringLiteral("    UPDATE portfolio_snapshots SET hhi = hhi + %1 WHERE id = %1;").arg(i));
        statement.text = QStringLiteral("CREATE FUNCTION f() RETURNS void AS $$\nBEGIN\n")
            + lines.join(QLatin1Char('\n')) + QStringLiteral("\nEND $$ LANGUAGE plpgsql");
        dialog.addEvent(statement, QString());
        QCoreApplication::processEvents();
        const QStringList problems = fitProblems(&dialog, QStringLiteral("run progress"));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        dialog.finish(RunResult {});
    }

    void profileDialogFits()
    {
        ConnectionProfile profile;
        profile.name = QStringLiteral("Prod");
        profile.production = true;
        ProfileDialog dialog(profile);
        dialog.show();
        QCoreApplication::processEvents();
        const QStringList problems = fitProblems(&dialog, QStringLiteral("profile"));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }
};

// Offscreen, the screen is 1366x768 (Qt 6's offscreen platform takes its
// screens from a file; Qt 5's is 800x600, which the checks above fit too).
int main(int argc, char* argv[])
{
    QTemporaryDir screens;
    if (qgetenv("QT_QPA_PLATFORM") == "offscreen") {
        const QString config = screens.filePath(QStringLiteral("screens.json"));
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly)
            || file.write(R"({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768,
                 "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})")
                < 0)
            qFatal("cannot write %s", qPrintable(config));
        file.close();
        qputenv("QT_QPA_PLATFORM", QByteArray("offscreen:configfile=") + QFile::encodeName(config));
    }
    QApplication app(argc, argv);
    TestDialogFit test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_dialogfit.moc"
