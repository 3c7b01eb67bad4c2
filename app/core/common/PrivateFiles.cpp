#include "common/PrivateFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dbops {

namespace {

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// Other users can read, write or enter it.
bool isOpenToOthers(const struct stat& status)
{
    return (status.st_mode & 077) != 0;
}

std::optional<Error> makeDirectories(const QString& path)
{
    const QString absolute = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    const QStringList parts = absolute.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString current;
    for (const QString& part : parts) {
        current += QLatin1Char('/') + part;
        const QByteArray name = QFile::encodeName(current);
        struct stat status
        {
        };
        if (::stat(name.constData(), &status) == 0) {
            if (!S_ISDIR(status.st_mode))
                return Error::io(QStringLiteral("not a folder"), current);
            continue;
        }
        if (::mkdir(name.constData(), PrivateFiles::kDirectoryMode) != 0) {
            const int error = errno;
            // Someone else made it in the meantime: theirs, not ours to chmod.
            if (error == EEXIST && QFileInfo(current).isDir())
                continue;
            return Error::io(QStringLiteral("cannot create the folder: %1").arg(systemError(error)), current);
        }
        // mkdir's mode passes through the umask; a umask that takes the
        // owner's own bits away would leave a folder we cannot use.
        if (::chmod(name.constData(), PrivateFiles::kDirectoryMode) != 0)
            return Error::io(
                QStringLiteral("cannot set the folder's permissions: %1").arg(systemError(errno)), current);
    }
    return std::nullopt;
}

} // namespace

std::optional<Error> PrivateFiles::ensureDirectory(const QString& path)
{
    return makeDirectories(path);
}

std::optional<Error> PrivateFiles::ensureOwnDirectory(const QString& path)
{
    if (auto error = makeDirectories(path))
        return error;
    const QByteArray name = QFile::encodeName(path);
    struct stat status
    {
    };
    if (::stat(name.constData(), &status) != 0)
        return Error::io(QStringLiteral("cannot read the folder: %1").arg(systemError(errno)), path);
    if (status.st_uid == ::geteuid() && isOpenToOthers(status)
        && ::chmod(name.constData(), kDirectoryMode) != 0)
        return Error::io(
            QStringLiteral("cannot set the folder's permissions: %1").arg(systemError(errno)), path);
    return std::nullopt;
}

std::optional<Error> PrivateFiles::createFile(const QString& path)
{
    const QByteArray name = QFile::encodeName(path);
    // O_EXCL: never truncate, or write through, something already there.
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
    if (fd < 0)
        return Error::io(QStringLiteral("cannot create the file: %1").arg(systemError(errno)), path);
    const bool modeSet = ::fchmod(fd, kFileMode) == 0; // whatever the umask took away
    const int error = errno;
    ::close(fd);
    if (!modeSet) {
        ::unlink(name.constData());
        return Error::io(
            QStringLiteral("cannot set the file's permissions: %1").arg(systemError(error)), path);
    }
    return std::nullopt;
}

std::optional<Error> PrivateFiles::ensureFile(const QString& path)
{
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_CLOEXEC, kFileMode);
    if (fd < 0)
        return Error::io(QStringLiteral("cannot open the file: %1").arg(systemError(errno)), path);
    struct stat status
    {
    };
    std::optional<Error> result;
    if (::fstat(fd, &status) != 0)
        result = Error::io(QStringLiteral("cannot read the file: %1").arg(systemError(errno)), path);
    else if (status.st_uid == ::geteuid() && (status.st_mode & 0777) != kFileMode
        && ::fchmod(fd, kFileMode) != 0)
        result = Error::io(
            QStringLiteral("cannot set the file's permissions: %1").arg(systemError(errno)), path);
    ::close(fd);
    return result;
}

std::optional<Error> PrivateFiles::ensureFileIn(const QString& path, Folder folder)
{
    const QString directory = QFileInfo(path).absolutePath();
    if (auto error = folder == Folder::Own ? ensureOwnDirectory(directory) : ensureDirectory(directory))
        return error;
    return ensureFile(path);
}

std::optional<Error> PrivateFiles::restrict(const QString& path)
{
    const QByteArray name = QFile::encodeName(path);
    struct stat status
    {
    };
    if (::stat(name.constData(), &status) != 0)
        return Error::io(QStringLiteral("cannot read the file: %1").arg(systemError(errno)), path);
    if (status.st_uid != ::geteuid() || (status.st_mode & 0777) == kFileMode)
        return std::nullopt; // someone else's file is theirs to protect
    if (::chmod(name.constData(), kFileMode) != 0)
        return Error::io(
            QStringLiteral("cannot set the file's permissions: %1").arg(systemError(errno)), path);
    return std::nullopt;
}

} // namespace dbops
