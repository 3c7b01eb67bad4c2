#include "migrations/MigrationRepository.h"

#include "migrations/MigrationFileParser.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

namespace dbops {

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
    return m_directory + QStringLiteral("/versions");
}

Result<MigrationRepository> MigrationRepository::load(const QString& directory, ErrorList* allErrors)
{
    QString root = QDir::cleanPath(directory);
    QFileInfo info(root);
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
    QDirIterator it(root + QStringLiteral("/versions"), { QStringLiteral("*.sql") }, QDir::Files,
        QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    files.sort(); // file order is the tie-break wherever the graph allows a choice

    RevisionList revisions;
    revisions.reserve(files.size());
    ErrorList errors;
    for (const QString& file : std::as_const(files)) {
        Result<Revision> revision = MigrationFileParser::parseFile(file);
        if (!revision) {
            errors.append(revision.error());
            continue;
        }
        revisions.append(std::move(revision).value());
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
    return repository;
}

} // namespace dbops
