#include "migrations/MigrationRepository.h"

#include "alembic/AlembicEnvReader.h"
#include "alembic/AlembicOfflineSql.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <dirent.h>
#include <optional>
#include <strings.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace dbops {

namespace {

// Runs `work(i)` for i in [0, count) on every core; work items are
// independent and each writes only its own slot (libpg_query is thread-safe).
template<typename Work> void forEachInParallel(int count, const Work& work)
{
    const int workers
        = std::max(1, std::min(static_cast<int>(std::thread::hardware_concurrency()), count / 64 + 1));
    if (workers == 1) {
        for (int i = 0; i < count; ++i)
            work(i);
        return;
    }
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
        threads.emplace_back([&work, count, w, workers] {
            for (int i = w; i < count; i += workers)
                work(i);
        });
    }
    for (std::thread& t : threads)
        t.join();
}

// What a symbolic link says, as `ls -l` shows it: QFileInfo::symLinkTarget()
// resolves a relative target against the link's path, which misleads when
// that path itself runs through a link.
QString linkText(const QString& link)
{
    QByteArray target(4096, '\0');
    const ssize_t size = ::readlink(QFile::encodeName(link).constData(), target.data(), target.size());
    if (size < 0)
        return QFileInfo(link).symLinkTarget();
    target.truncate(static_cast<int>(size));
    return QFile::decodeName(target);
}

// What one directory entry is, following a symbolic link.  readdir()'s
// d_type answers for plain files and folders without a stat() per file, which
// on 100,000 revisions is a tenth of `dbops heads`; links (and file systems
// that leave d_type unknown) cost a stat().
enum class EntryKind
{
    File,
    Folder,
    DanglingLink,
    Other
};

EntryKind entryKind(unsigned char type, const QByteArray& path, bool* isLink)
{
    *isLink = type == DT_LNK;
    if (type == DT_REG)
        return EntryKind::File;
    if (type == DT_DIR)
        return EntryKind::Folder;
    if (type != DT_LNK && type != DT_UNKNOWN)
        return EntryKind::Other;
    struct stat target;
    if (::stat(path.constData(), &target) != 0) {
        struct stat link;
        if (::lstat(path.constData(), &link) == 0 && S_ISLNK(link.st_mode)) {
            *isLink = true;
            return EntryKind::DanglingLink;
        }
        return EntryKind::Other; // vanished while listing
    }
    if (type == DT_UNKNOWN) {
        struct stat link;
        *isLink = ::lstat(path.constData(), &link) == 0 && S_ISLNK(link.st_mode);
    }
    if (S_ISDIR(target.st_mode))
        return EntryKind::Folder;
    return S_ISREG(target.st_mode) ? EntryKind::File : EntryKind::Other;
}

QByteArray canonicalPath(const QByteArray& path)
{
    char resolved[PATH_MAX];
    return ::realpath(path.constData(), resolved) ? QByteArray(resolved) : path;
}

bool hasSqlSuffix(const char* name)
{
    const size_t length = std::strlen(name);
    return length >= 4 && ::strcasecmp(name + length - 4, ".sql") == 0;
}

// Every `*.sql` under `versions`, sorted, following symbolic links to files
// and to folders alike.  Nothing is skipped silently: a link to nothing, and
// a folder reached a second time (a link loop, or two links to one folder,
// whose revisions would all be duplicates) are errors naming the path.
// Hidden entries (".name") are passed over, as editors' lock files are.
// Paths stay bytes until the end: sorting 100,000 QStrings costs more than
// sorting their bytes, and UTF-8 sorts as the code points do.
QStringList listMigrationFiles(const QString& versions, ErrorList* errors)
{
    struct Folder
    {
        QByteArray path;
        bool viaLink = false; ///< reached through a symbolic link (this one or one above)
    };
    std::vector<QByteArray> files;
    QHash<QByteArray, Folder> seen; // canonical path -> the first path that reached it
    const QByteArray root = QFile::encodeName(versions);
    QList<Folder> pending { Folder { root, QFileInfo(versions).isSymLink() } };
    seen.insert(canonicalPath(root), pending.constFirst());
    while (!pending.isEmpty()) {
        const Folder folder = pending.takeFirst();
        DIR* directory = ::opendir(folder.path.constData());
        if (!directory) {
            errors->append(Error::io(
                QStringLiteral("cannot list folder: %1").arg(QString::fromLocal8Bit(std::strerror(errno))),
                QFile::decodeName(folder.path)));
            continue;
        }
        struct Entry
        {
            QByteArray name;
            unsigned char type;
            bool operator<(const Entry& other) const { return name < other.name; }
        };
        std::vector<Entry> entries;
        while (const dirent* entry = ::readdir(directory)) {
            if (entry->d_name[0] != '.') // also "." and ".."
                entries.push_back(Entry { QByteArray(entry->d_name), entry->d_type });
        }
        ::closedir(directory);
        // Sorted, so that which of two paths to one folder is reported does not
        // depend on the file system's order.
        std::sort(entries.begin(), entries.end());
        for (const Entry& entry : entries) {
            const QByteArray path = folder.path + '/' + entry.name;
            bool isLink = false;
            const EntryKind kind = entryKind(entry.type, path, &isLink);
            if (kind == EntryKind::DanglingLink) {
                errors->append(Error::io(
                    QStringLiteral("symbolic link to nothing: it points to '%1', which does not exist")
                        .arg(linkText(QFile::decodeName(path))),
                    QFile::decodeName(path)));
            } else if (kind == EntryKind::Folder) {
                const Folder found { path, folder.viaLink || isLink };
                const QByteArray canonical = canonicalPath(path);
                const auto first = seen.constFind(canonical);
                if (first == seen.constEnd()) {
                    seen.insert(canonical, found);
                    pending.append(found);
                    continue;
                }
                // Name the path a link led to; the other is where the folder really is.
                const bool blameFirst = !found.viaLink && first->viaLink;
                errors->append(Error::io(QStringLiteral("the same folder as '%1' (%2): a symbolic link loop, "
                                                        "or two links to one folder; remove one of the links")
                                             .arg(QFile::decodeName(blameFirst ? found.path : first->path),
                                                 QFile::decodeName(canonical)),
                    QFile::decodeName(blameFirst ? first->path : found.path)));
            } else if (kind == EntryKind::File && hasSqlSuffix(entry.name.constData())) {
                files.push_back(path);
            }
        }
    }
    std::sort(files.begin(), files.end()); // file order is the tie-break wherever the graph allows a choice
    QStringList paths;
    paths.reserve(static_cast<int>(files.size()));
    for (const QByteArray& file : files)
        paths.append(QFile::decodeName(file));
    return paths;
}

} // namespace

QString MigrationRepository::defaultDirectory()
{
    const QString fromEnvironment = qEnvironmentVariable("DBOPS_MIGRATIONS");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    // Installed: next to the binary, wherever the package put it (a .deb
    // installs under /usr whatever prefix the build was configured with).
    // A build tree's binary has no share/ beside it and reads the source tree.
    const QString binaryDirectory = QCoreApplication::instance()
        ? QCoreApplication::applicationDirPath()
        : QFileInfo(QStringLiteral("/proc/self/exe")).canonicalPath();
    if (!binaryDirectory.isEmpty()) {
        const QString installed = QDir::cleanPath(
            binaryDirectory + QLatin1Char('/') + QStringLiteral(DBOPS_INSTALL_MIGRATIONS_FROM_BINDIR));
        if (QFileInfo::exists(installed + QStringLiteral("/versions")))
            return installed;
    }
    const QString source = QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR);
    if (QFileInfo::exists(source + QStringLiteral("/versions")))
        return source;
    return QStringLiteral(DBOPS_INSTALL_MIGRATIONS_DIR);
}

QString MigrationRepository::versionsDirectory() const
{
    if (m_alembic && !m_alembic->versionLocations.isEmpty())
        return m_alembic->versionLocations.constFirst();
    return m_directory + QStringLiteral("/versions");
}

Result<MigrationRepository> MigrationRepository::loadAlembic(const QString& path, ErrorList* allErrors)
{
    Result<AlembicProject> project = AlembicProject::load(path, allErrors);
    if (!project)
        return project.error();
    Result<RevisionGraph> graph = RevisionGraph::build(project->revisions, allErrors);
    if (!graph)
        return graph.error();
    MigrationRepository repository;
    // The project's own folder: where alembic.ini lives, else the script directory.
    repository.m_directory
        = project->iniPath.isEmpty() ? project->scriptLocation : QFileInfo(project->iniPath).absolutePath();
    repository.m_graph = std::move(graph).value();
    repository.m_alembic = std::move(project).value();
    repository.m_hasSql = false;
    return repository;
}

Result<bool> MigrationRepository::ensureSql(ErrorList* allErrors)
{
    if (m_hasSql)
        return true;
    RevisionList revisions = m_graph.revisions();
    if (m_alembic) {
        Result<bool> filled = AlembicOfflineSql::fillSections(*m_alembic, revisions);
        if (!filled) {
            if (allErrors)
                *allErrors = ErrorList { filled.error() };
            return filled.error();
        }
        for (Revision& revision : revisions)
            revision.sqlLoaded = true;
    } else {
        std::vector<std::optional<Error>> failures(static_cast<size_t>(revisions.size()));
        // Each thread gets its own revisions' addresses, taken (and the list
        // detached) before the threads start; Qt 5's QList is not contiguous.
        std::vector<Revision*> targets;
        targets.reserve(static_cast<size_t>(revisions.size()));
        for (Revision& revision : revisions)
            targets.push_back(&revision);
        forEachInParallel(static_cast<int>(revisions.size()), [&targets, &failures](int i) {
            if (Result<bool> split = MigrationFileParser::splitSql(*targets[static_cast<size_t>(i)]); !split)
                failures[static_cast<size_t>(i)] = split.error();
        });
        ErrorList errors;
        for (std::optional<Error>& failure : failures) {
            if (failure)
                errors.append(std::move(*failure));
        }
        if (!errors.isEmpty()) {
            if (allErrors)
                *allErrors = errors;
            return errors.constFirst();
        }
    }
    Result<RevisionGraph> graph = RevisionGraph::build(std::move(revisions), allErrors);
    if (!graph)
        return graph.error();
    m_graph = std::move(graph).value();
    m_hasSql = true;
    return true;
}

Result<MigrationRepository> MigrationRepository::load(const QString& directory, ErrorList* allErrors)
{
    return loadNative(directory, allErrors, MigrationFileParser::Depth::Full);
}

Result<MigrationRepository> MigrationRepository::loadGraph(const QString& directory, ErrorList* allErrors)
{
    return loadNative(directory, allErrors, MigrationFileParser::Depth::GraphOnly);
}

Result<MigrationRepository> MigrationRepository::loadNative(
    const QString& directory, ErrorList* allErrors, MigrationFileParser::Depth depth)
{
    QString root = QDir::cleanPath(directory);
    QFileInfo info(root);
    if (AlembicProject::looksLikeAlembicProject(root))
        return loadAlembic(root, allErrors);
    if (!info.exists())
        return Error::io(QStringLiteral("migration repository not found"), root);
    if (!info.isDir())
        return Error::io(QStringLiteral("migration repository is not a directory"), root);
    if (!QFileInfo(root + QStringLiteral("/versions")).isDir()) {
        // Accept the versions/ folder itself.
        if (info.fileName() == QLatin1String("versions"))
            root = info.absolutePath();
        else
            return Error::io(QStringLiteral("no versions/ folder in the migration repository"), root);
    }

    ErrorList errors;
    const QStringList files = listMigrationFiles(root + QStringLiteral("/versions"), &errors);

    // Files are independent: parse them on every core, then keep file order.
    std::vector<std::optional<Result<Revision>>> parsed(static_cast<size_t>(files.size()));
    forEachInParallel(static_cast<int>(files.size()), [&files, &parsed, depth](int i) {
        parsed[static_cast<size_t>(i)].emplace(MigrationFileParser::parseFile(files.at(i), depth));
    });

    RevisionList revisions;
    revisions.reserve(files.size());
    for (std::optional<Result<Revision>>& revision : parsed) {
        if (!*revision) {
            errors.append(revision->error());
            continue;
        }
        revisions.append(std::move(*revision).value());
    }
    if (!errors.isEmpty()) {
        if (allErrors)
            *allErrors = errors;
        return errors.constFirst();
    }

    Result<RevisionGraph> graph = RevisionGraph::build(std::move(revisions), allErrors);
    if (!graph)
        return graph.error();
    MigrationRepository repository;
    repository.m_directory = root;
    repository.m_graph = std::move(graph).value();
    repository.m_hasSql = depth == MigrationFileParser::Depth::Full;
    return repository;
}

QString MigrationRepository::versionTable() const
{
    return m_alembic ? m_alembic->versionTable : AlembicEnvReader::defaultVersionTable();
}

} // namespace dbops
