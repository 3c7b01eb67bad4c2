#pragma once

#include "common/Error.h"
#include "connection/ConnectionTarget.h"
#include "migrations/MigrationRepository.h"

#include <QCommandLineParser>
#include <QTextStream>
#include <functional>
#include <optional>

namespace dbops::cli {

/// What every command shares: output streams, the global options and the
/// migration repository, loaded once on first use.
class CliContext
{
public:
    CliContext();

    QTextStream& out() { return m_out; }
    QTextStream& err() { return m_err; }

    QString migrationsDirectory;
    QString alembicProject; ///< --alembic: like --migrations, but it must be an Alembic project
    QString databaseUrl; ///< -d / --database
    QString profileName; ///< -p / --profile
    QString versionTableOverride; ///< --version-table of a write command

    /// The database to work on (--database, --profile, DATABASE_URL, PG*).
    Result<ConnectionTarget> target();

    /// The repository's revision graph, or nullptr after printing every
    /// problem found.  For an Alembic project the revisions carry no SQL.
    const MigrationRepository* repository();
    /// The repository with every revision's SQL (for an Alembic project, from
    /// Alembic's offline mode), or nullptr after printing the problems.
    const MigrationRepository* repositoryWithSql();
    /// repositoryWithSql(), with the SQL split on another thread while
    /// `meanwhile` runs on this one (e.g. opening the connection: both take a
    /// few milliseconds).  Problems in the SQL are reported after `meanwhile`
    /// returns, exactly as repositoryWithSql() reports them; when the graph
    /// itself cannot be loaded, `meanwhile` does not run.
    const MigrationRepository* repositoryWithSql(const std::function<void()>& meanwhile);

    /// The version table when neither a profile nor an option names one: an
    /// Alembic project's own (from its env.py), else alembic_version.
    QString defaultVersionTable();

    /// Prints an error the way compilers do and returns the exit code for it.
    int fail(const Error& error);
    int fail(const ErrorList& errors);

    /// Adds --migrations, --alembic and --help to a command's parser (global
    /// options may also follow the command) and parses.  Returns std::nullopt to go on, or
    /// the exit code after printing help or a usage error.
    std::optional<int> parse(
        QCommandLineParser& parser, const QStringList& arguments, const QString& command);

    void printJson(const QJsonObject& object);

private:
    QString repositoryPath();

    QTextStream m_out;
    QTextStream m_err;
    std::optional<MigrationRepository> m_repository;
};

} // namespace dbops::cli
