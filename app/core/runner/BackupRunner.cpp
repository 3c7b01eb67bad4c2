#include "runner/BackupRunner.h"

#include "common/PrivateFiles.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <csignal>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dbops {

namespace {

// How often the cancel flag is looked at while pg_dump runs, and how long
// pg_dump may take to stop after SIGTERM (it cancels its query on the
// server first) before it is killed.
constexpr int kPollMs = 100;
constexpr int kTerminateGraceMs = 5000;

// Runs in the child between fork and exec: async-signal-safe calls only.
void prepareChild(pid_t parent)
{
    // Whatever pg_dump creates besides the pre-made dump file stays private.
    ::umask(077);
    // Should dbops die (even by SIGKILL), pg_dump must not go on writing a
    // copy of the database nobody waits for.  The death signal follows the
    // forking thread, which blocks in BackupRunner::run while pg_dump runs.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) // dbops died before prctl took effect
        ::_exit(1);
    // A process group of its own: a Ctrl-C at the terminal reaches dbops
    // alone, which cancels the backup through its cancel path, instead of
    // racing pg_dump's own exit ("terminated by user", reported as a failure).
    ::setpgid(0, 0);
}

// QProcess with prepareChild: Qt 6 takes a modifier function, Qt 5.15 a
// virtual setupChildProcess().
class DumpProcess : public QProcess
{
public:
    DumpProcess()
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

bool isCancelled(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load();
}

Error cancelledError()
{
    return Error::io(QStringLiteral("backup cancelled: pg_dump was stopped and its partial dump removed; "
                                    "nothing was changed"));
}

// A name not taken yet: two backups in the same second get "-2", "-3" ...
QString freePath(const QString& directory, const QString& stem)
{
    const QDir folder(directory);
    for (int n = 1;; ++n) {
        const QString path = folder.absoluteFilePath(
            n == 1 ? stem + QStringLiteral(".dump") : QStringLiteral("%1-%2.dump").arg(stem).arg(n));
        const QFileInfo info(path);
        if (!info.exists() && !info.isSymLink())
            return path;
    }
}

} // namespace

QString BackupRunner::pgDumpFor(int serverVersionNumber)
{
    const int serverMajor = serverVersionNumber / 10000;
    int best = 0;
    const QStringList installed
        = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : installed) {
        const int major = entry.toInt();
        if (major >= serverMajor && (best == 0 || major < best)
            && QFileInfo::exists(QStringLiteral("/usr/lib/postgresql/%1/bin/pg_dump").arg(major)))
            best = major;
    }
    if (best > 0)
        return QStringLiteral("/usr/lib/postgresql/%1/bin/pg_dump").arg(best);
    return QStandardPaths::findExecutable(QStringLiteral("pg_dump"));
}

Result<QString> BackupRunner::run(const ConnectionSettings& settings, const QString& directory,
    int serverVersionNumber, const std::atomic<bool>* cancel)
{
    if (isCancelled(cancel))
        return cancelledError();
    const QString pgDump = pgDumpFor(serverVersionNumber);
    if (pgDump.isEmpty())
        return Error::io(QStringLiteral("pg_dump not found (Debian: postgresql-client)"));
    if (auto error = PrivateFiles::ensureDirectory(directory)) {
        error->message = QStringLiteral("cannot create the backup directory: ") + error->message;
        return *error;
    }
    const QString database = settings.value(QStringLiteral("dbname")).isEmpty()
        ? QStringLiteral("database")
        : settings.value(QStringLiteral("dbname"));
    const QString path = freePath(directory,
        QStringLiteral("%1-%2").arg(
            database, QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    // pg_dump opens its --file with the umask's permissions; one that already
    // exists 0600 keeps them when pg_dump truncates it.
    if (auto error = PrivateFiles::createFile(path)) {
        error->message = QStringLiteral("cannot create the backup file: ") + error->message;
        return *error;
    }

    QStringList conninfo;
    for (auto it = settings.keywords().cbegin(); it != settings.keywords().cend(); ++it) {
        QString value = it.value();
        value.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('\''), QStringLiteral("\\'"));
        conninfo.append(QStringLiteral("%1='%2'").arg(it.key(), value));
    }
    DumpProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (settings.hasPassword())
        environment.insert(QStringLiteral("PGPASSWORD"), settings.password());
    process.setProcessEnvironment(environment);
    // Never a password prompt: there may be no terminal (the console), and
    // pg_dump is not in the terminal's foreground process group.  dbops has
    // connected already, so the password, if one is needed, is in the
    // environment or libpq's password file.
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(pgDump,
        { QStringLiteral("-Fc"), QStringLiteral("--no-password"), QStringLiteral("--file"), path,
            QStringLiteral("--dbname"), conninfo.join(QLatin1Char(' ')) });
    if (!process.waitForStarted(10000)) {
        QFile::remove(path);
        return Error::io(QStringLiteral("cannot start %1: %2").arg(pgDump, process.errorString()));
    }
    while (process.state() != QProcess::NotRunning && !process.waitForFinished(kPollMs)) {
        if (!isCancelled(cancel))
            continue;
        process.terminate();
        if (!process.waitForFinished(kTerminateGraceMs)) {
            process.kill();
            process.waitForFinished(-1);
        }
        QFile::remove(path);
        return cancelledError();
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        QFile::remove(path);
        // A failure while a cancel was coming in: the cancel is what the user did.
        if (isCancelled(cancel))
            return cancelledError();
        QString reason = settings.redact(QString::fromLocal8Bit(process.readAllStandardError()).trimmed());
        if (reason.isEmpty())
            reason = process.exitStatus() == QProcess::NormalExit
                ? QStringLiteral("pg_dump exited with code %1").arg(process.exitCode())
                : QStringLiteral("pg_dump was killed");
        return Error::io(QStringLiteral("backup failed, nothing was run: %1").arg(reason));
    }
    return path;
}

} // namespace dbops
