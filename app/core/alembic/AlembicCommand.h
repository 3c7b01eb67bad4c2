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

    /// Runs `alembic -c INI arguments...` and returns its standard output.
    /// A non-zero exit is an error whose message is Alembic's last traceback
    /// line and whose detail is its whole standard error; `partialOutput`
    /// then receives what it printed before failing.
    Result<QString> run(const QStringList& arguments, QString* partialOutput = nullptr) const;

    /// The last line of a Python traceback (the exception), or the last
    /// non-empty line of `standardError`.
    static QString lastErrorLine(const QString& standardError);

private:
    QString m_iniPath;
    AlembicRunOptions m_options;
};

} // namespace dbops
