#include "CliContext.h"

#include "ExitCode.h"
#include "alembic/AlembicEnvReader.h"
#include "connection/ProfileStore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <thread>

namespace dbops::cli {

CliContext::CliContext()
    : m_out(stdout)
    , m_err(stderr)
{ }

QString CliContext::repositoryPath()
{
    if (!alembicProject.isEmpty())
        return alembicProject;
    QString directory = migrationsDirectory;
    if (directory.isEmpty() && !profileName.isEmpty()) {
        // A profile may name its own repository (a dbops one or an Alembic project).
        if (Result<ConnectionProfile> profile = ProfileStore().profile(profileName))
            directory = profile->migrationsDirectory;
    }
    if (directory.isEmpty())
        directory = MigrationRepository::defaultDirectory();
    return directory;
}

const MigrationRepository* CliContext::repository()
{
    if (m_repository)
        return &*m_repository;
    if (!alembicProject.isEmpty() && !migrationsDirectory.isEmpty()) {
        fail(Error::usage(QStringLiteral("--alembic and --migrations name two repositories: give one")));
        return nullptr;
    }
    if (!alembicProject.isEmpty() && !AlembicProject::looksLikeAlembicProject(alembicProject)) {
        fail(Error::usage(
            QStringLiteral("--alembic %1: not an Alembic project (no alembic.ini, no .ini file, and no "
                           "script directory with env.py and versions/)")
                .arg(alembicProject)));
        return nullptr;
    }
    ErrorList errors;
    // The graph only: commands that need SQL go through repositoryWithSql().
    Result<MigrationRepository> loaded = MigrationRepository::loadGraph(repositoryPath(), &errors);
    if (!loaded) {
        fail(errors.isEmpty() ? ErrorList { loaded.error() } : errors);
        return nullptr;
    }
    m_repository = std::move(loaded).value();
    return &*m_repository;
}

const MigrationRepository* CliContext::repositoryWithSql()
{
    return repositoryWithSql([] {});
}

const MigrationRepository* CliContext::repositoryWithSql(const std::function<void()>& meanwhile)
{
    if (!repository())
        return nullptr; // reported; `meanwhile` is not needed any more
    ErrorList errors;
    // ensureSql touches only the repository (no Qt object with a thread
    // affinity), and nothing else reads it until the join.
    std::optional<Result<bool>> splitResult;
    std::thread splitter(
        [this, &errors, &splitResult] { splitResult.emplace(m_repository->ensureSql(&errors)); });
    meanwhile();
    splitter.join();
    Result<bool>& filled = *splitResult;
    if (!filled) {
        fail(errors.isEmpty() ? ErrorList { filled.error() } : errors);
        return nullptr;
    }
    return &*m_repository;
}

QString CliContext::defaultVersionTable()
{
    // Only a repository already loaded counts: asking must not load one.
    if (m_repository && m_repository->isAlembic())
        return m_repository->alembicProject()->versionTable;
    return AlembicEnvReader::defaultVersionTable();
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

std::optional<int> CliContext::parse(
    QCommandLineParser& parser, const QStringList& arguments, const QString& command)
{
    const QCommandLineOption migrations(QStringLiteral("migrations"),
        QStringLiteral("Migration repository (default: $DBOPS_MIGRATIONS, else the bundled one)."),
        QStringLiteral("DIR"));
    const QCommandLineOption database({ QStringLiteral("d"), QStringLiteral("database") },
        QStringLiteral("Database URL or libpq keywords (default: $DATABASE_URL, else PG* variables)."),
        QStringLiteral("URL"));
    const QCommandLineOption profile({ QStringLiteral("p"), QStringLiteral("profile") },
        QStringLiteral("Saved connection profile."), QStringLiteral("NAME"));
    const QCommandLineOption alembic(QStringLiteral("alembic"),
        QStringLiteral(
            "Alembic project: the directory with alembic.ini, the .ini file, or its script directory."),
        QStringLiteral("PATH"));
    parser.addOptions({ migrations, alembic, database, profile });
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
    if (parser.isSet(alembic))
        alembicProject = parser.value(alembic);
    if (parser.isSet(database)) {
        if (parser.value(database).trimmed().isEmpty())
            return fail(
                Error::usage(QStringLiteral("--database: the database URL is empty (an unset variable?)")));
        databaseUrl = parser.value(database);
    }
    if (parser.isSet(profile)) {
        if (auto refused
            = ConnectionTarget::checkProfileName(QStringLiteral("--profile"), parser.value(profile)))
            return fail(*refused);
        profileName = parser.value(profile);
    }
    return std::nullopt;
}

Result<ConnectionTarget> CliContext::target()
{
    Result<ConnectionTarget> target = ConnectionTarget::resolve(databaseUrl, profileName, ProfileStore());
    if (!target)
        return target;
    if (!versionTableOverride.isEmpty())
        target.value().versionTable = versionTableOverride;
    else
        target.value().adoptVersionTable(defaultVersionTable());
    return target;
}

void CliContext::printJson(const QJsonObject& object)
{
    m_out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
    m_out.flush();
}

} // namespace dbops::cli
