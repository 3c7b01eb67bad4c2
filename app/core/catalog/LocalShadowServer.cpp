#include "catalog/LocalShadowServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtGlobal>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <libpq-fe.h>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

namespace dbops {

namespace {

// The server listens only on a socket inside its own folder, so no other
// server can hold this port number and no free port has to be searched for.
constexpr int kPort = 5432;
constexpr const char* kServerUser = "postgres";
constexpr int kStartTimeoutMs = 60000;
constexpr int kInitdbTimeoutMs = 120000;
constexpr int kStopTimeoutMs = 30000;
// A Unix socket path holds at most 107 bytes: "<folder>/.s.PGSQL.5432".
constexpr int kMaxParentPathBytes = 64;

QString folderPattern()
{
    return QStringLiteral("dbops-shadow-");
}

bool hasServerPrograms(const QString& binDir)
{
    return QFileInfo(binDir + QStringLiteral("/initdb")).isExecutable()
        && QFileInfo(binDir + QStringLiteral("/postgres")).isExecutable();
}

int majorOf(const QString& binDir)
{
    // Debian and Ubuntu: /usr/lib/postgresql/<major>/bin.
    bool numeric = false;
    const int fromPath = QFileInfo(QDir::cleanPath(binDir)).dir().dirName().toInt(&numeric);
    if (numeric && fromPath > 0)
        return fromPath;
    QProcess process;
    process.start(binDir + QStringLiteral("/postgres"), { QStringLiteral("--version") });
    if (!process.waitForFinished(10000))
        return 0;
    // "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)"
    const QRegularExpressionMatch match = QRegularExpression(QStringLiteral("\\(PostgreSQL\\) (\\d+)"))
                                              .match(QString::fromLocal8Bit(process.readAllStandardOutput()));
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

qint64 readPid(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readLine().trimmed().toLongLong();
}

QString errorMessage(int error)
{
    return QString::fromLocal8Bit(::strerror(error));
}

/// The folder's owner may use the folder: as root it is handed to the
/// `postgres` OS user, which initdb and postgres then run as.
std::optional<Error> handOver(const QString& path, uid_t uid, gid_t gid)
{
    if (::chown(QFile::encodeName(path).constData(), uid, gid) != 0)
        return Error::io(QStringLiteral("cannot hand the local shadow server's folder to the %1 OS user: %2")
                             .arg(QLatin1String(kServerUser), errorMessage(errno)),
            path);
    return std::nullopt;
}

} // namespace

LocalShadowServer::LocalShadowServer() = default;

LocalShadowServer::~LocalShadowServer()
{
    if (std::optional<Error> error = stop())
        qWarning("dbops: %s", qUtf8Printable(error->toString()));
}

QString LocalShadowServer::findBinDir(int preferredMajor)
{
    const QString configured = qEnvironmentVariable(kBinDirVariable);
    if (!configured.isEmpty())
        return hasServerPrograms(configured) ? QDir::cleanPath(configured) : QString();

    const QString root = QStringLiteral("/usr/lib/postgresql");
    int best = 0;
    const QStringList entries = QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        const int major = entry.toInt();
        if (major <= 0 || !hasServerPrograms(QStringLiteral("%1/%2/bin").arg(root).arg(major)))
            continue;
        // The target's own major prints definitions exactly as the target
        // does; otherwise the newest reads every older migration.
        if (major == preferredMajor) {
            best = major;
            break;
        }
        best = std::max(best, major);
    }
    if (best > 0)
        return QStringLiteral("%1/%2/bin").arg(root).arg(best);

    const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
    const QString onPath = initdb.isEmpty() ? QString() : QFileInfo(initdb).absolutePath();
    return !onPath.isEmpty() && hasServerPrograms(onPath) ? onPath : QString();
}

Result<std::unique_ptr<LocalShadowServer>> LocalShadowServer::start(int preferredMajor)
{
    std::unique_ptr<LocalShadowServer> server(new LocalShadowServer);
    server->m_binDir = findBinDir(preferredMajor);
    if (server->m_binDir.isEmpty()) {
        const QString configured = qEnvironmentVariable(kBinDirVariable);
        return Error::input(configured.isEmpty()
                ? QStringLiteral("the PostgreSQL server programs (initdb, postgres) are not installed "
                                 "(looked in /usr/lib/postgresql/*/bin and on PATH)")
                : QStringLiteral("the PostgreSQL server programs (initdb, postgres) are not in $%1 (%2)")
                      .arg(QLatin1String(kBinDirVariable), configured));
    }
    server->m_major = majorOf(server->m_binDir);

    // As root: the postgres OS user runs the server (initdb and postgres refuse root).
    passwd entry {};
    passwd* serverUser = nullptr;
    char buffer[4096];
    if (::geteuid() == 0) {
        if (::getpwnam_r(kServerUser, &entry, buffer, sizeof buffer, &serverUser) != 0 || !serverUser)
            return Error::input(
                QStringLiteral("dbops runs as root, where initdb and postgres refuse to run, and "
                               "there is no '%1' OS user to run them as")
                    .arg(QLatin1String(kServerUser)));
        server->m_runuser = QStandardPaths::findExecutable(QStringLiteral("runuser"));
        if (server->m_runuser.isEmpty())
            server->m_runuser = QStandardPaths::findExecutable(QStringLiteral("runuser"),
                { QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"), QStringLiteral("/usr/bin") });
        if (server->m_runuser.isEmpty())
            return Error::input(QStringLiteral(
                "dbops runs as root, where initdb and postgres refuse to run, and runuser (util-linux) "
                "is not installed to run them as the '%1' OS user")
                                    .arg(QLatin1String(kServerUser)));
    }

    QString parent = QDir::tempPath();
    if (QFile::encodeName(parent).size() > kMaxParentPathBytes)
        parent = QStringLiteral("/tmp");
    removeLeftovers(parent);
    server->m_folder = std::make_unique<QTemporaryDir>(
        parent + QLatin1Char('/') + folderPattern() + QStringLiteral("XXXXXX"));
    if (!server->m_folder->isValid())
        return Error::io(QStringLiteral("cannot create a folder for the local shadow server: %1")
                             .arg(server->m_folder->errorString()),
            parent);
    const QString folder = server->m_folder->path();
    // Who the folder belongs to, for removeLeftovers() of a later run should we be killed.
    QFile owner(folder + QStringLiteral("/dbops.pid"));
    if (!owner.open(QIODevice::WriteOnly) || owner.write(QByteArray::number(qint64(::getpid()))) <= 0)
        return Error::io(QStringLiteral("cannot write: %1").arg(owner.errorString()), owner.fileName());
    owner.close();
    if (serverUser) {
        if (std::optional<Error> failed = handOver(folder, serverUser->pw_uid, serverUser->pw_gid))
            return *failed;
    }

    if (std::optional<Error> failed = server->initdb())
        return *failed;
    if (std::optional<Error> failed = server->launch())
        return *failed;
    return server;
}

QStringList LocalShadowServer::asServerUser(const QString& program, const QStringList& arguments) const
{
    if (m_runuser.isEmpty())
        return QStringList { program } + arguments;
    return QStringList { m_runuser, QStringLiteral("-u"), QLatin1String(kServerUser), QStringLiteral("--"),
        program }
    + arguments;
}

std::optional<Error> LocalShadowServer::initdb()
{
    const QString folder = m_folder->path();
    const QStringList common { QStringLiteral("-D"), folder + QStringLiteral("/data"), QStringLiteral("-U"),
        QLatin1String(kServerUser), QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-E"),
        QStringLiteral("UTF8"), QStringLiteral("--no-sync") };
    // C.UTF-8 where the C library has it, the plain C locale elsewhere.
    const QStringList locales[]
        = { { QStringLiteral("--locale=C.UTF-8") }, { QStringLiteral("--no-locale") } };
    QString output;
    for (const QStringList& locale : locales) {
        QProcess process;
        process.setWorkingDirectory(folder); // the postgres OS user may not enter ours
        process.setProcessChannelMode(QProcess::MergedChannels);
        const QStringList command = asServerUser(m_binDir + QStringLiteral("/initdb"), common + locale);
        process.start(command.constFirst(), command.mid(1));
        if (!process.waitForStarted(10000))
            return Error::io(
                QStringLiteral("cannot start %1: %2").arg(command.constFirst(), process.errorString()));
        process.waitForFinished(kInitdbTimeoutMs);
        output = QString::fromLocal8Bit(process.readAll()).trimmed();
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
            return Error::io(QStringLiteral("initdb of the local shadow server did not finish within %1 s")
                                 .arg(kInitdbTimeoutMs / 1000));
        }
        if (process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
            return std::nullopt;
    }
    Error error = Error::io(QStringLiteral("initdb of the local shadow server failed"), m_binDir);
    error.detail = output.right(1500);
    return error;
}

std::optional<Error> LocalShadowServer::launch()
{
    const QString folder = m_folder->path();
    m_server = std::make_unique<QProcess>();
    m_server->setWorkingDirectory(folder);
    m_server->setProcessChannelMode(QProcess::MergedChannels);
    m_server->setStandardOutputFile(folder + QStringLiteral("/server.log"));
    // No TCP at all (listen_addresses empty), only the socket in our folder;
    // durability is worthless for a database that is dropped in a minute.
    const QStringList arguments { QStringLiteral("-D"), folder + QStringLiteral("/data"),
        QStringLiteral("-k"), folder, QStringLiteral("-p"), QString::number(kPort), QStringLiteral("-c"),
        QStringLiteral("listen_addresses="), QStringLiteral("-c"), QStringLiteral("fsync=off"),
        QStringLiteral("-c"), QStringLiteral("full_page_writes=off"), QStringLiteral("-c"),
        QStringLiteral("synchronous_commit=off"), QStringLiteral("-c"), QStringLiteral("autovacuum=off") };
    const QStringList command = asServerUser(m_binDir + QStringLiteral("/postgres"), arguments);
    m_server->start(command.constFirst(), command.mid(1));
    if (!m_server->waitForStarted(10000))
        return Error::io(
            QStringLiteral("cannot start %1: %2").arg(command.constFirst(), m_server->errorString()));

    QString host = folder;
    host.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
    const QByteArray conninfo
        = QStringLiteral("host='%1' port=%2 dbname=postgres user=%3 sslmode=disable connect_timeout=5")
              .arg(host)
              .arg(kPort)
              .arg(QLatin1String(kServerUser))
              .toLocal8Bit();
    QElapsedTimer waited;
    waited.start();
    while (PQping(conninfo.constData()) != PQPING_OK) {
        if (m_server->state() == QProcess::NotRunning || m_server->waitForFinished(100)) {
            Error error = Error::io(QStringLiteral("the local shadow server (%1) did not start")
                                        .arg(m_binDir + QStringLiteral("/postgres")));
            error.detail = logTail();
            return error;
        }
        if (waited.hasExpired(kStartTimeoutMs)) {
            Error error = Error::io(QStringLiteral("the local shadow server did not accept connections "
                                                   "within %1 s")
                                        .arg(kStartTimeoutMs / 1000));
            error.detail = logTail();
            return error;
        }
    }
    return std::nullopt;
}

qint64 LocalShadowServer::postmasterPid() const
{
    if (!m_folder)
        return 0;
    // As root the process we started is runuser; the server names itself here.
    const qint64 pid = readPid(m_folder->path() + QStringLiteral("/data/postmaster.pid"));
    if (pid > 0 || !m_runuser.isEmpty() || !m_server)
        return pid;
    return m_server->processId();
}

QString LocalShadowServer::logTail() const
{
    if (!m_folder)
        return {};
    QFile log(m_folder->path() + QStringLiteral("/server.log"));
    if (!log.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = log.readAll().trimmed();
    return QString::fromLocal8Bit(text.right(1500));
}

ConnectionSettings LocalShadowServer::settings() const
{
    ConnectionSettings settings;
    settings.setValue(QStringLiteral("host"), m_folder ? m_folder->path() : QString());
    settings.setValue(QStringLiteral("port"), QString::number(kPort));
    settings.setValue(QStringLiteral("user"), QLatin1String(kServerUser));
    settings.setValue(QStringLiteral("dbname"), QStringLiteral("postgres"));
    // A socket: no TLS to negotiate, whatever PGSSLMODE says.
    settings.setValue(QStringLiteral("sslmode"), QStringLiteral("disable"));
    return settings;
}

QString LocalShadowServer::describe() const
{
    return QStringLiteral("a throwaway local PostgreSQL %1 server in %2")
        .arg(m_major)
        .arg(m_folder ? m_folder->path() : QString());
}

std::optional<Error> LocalShadowServer::stop()
{
    if (m_server && m_server->state() != QProcess::NotRunning) {
        const qint64 pid = postmasterPid();
        // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for sessions to end.
        if (pid > 0)
            ::kill(static_cast<pid_t>(pid), SIGINT);
        else
            m_server->terminate(); // runuser passes it on; the server has not written its pid yet
        if (!m_server->waitForFinished(kStopTimeoutMs)) {
            // Immediate shutdown: nothing in there has to survive.
            if (pid > 0)
                ::kill(static_cast<pid_t>(pid), SIGQUIT);
            if (!m_server->waitForFinished(5000)) {
                m_server->kill();
                m_server->waitForFinished(5000);
            }
        }
    }
    m_server.reset();
    if (!m_folder)
        return std::nullopt;
    const QString path = m_folder->path();
    const bool removed = m_folder->remove();
    m_folder.reset();
    if (!removed)
        return Error::io(
            QStringLiteral("could not delete the local shadow server's folder (delete it by hand)"), path);
    return std::nullopt;
}

void LocalShadowServer::removeLeftovers(const QString& parent)
{
    const QFileInfoList folders = QDir(parent).entryInfoList(
        { folderPattern() + QLatin1Char('*') }, QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks);
    for (const QFileInfo& folder : folders) {
        const qint64 owner = readPid(folder.filePath() + QStringLiteral("/dbops.pid"));
        // No pid yet (still being set up), or its dbops still runs (EPERM: someone else's).
        if (owner <= 0 || ::kill(static_cast<pid_t>(owner), 0) == 0 || errno != ESRCH)
            continue;
        const QString data = folder.filePath() + QStringLiteral("/data");
        const qint64 postmaster = readPid(data + QStringLiteral("/postmaster.pid"));
        if (postmaster > 0) {
            // Only the server of that very folder (postgres works in its data
            // folder), never a process that reused its number.
            char target[4096];
            const QByteArray link = QFile::encodeName(QStringLiteral("/proc/%1/cwd").arg(postmaster));
            const ssize_t length = ::readlink(link.constData(), target, sizeof target - 1);
            const QString cwd = length > 0 ? QFile::decodeName(QByteArray(target, int(length))) : QString();
            if (!cwd.isEmpty() && cwd == QFileInfo(data).canonicalFilePath()) {
                ::kill(static_cast<pid_t>(postmaster), SIGQUIT);
                for (int i = 0; i < 100 && ::kill(static_cast<pid_t>(postmaster), 0) == 0; ++i)
                    QThread::msleep(50);
            }
        }
        QDir(folder.filePath()).removeRecursively();
    }
}

} // namespace dbops
