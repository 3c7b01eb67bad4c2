#include "runner/PgToolProcess.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <csignal>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dbops {

namespace {

// How often the cancel flag is looked at while the program runs, and how
// long it may take to stop after SIGTERM (pg_dump cancels its query on the
// server first) before it is killed.
constexpr int kPollMs = 100;
constexpr int kTerminateGraceMs = 5000;

// Runs in the child between fork and exec: async-signal-safe calls only.
void prepareChild(pid_t parent)
{
    // Whatever the program creates stays private.
    ::umask(077);
    // Should dbops die (even by SIGKILL), the program must not go on writing
    // a copy of the database nobody waits for.  The death signal follows the
    // forking thread, which blocks in PgToolProcess::run meanwhile.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) // dbops died before prctl took effect
        ::_exit(1);
    // A process group of its own: a Ctrl-C at the terminal reaches dbops
    // alone, which stops the program through its cancel path, instead of
    // racing the program's own exit ("terminated by user", reported as a failure).
    ::setpgid(0, 0);
}

// QProcess with prepareChild: Qt 6 takes a modifier function, Qt 5.15 a
// virtual setupChildProcess().
class ChildProcess : public QProcess
{
public:
    ChildProcess()
        : m_parent(::getpid())
    {
#if QT_VERSION >= QT_VERSION_CHECK(6, 0, 0)
        setChildProcessModifier([parent = m_parent] { prepareChild(parent); });
#endif
    }

#if QT_VERSION < QT_VERSION_CHECK(6, 0, 0)
protected:
    void setupChildProcess() override
    {
        prepareChild(m_parent);
    }
#endif

private:
    pid_t m_parent;
};

} // namespace

QString PgToolProcess::programFor(const QString& name, int serverVersionNumber)
{
    const int serverMajor = serverVersionNumber / 10000;
    int best = 0;
    const QStringList installed
        = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : installed) {
        const int major = entry.toInt();
        if (major >= serverMajor && (best == 0 || major < best)
            && QFileInfo::exists(QStringLiteral("/usr/lib/postgresql/%1/bin/%2").arg(major).arg(name)))
            best = major;
    }
    if (best > 0)
        return QStringLiteral("/usr/lib/postgresql/%1/bin/%2").arg(best).arg(name);
    return QStandardPaths::findExecutable(name);
}

QString PgToolProcess::conninfo(const ConnectionSettings& settings)
{
    QStringList parts;
    for (auto it = settings.keywords().cbegin(); it != settings.keywords().cend(); ++it) {
        QString value = it.value();
        value.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('\''), QStringLiteral("\\'"));
        parts.append(QStringLiteral("%1='%2'").arg(it.key(), value));
    }
    return parts.join(QLatin1Char(' '));
}

Result<PgToolProcess::Outcome> PgToolProcess::run(const QString& program, const QStringList& arguments,
    const ConnectionSettings& settings, const std::atomic<bool>* cancel)
{
    ChildProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (settings.hasPassword())
        environment.insert(QStringLiteral("PGPASSWORD"), settings.password());
    process.setProcessEnvironment(environment);
    // Never a password prompt: there may be no terminal (the console), and
    // the program is not in the terminal's foreground process group.  dbops
    // has connected already, so the password, if one is needed, is in the
    // environment or libpq's password file.
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, arguments);
    if (!process.waitForStarted(10000))
        return Error::io(QStringLiteral("cannot start %1: %2").arg(program, process.errorString()));
    Outcome outcome;
    while (process.state() != QProcess::NotRunning && !process.waitForFinished(kPollMs)) {
        if (!cancel || !cancel->load())
            continue;
        process.terminate();
        if (!process.waitForFinished(kTerminateGraceMs)) {
            process.kill();
            process.waitForFinished(-1);
        }
        outcome.cancelled = true;
        return outcome;
    }
    outcome.cancelled = cancel && cancel->load();
    outcome.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    outcome.standardError = settings.redact(QString::fromLocal8Bit(process.readAllStandardError()).trimmed());
    return outcome;
}

} // namespace dbops
