// dbops-console: the desktop console.  Thin: it parses the command line and
// shows the main window from ui/.
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dbops-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("DbOps Console"));
    QApplication::setApplicationVersion(QStringLiteral(DBOPS_VERSION));
    QApplication::setOrganizationName(QStringLiteral("dbops"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("DbOps Console: safe PostgreSQL schema migrations."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption migrations(QStringLiteral("migrations"), QStringLiteral("Migration repository."),
        QStringLiteral("DIR"));
    parser.addOption(migrations);
    parser.process(app);

    dbops::ui::MainWindow window(parser.value(migrations));
    window.show();
    return app.exec();
}
