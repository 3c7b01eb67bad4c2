#pragma once

#include "common/Result.h"

#include <QString>
#include <QStringList>

namespace dbops {

/// How Alembic is run for its offline (`--sql`) mode.
struct AlembicRunOptions
{
    QString program; ///< empty: $DBOPS_ALEMBIC, else /usr/bin/alembic, else `alembic` on PATH
    int timeoutMs = 120000;
};

/// Runs Debian's `alembic` program on one project in a subprocess: `-c INI`,
/// the ini's directory as working directory, and an environment without the
/// variables that would point Debian's Python at another installation
/// (PYTHONPATH, PYTHONHOME, VIRTUAL_ENV).
class AlembicCommand
{
public:
    AlembicCommand(const QString& iniPath, const AlembicRunOptions& options = {});

    /// The program to run: `configured` if set, else $DBOPS_ALEMBIC, else
    /// /usr/bin/alembic, else `alembic` on PATH; empty when none exists.
    static QString findProgram(const QString& configured = {});

    /// Why a run failed, beyond its Error.
    struct Failure
    {
        QString partialOutput; ///< what Alembic printed on stdout before failing (without its FAILED line)
        /// Alembic's own words: its `FAILED: ...` message (a CommandError,
        /// printed on standard output), else the traceback's last line.
        QString alembicMessage;
        bool timedOut = false; ///< killed after the timeout
    };

    /// Runs `alembic -c INI arguments...` and returns its standard output.
    /// A non-zero exit is an error whose message is Alembic's own (its
    /// `FAILED: ...` line, else the last traceback line) and whose detail is
    /// its whole standard error (or the FAILED line when standard error is
    /// empty); a run that exceeds the timeout is killed.  `failure` then
    /// tells what happened.
    Result<QString> run(const QStringList& arguments, Failure* failure = nullptr) const;

    /// The last line of a Python traceback (the exception), or the last
    /// non-empty line of `standardError`.
    static QString lastErrorLine(const QString& standardError);

    /// The message of Alembic's `FAILED: message` (how its command line
    /// reports a CommandError, on standard output, wrapped and indented when
    /// that is a terminal), or empty.  `before`, when given, gets the output
    /// that precedes it.
    static QString commandErrorMessage(const QString& standardOutput, QString* before = nullptr);

private:
    QString m_iniPath;
    AlembicRunOptions m_options;
};

} // namespace dbops
