#include "CliContext.h"

#include "ExitCode.h"
#include "connection/ProfileStore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace dbops::cli {

CliContext::CliContext()
    : m_out(stdout)
    , m_err(stderr)
{
}

const MigrationRepository* CliContext::repository()
{
    if (m_repository)
        return &*m_repository;
    QString directory = migrationsDirectory;
    if (directory.isEmpty() && !profileName.isEmpty()) {
        // A profile may name its own repository.
        if (Result<ConnectionProfile> profile = ProfileStore().profile(profileName))
            directory = profile->migrationsDirectory;
    }
    if (directory.isEmpty())
        directory = MigrationRepository::defaultDirectory();
    ErrorList errors;
    Result<MigrationRepository> loaded = MigrationRepository::load(directory, &errors);
    if (!loaded) {
        fail(errors.isEmpty() ? ErrorList { loaded.error() } : errors);
        return nullptr;
    }
    m_repository = std::move(loaded).value();
    return &*m_repository;
}

int CliContext::fail(const Error& error)
{
    return fail(ErrorList { error });
}

int CliContext::fail(const ErrorList& errors)
{
    int code = ExitBadInput;
    for (const Error& error : errors) {
        m_err << "dbops: error: " << error.toString() << Qt::endl;
        if (error.kind == Error::Kind::Database)
            code = ExitDatabaseError;
    }
    return code;
}

std::optional<int> CliContext::parse(QCommandLineParser& parser, const QStringList& arguments, const QString& command)
{
    const QCommandLineOption migrations(QStringLiteral("migrations"),
        QStringLiteral("Migration repository (default: $DBOPS_MIGRATIONS, else the bundled one)."), QStringLiteral("DIR"));
    const QCommandLineOption database({ QStringLiteral("d"), QStringLiteral("database") },
        QStringLiteral("Database URL or libpq keywords (default: $DATABASE_URL, else PG* variables)."), QStringLiteral("URL"));
    const QCommandLineOption profile({ QStringLiteral("p"), QStringLiteral("profile") },
        QStringLiteral("Saved connection profile."), QStringLiteral("NAME"));
    parser.addOptions({ migrations, database, profile });
    parser.addHelpOption();
    if (!parser.parse(arguments)) {
        m_err << "dbops " << command << ": " << parser.errorText() << "\n"
              << "Try 'dbops " << command << " --help'." << Qt::endl;
        return ExitBadInput;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QString help = parser.helpText();
        const int firstLineEnd = static_cast<int>(help.indexOf(QLatin1Char('\n')));
        QString usage = help.left(firstLineEnd);
        usage.replace(arguments.constFirst(), QStringLiteral("dbops ") + command);
        m_out << usage << help.mid(firstLineEnd);
        m_out.flush();
        return ExitOk;
    }
    if (parser.isSet(migrations))
        migrationsDirectory = parser.value(migrations);
    if (parser.isSet(database))
        databaseUrl = parser.value(database);
    if (parser.isSet(profile))
        profileName = parser.value(profile);
    return std::nullopt;
}

Result<ConnectionTarget> CliContext::target()
{
    return ConnectionTarget::resolve(databaseUrl, profileName, ProfileStore());
}

void CliContext::printJson(const QJsonObject& object)
{
    m_out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
    m_out.flush();
}

} // namespace dbops::cli
