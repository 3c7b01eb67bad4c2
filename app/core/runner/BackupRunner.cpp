#include "runner/BackupRunner.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace dbops {

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

Result<QString> BackupRunner::run(
    const ConnectionSettings& settings, const QString& directory, int serverVersionNumber)
{
    const QString pgDump = pgDumpFor(serverVersionNumber);
    if (pgDump.isEmpty())
        return Error::io(QStringLiteral("pg_dump not found (Debian: postgresql-client)"));
    if (!QDir().mkpath(directory))
        return Error::io(QStringLiteral("cannot create the backup directory"), directory);
    const QString database = settings.value(QStringLiteral("dbname")).isEmpty()
        ? QStringLiteral("database")
        : settings.value(QStringLiteral("dbname"));
    const QString path = QDir(directory).absoluteFilePath(
        QStringLiteral("%1-%2.dump")
            .arg(database, QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"))));

    QStringList conninfo;
    for (auto it = settings.keywords().cbegin(); it != settings.keywords().cend(); ++it) {
        QString value = it.value();
        value.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('\''), QStringLiteral("\\'"));
        conninfo.append(QStringLiteral("%1='%2'").arg(it.key(), value));
    }
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (settings.hasPassword())
        environment.insert(QStringLiteral("PGPASSWORD"), settings.password());
    process.setProcessEnvironment(environment);
    process.start(pgDump,
        { QStringLiteral("-Fc"), QStringLiteral("--file"), path, QStringLiteral("--dbname"),
            conninfo.join(QLatin1Char(' ')) });
    if (!process.waitForStarted(10000))
        return Error::io(QStringLiteral("cannot start %1: %2").arg(pgDump, process.errorString()));
    process.waitForFinished(-1);
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        QFile::remove(path);
        return Error::io(
            QStringLiteral("backup failed, nothing was run: %1")
                .arg(settings.redact(QString::fromLocal8Bit(process.readAllStandardError()).trimmed())));
    }
    return path;
}

} // namespace dbops
