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
#include <optional>
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

// Every `*.sql` under `versions`, sorted, following symbolic links to files
// and to folders alike.  Nothing is skipped silently: a link to nothing, and
// a folder reached a second time (a link loop, or two links to one folder,
// whose revisions would all be duplicates) are errors naming the path.
// Hidden entries (".name") are passed over, as editors' lock files are.
QStringList listMigrationFiles(const QString& versions, ErrorList* errors)
{
    QStringList files;
    struct Folder
    {
        QString path;
        bool viaLink = false; ///< reached through a symbolic link (this one or one above)
    };
    QHash<QString, Folder> seen; // canonical path -> the first path that reached it
    QList<Folder> pending { Folder { versions, QFileInfo(versions).isSymLink() } };
    seen.insert(QFileInfo(versions).canonicalFilePath(), pending.constFirst());
    while (!pending.isEmpty()) {
        const Folder folder = pending.takeFirst();
        // The suffix is tested here rather than with a name filter, which
        // costs a wildcard match per file (as QDir does, regardless of case).
        // QDir::System lists links to nothing, which QDir::Files passes over.
        QDirIterator it(folder.path, QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot);
        QFileInfoList entries;
        while (it.hasNext()) {
            it.next();
            entries.append(it.fileInfo());
        }
        // Sorted, so that which of two paths to one folder is reported does not
        // depend on the file system's order.
        std::sort(entries.begin(), entries.end(),
            [](const QFileInfo& a, const QFileInfo& b) { return a.fileName() < b.fileName(); });
        for (const QFileInfo& entry : std::as_const(entries)) {
            if (entry.fileName().startsWith(QLatin1Char('.')))
                continue;
            if (entry.isSymLink() && !entry.exists()) {
                errors->append(Error::io(
                    QStringLiteral("symbolic link to nothing: it points to '%1', which does not exist")
                        .arg(linkText(entry.filePath())),
                    entry.filePath()));
            } else if (entry.isDir()) {
                const Folder found { entry.filePath(), folder.viaLink || entry.isSymLink() };
                const QString canonical = entry.canonicalFilePath();
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
                                             .arg(blameFirst ? found.path : first->path, canonical),
                    blameFirst ? first->path : found.path));
            } else if (entry.isFile()
                && entry.fileName().endsWith(QLatin1String(".sql"), Qt::CaseInsensitive)) {
                files.append(entry.filePath());
            }
        }
    }
    files.sort(); // file order is the tie-break wherever the graph allows a choice
    return files;
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
