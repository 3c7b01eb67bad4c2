// dbops-console: the desktop console.  Thin: it parses the command line and
// shows the main window from ui/.
#include "MainWindow.h"
#include "ProfilesPanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dbops-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("DbOps Console"));
    QApplication::setApplicationVersion(QStringLiteral(DBOPS_VERSION));
    QApplication::setOrganizationName(QStringLiteral("dbops"));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.dbops.console"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("DbOps Console: safe PostgreSQL schema migrations."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption migrations(QStringLiteral("migrations"), QStringLiteral("Migration repository."),
        QStringLiteral("DIR"));
    const QCommandLineOption database({ QStringLiteral("d"), QStringLiteral("database") },
        QStringLiteral("Connect at start to this URL or libpq keyword string."), QStringLiteral("URL"));
    const QCommandLineOption profile({ QStringLiteral("p"), QStringLiteral("profile") },
        QStringLiteral("Connect at start to this saved profile."), QStringLiteral("NAME"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window after --screenshot-delay ms, then quit (docs, CI)."), QStringLiteral("FILE"));
    const QCommandLineOption screenshotDelay(QStringLiteral("screenshot-delay"), QStringLiteral("Delay in ms (default 2000)."),
        QStringLiteral("MS"), QStringLiteral("2000"));
    parser.addOptions({ migrations, database, profile, screenshot, screenshotDelay });
    parser.process(app);

    dbops::ui::MainWindow window(parser.value(migrations));
    window.show();
    if (parser.isSet(profile)) {
        window.profilesPanel()->selectProfile(parser.value(profile));
        window.connectToProfile(parser.value(profile));
    } else if (parser.isSet(database)) {
        window.connectToUrl(parser.value(database));
    }
    if (parser.isSet(screenshot)) {
        QTimer::singleShot(parser.value(screenshotDelay).toInt(), &window, [&window, file = parser.value(screenshot)] {
            window.grab().save(file);
            QApplication::quit();
        });
    }
    return app.exec();
}
