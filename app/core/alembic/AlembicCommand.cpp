#include "alembic/AlembicCommand.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <algorithm>

namespace dbops {

namespace {

const char* const installHint
    = "install Debian's 'alembic' package (apt install alembic), or name the program "
      "with $DBOPS_ALEMBIC";

QString commandLine(const QStringList& arguments)
{
    return QStringLiteral("alembic ") + arguments.join(QLatin1Char(' '));
}

} // namespace

AlembicCommand::AlembicCommand(const QString& iniPath, const AlembicRunOptions& options)
    : m_iniPath(iniPath)
    , m_options(options)
{ }

QString AlembicCommand::findProgram(const QString& configured)
{
    auto executable = [](const QString& path) {
        const QFileInfo info(path);
        return info.isFile() && info.isExecutable();
    };
    if (!configured.isEmpty())
        return executable(configured) ? configured : QString();
    const QString fromEnvironment = qEnvironmentVariable("DBOPS_ALEMBIC");
    if (!fromEnvironment.isEmpty())
        return executable(fromEnvironment) ? fromEnvironment : QString();
    // Debian's Alembic first: a Python earlier on PATH (pyenv, a virtualenv)
    // may have an `alembic` without the SQLAlchemy it needs.
    const QString debian = QStringLiteral("/usr/bin/alembic");
    if (executable(debian))
        return debian;
    return QStandardPaths::findExecutable(QStringLiteral("alembic"));
}

QString AlembicCommand::lastErrorLine(const QString& standardError)
{
    const QStringList lines = standardError.split(QLatin1Char('\n'));
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const QString line = it->trimmed();
        if (!line.isEmpty())
            return line;
    }
    return {};
}

QString AlembicCommand::commandErrorMessage(const QString& standardOutput, QString* before)
{
    // The last `FAILED:` at the start of a line (after msg()'s indent); the
    // continuation lines of a wrapped message follow it.
    static const QRegularExpression failed(
        QStringLiteral("^[ \\t]*FAILED: "), QRegularExpression::MultilineOption);
    qsizetype start = -1;
    qsizetype end = -1;
    QRegularExpressionMatchIterator it = failed.globalMatch(standardOutput);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        start = match.capturedStart();
        end = match.capturedEnd();
    }
    if (start < 0)
        return {};
    if (before)
        *before = standardOutput.left(start);
    return standardOutput.mid(end).simplified();
}

Result<QString> AlembicCommand::run(const QStringList& arguments, Failure* failure) const
{
    const QString program = findProgram(m_options.program);
    if (program.isEmpty()) {
        const QString named
            = m_options.program.isEmpty() ? qEnvironmentVariable("DBOPS_ALEMBIC") : m_options.program;
        return Error::input(named.isEmpty()
                ? QStringLiteral("the alembic program was not found: %1").arg(QLatin1String(installHint))
                : QStringLiteral("the alembic program '%1' was not found or is not executable: %2")
                      .arg(named, QLatin1String(installHint)),
            m_iniPath);
    }

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char* name : { "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV" })
        environment.remove(QString::fromLatin1(name));
    environment.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    environment.insert(QStringLiteral("PYTHONIOENCODING"), QStringLiteral("utf-8"));

    QProcess process;
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(QFileInfo(m_iniPath).absolutePath());
    process.setProgram(program);
    process.setArguments(QStringList { QStringLiteral("-c"), m_iniPath } + arguments);
    process.start();
    if (!process.waitForStarted(m_options.timeoutMs)) {
        return Error::input(QStringLiteral("cannot start %1: %2 (%3)")
                                .arg(program, process.errorString(), QLatin1String(installHint)),
            m_iniPath);
    }
    // Read while waiting: a long --sql output must not fill the pipe and stall Alembic.
    QByteArray standardOutput;
    QByteArray standardError;
    QElapsedTimer clock;
    clock.start();
    bool finished = false;
    while (!finished) {
        const qint64 left = m_options.timeoutMs - clock.elapsed();
        if (left <= 0)
            break;
        finished = process.waitForFinished(static_cast<int>(std::min<qint64>(left, 200)));
        standardOutput += process.readAllStandardOutput();
        standardError += process.readAllStandardError();
    }
    if (!finished) {
        process.kill();
        process.waitForFinished(5000);
        if (failure) {
            failure->partialOutput = QString::fromUtf8(standardOutput + process.readAllStandardOutput());
            failure->alembicMessage.clear();
            failure->timedOut = true;
        }
        Error error = Error::input(QStringLiteral("%1 did not finish within %2 s and was stopped")
                                       .arg(commandLine(arguments))
                                       .arg(m_options.timeoutMs / 1000.0),
            m_iniPath);
        error.detail = QString::fromUtf8(standardError + process.readAllStandardError()).trimmed();
        return error;
    }
    const QString outputText = QString::fromUtf8(standardOutput);
    const QString errorText = QString::fromUtf8(standardError);
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        // A CommandError ("Multiple head revisions ...") is printed as
        // `FAILED: ...` on standard output, and on standard error only when
        // the ini configures logging; an exception leaves a traceback there.
        QString printedBefore = outputText;
        const QString commandError = commandErrorMessage(outputText, &printedBefore);
        const QString message = commandError.isEmpty() ? lastErrorLine(errorText) : commandError;
        if (failure) {
            failure->partialOutput = printedBefore;
            failure->alembicMessage = message;
            failure->timedOut = false;
        }
        Error error = Error::input(
            QStringLiteral("%1 failed: %2")
                .arg(commandLine(arguments),
                    message.isEmpty() ? QStringLiteral("exit code %1").arg(process.exitCode()) : message),
            m_iniPath);
        error.detail = errorText.trimmed();
        if (error.detail.isEmpty() && !commandError.isEmpty())
            error.detail = QStringLiteral("FAILED: ") + commandError;
        return error;
    }
    return outputText;
}

} // namespace dbops
