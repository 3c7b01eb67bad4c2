#include "migrations/MigrationRepository.h"

#include "alembic/AlembicEnvReader.h"
#include "alembic/AlembicOfflineSql.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <optional>
#include <thread>
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

} // namespace

QString MigrationRepository::defaultDirectory()
{
    const QString fromEnvironment = qEnvironmentVariable("DBOPS_MIGRATIONS");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
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

    QStringList files;
    // The suffix is tested here rather than with a name filter, which costs
    // a wildcard match per file (as QDir does, regardless of case).
    QDirIterator it(root + QStringLiteral("/versions"), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.endsWith(QLatin1String(".sql"), Qt::CaseInsensitive))
            files.append(path);
    }
    files.sort(); // file order is the tie-break wherever the graph allows a choice

    // Files are independent: parse them on every core, then keep file order.
    std::vector<std::optional<Result<Revision>>> parsed(static_cast<size_t>(files.size()));
    forEachInParallel(static_cast<int>(files.size()), [&files, &parsed, depth](int i) {
        parsed[static_cast<size_t>(i)].emplace(MigrationFileParser::parseFile(files.at(i), depth));
    });

    RevisionList revisions;
    revisions.reserve(files.size());
    ErrorList errors;
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
