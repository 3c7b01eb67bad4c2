#include "alembic/AlembicProject.h"

#include "alembic/AlembicEnvReader.h"
#include "alembic/AlembicIni.h"
#include "alembic/AlembicScriptReader.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QSet>
#include <optional>
#include <thread>
#include <vector>

namespace dbops {

namespace {

const QString iniFileName = QStringLiteral("alembic.ini");
const QString envFileName = QStringLiteral("env.py");

bool isScriptDirectory(const QString& directory)
{
    return QFileInfo(directory + QLatin1Char('/') + envFileName).isFile()
        && QFileInfo(directory + QStringLiteral("/versions")).isDir();
}

// Revision scripts in one version location, recursing into sub-directories
// only when asked (recursive_version_locations).
void collectScripts(const QString& location, bool recursive, QStringList* files)
{
    QDir dir(location);
    const QFileInfoList entries
        = dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::DirsLast);
    for (const QFileInfo& entry : entries) {
        if (entry.isDir()) {
            if (recursive && entry.fileName() != QLatin1String("__pycache__")
                && !entry.fileName().startsWith(QLatin1Char('.')))
                collectScripts(entry.filePath(), recursive, files);
            continue;
        }
        if (AlembicScriptReader::isRevisionFileName(entry.fileName()))
            files->append(entry.filePath());
    }
}

} // namespace

bool AlembicProject::looksLikeAlembicProject(const QString& path)
{
    const QFileInfo info(path);
    if (info.isFile())
        return info.fileName().endsWith(QLatin1String(".ini"));
    if (!info.isDir())
        return false;
    return QFileInfo(path + QLatin1Char('/') + iniFileName).isFile() || isScriptDirectory(path);
}

Result<AlembicProject> AlembicProject::load(const QString& path, ErrorList* allErrors)
{
    auto fail = [allErrors](const Error& error) -> Result<AlembicProject> {
        if (allErrors)
            *allErrors = ErrorList { error };
        return error;
    };

    const QFileInfo info(path);
    if (!info.exists())
        return fail(Error::io(QStringLiteral("Alembic project not found"), path));
    AlembicProject project;
    QString givenScriptDirectory;
    if (info.isFile()) {
        project.iniPath = info.absoluteFilePath();
    } else if (QFileInfo(info.absoluteFilePath() + QLatin1Char('/') + iniFileName).isFile()) {
        project.iniPath = QDir::cleanPath(info.absoluteFilePath() + QLatin1Char('/') + iniFileName);
    } else if (isScriptDirectory(info.absoluteFilePath())) {
        givenScriptDirectory = QDir::cleanPath(info.absoluteFilePath());
        // The usual layout keeps alembic.ini next to the script directory;
        // use it when it names this directory, for its version_locations.
        const QString sibling
            = QFileInfo(givenScriptDirectory).absolutePath() + QLatin1Char('/') + iniFileName;
        if (QFileInfo(sibling).isFile()) {
            Result<AlembicIni> ini = AlembicIni::read(sibling);
            if (ini) {
                Result<QString> location = ini->scriptLocation();
                if (location
                    && QFileInfo(*location).canonicalFilePath()
                        == QFileInfo(givenScriptDirectory).canonicalFilePath())
                    project.iniPath = ini->path();
            }
        }
    } else {
        return fail(
            Error::io(QStringLiteral("not an Alembic project: no alembic.ini here, and no script directory "
                                     "(env.py with versions/)"),
                path));
    }

    if (!project.iniPath.isEmpty()) {
        Result<AlembicIni> ini = AlembicIni::read(project.iniPath);
        if (!ini)
            return fail(ini.error());
        Result<QString> scriptLocation = ini->scriptLocation();
        if (!scriptLocation)
            return fail(scriptLocation.error());
        if (!QFileInfo(*scriptLocation).isDir()) {
            return fail(
                Error::input(QStringLiteral("script_location '%1' is not a directory").arg(*scriptLocation),
                    ini->path(), ini->lineOf(AlembicIni::mainSection(), QStringLiteral("script_location"))));
        }
        project.scriptLocation = *scriptLocation;
        Result<QStringList> versionLocations = ini->versionLocations();
        if (!versionLocations)
            return fail(versionLocations.error());
        project.versionLocations = *versionLocations;
        Result<bool> recursive = ini->recursiveVersionLocations();
        if (!recursive)
            return fail(recursive.error());
        project.recursiveVersionLocations = *recursive;
    } else {
        project.scriptLocation = givenScriptDirectory;
    }

    QStringList files;
    if (project.versionLocations.isEmpty()) {
        const QString versions = project.scriptLocation + QStringLiteral("/versions");
        if (!QFileInfo(versions).isDir()) {
            return fail(Error::io(
                QStringLiteral(
                    "no versions/ directory in the script location, and no version_locations in %1")
                    .arg(project.iniPath.isEmpty() ? QStringLiteral("alembic.ini") : project.iniPath),
                project.scriptLocation));
        }
        project.versionLocations = QStringList { versions };
        collectScripts(versions, project.recursiveVersionLocations, &files);
    } else {
        // Like Alembic, a version location that does not exist (yet) holds no revisions.
        for (const QString& location : std::as_const(project.versionLocations)) {
            if (QFileInfo(location).isDir())
                collectScripts(location, project.recursiveVersionLocations, &files);
        }
    }
    // Files come in version-location order, then by path: file order is the
    // tie-break wherever the graph allows a choice.  A file reached through
    // two locations is read once, as Alembic does.
    QSet<QString> seen;
    QStringList unique;
    for (const QString& file : std::as_const(files)) {
        const QString canonical = QFileInfo(file).canonicalFilePath();
        if (!seen.contains(canonical)) {
            seen.insert(canonical);
            unique.append(QDir::cleanPath(file));
        }
    }

    Result<QString> versionTable
        = AlembicEnvReader::versionTable(project.scriptLocation + QLatin1Char('/') + envFileName);
    ErrorList errors;
    if (versionTable)
        project.versionTable = *versionTable;
    else
        errors.append(versionTable.error());

    // The scripts are independent: read them on every core, each thread
    // writing only its own slots, then keep file order.
    struct Parsed
    {
        std::optional<Revision> revision;
        ErrorList errors;
    };
    std::vector<Parsed> parsed(static_cast<size_t>(unique.size()));
    const int workers = std::max(1,
        std::min(
            static_cast<int>(std::thread::hardware_concurrency()), static_cast<int>(unique.size() / 64) + 1));
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
        threads.emplace_back([&unique, &parsed, w, workers] {
            for (int i = w; i < unique.size(); i += workers) {
                Parsed& slot = parsed[static_cast<size_t>(i)];
                Result<Revision> revision = AlembicScriptReader::read(unique.at(i), &slot.errors);
                if (revision)
                    slot.revision = std::move(revision).value();
            }
        });
    }
    for (std::thread& t : threads)
        t.join();

    project.revisions.reserve(unique.size());
    for (Parsed& slot : parsed) {
        if (slot.revision)
            project.revisions.append(std::move(*slot.revision));
        else
            errors.append(slot.errors);
    }
    if (!errors.isEmpty()) {
        if (allErrors)
            *allErrors = errors;
        return errors.constFirst();
    }
    return project;
}

} // namespace dbops
