// dbops-console: the desktop console.  Thin: it parses the command line and
// shows the main window from ui/.
#include "MainWindow.h"
#include "ProfilesPanel.h"
#include "alembic/AlembicProject.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTextStream>
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
    const QCommandLineOption migrations(
        QStringLiteral("migrations"), QStringLiteral("Migration repository."), QStringLiteral("DIR"));
    const QCommandLineOption alembic(QStringLiteral("alembic"),
        QStringLiteral(
            "Alembic project: the directory with alembic.ini, the .ini file, or its script directory."),
        QStringLiteral("PATH"));
    const QCommandLineOption database({ QStringLiteral("d"), QStringLiteral("database") },
        QStringLiteral("Connect at start to this URL or libpq keyword string."), QStringLiteral("URL"));
    const QCommandLineOption profile({ QStringLiteral("p"), QStringLiteral("profile") },
        QStringLiteral("Connect at start to this saved profile."), QStringLiteral("NAME"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window after --screenshot-delay ms, then quit (docs, CI)."),
        QStringLiteral("FILE"));
    const QCommandLineOption screenshotDelay(QStringLiteral("screenshot-delay"),
        QStringLiteral("Delay in ms (default 2000)."), QStringLiteral("MS"), QStringLiteral("2000"));
    parser.addOptions({ migrations, alembic, database, profile, screenshot, screenshotDelay });
    parser.process(app);

    QString repository = parser.value(migrations);
    if (parser.isSet(alembic)) {
        if (parser.isSet(migrations)
            || !dbops::AlembicProject::looksLikeAlembicProject(parser.value(alembic))) {
            QTextStream(stderr) << "dbops-console: --alembic " << parser.value(alembic)
                                << (parser.isSet(migrations)
                                           ? ": give either --migrations or --alembic\n"
                                           : ": not an Alembic project (no alembic.ini, no .ini "
                                             "file, and no script directory with env.py and versions/)\n");
            return 2;
        }
        repository = parser.value(alembic); // MigrationRepository::load recognises the project
    }
    dbops::ui::MainWindow window(repository);
    window.show();
    if (parser.isSet(profile)) {
        window.profilesPanel()->selectProfile(parser.value(profile));
        window.connectToProfile(parser.value(profile));
    } else if (parser.isSet(database)) {
        window.connectToUrl(parser.value(database));
    } else {
        window.reopenLastProfile(); // production only offered, never connected on its own
    }
    if (parser.isSet(screenshot)) {
        QTimer::singleShot(
            parser.value(screenshotDelay).toInt(), &window, [&window, file = parser.value(screenshot)] {
                window.grab().save(file);
                QApplication::quit();
            });
    }
    return app.exec();
}
