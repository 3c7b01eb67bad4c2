#include "runner/BackupRunner.h"

#include "common/PrivateFiles.h"
#include "runner/PgToolProcess.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace dbops {

namespace {

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
    return PgToolProcess::programFor(QStringLiteral("pg_dump"), serverVersionNumber);
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

    Result<PgToolProcess::Outcome> outcome = PgToolProcess::run(pgDump,
        { QStringLiteral("-Fc"), QStringLiteral("--no-password"), QStringLiteral("--file"), path,
            QStringLiteral("--dbname"), PgToolProcess::conninfo(settings) },
        settings, cancel);
    if (!outcome) {
        QFile::remove(path);
        return outcome.error();
    }
    // A failure while a cancel was coming in: the cancel is what the user did.
    if (outcome->cancelled) {
        QFile::remove(path);
        return cancelledError();
    }
    if (outcome->exitCode != 0) {
        QFile::remove(path);
        QString reason = outcome->standardError;
        if (reason.isEmpty())
            reason = outcome->exitCode > 0
                ? QStringLiteral("pg_dump exited with code %1").arg(outcome->exitCode)
                : QStringLiteral("pg_dump was killed");
        return Error::io(QStringLiteral("backup failed, nothing was run: %1").arg(reason));
    }
    return path;
}

} // namespace dbops
