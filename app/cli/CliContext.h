#pragma once

#include "common/Error.h"
#include "connection/ConnectionTarget.h"
#include "migrations/MigrationRepository.h"

#include <QCommandLineParser>
#include <QTextStream>

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
    QString databaseUrl; ///< -d / --database
    QString profileName; ///< -p / --profile

    /// The database to work on (--database, --profile, DATABASE_URL, PG*).
    Result<ConnectionTarget> target();

    /// The repository, or nullptr after printing every problem found.
    const MigrationRepository* repository();

    /// Prints an error the way compilers do and returns the exit code for it.
    int fail(const Error& error);
    int fail(const ErrorList& errors);

    /// Adds --migrations and --help to a command's parser (global options may
    /// also follow the command) and parses.  Returns std::nullopt to go on, or
    /// the exit code after printing help or a usage error.
    std::optional<int> parse(QCommandLineParser& parser, const QStringList& arguments, const QString& command);

    void printJson(const QJsonObject& object);

private:
    QTextStream m_out;
    QTextStream m_err;
    std::optional<MigrationRepository> m_repository;
};

} // namespace dbops::cli
