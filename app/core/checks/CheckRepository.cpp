#include "checks/CheckRepository.h"

#include "checks/CheckFileParser.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>

namespace dbops {

namespace {

QStringList sqlFilesIn(const QString& directory)
{
    QStringList files;
    const QFileInfoList entries
        = QDir(directory).entryInfoList({ QStringLiteral("*.sql") }, QDir::Files, QDir::Name);
    for (const QFileInfo& entry : entries)
        files.append(entry.filePath());
    return files;
}

// Names must be unique: `dbops fix NAME` and the check table refer to them.
template<typename Definition>
void reportDuplicates(const QList<Definition>& definitions, const QString& kind, ErrorList* errors)
{
    QHash<QString, const Definition*> seen;
    for (const Definition& d : definitions) {
        if (const Definition* first = seen.value(d.name)) {
            errors->append(Error::input(QStringLiteral("duplicate %1 name '%2' (first in %3:%4)")
                                            .arg(kind, d.name, first->filePath)
                                            .arg(first->nameLine),
                d.filePath, d.nameLine));
            continue;
        }
        seen.insert(d.name, &d);
    }
}

} // namespace

Result<CheckRepository> CheckRepository::load(const QString& directory, ErrorList* allErrors)
{
    QString root = QDir::cleanPath(directory);
    if (QFileInfo(root).fileName() == QLatin1String("versions")
        && !QFileInfo::exists(root + QStringLiteral("/versions")))
        root = QFileInfo(root).absolutePath();
    if (!QFileInfo(root).isDir())
        return Error::io(QStringLiteral("migration repository not found"), root);

    CheckRepository repository;
    repository.m_directory = root;
    ErrorList errors;
    const QStringList checkFiles = sqlFilesIn(root + QStringLiteral("/checks"));
    for (const QString& file : checkFiles) {
        Result<CheckDefinition> check = CheckFileParser::parseCheckFile(file);
        if (check)
            repository.m_checks.append(std::move(check).value());
        else
            errors.append(check.error());
    }
    const QStringList fixFiles = sqlFilesIn(root + QStringLiteral("/fixes"));
    for (const QString& file : fixFiles) {
        Result<FixDefinition> fix = CheckFileParser::parseFixFile(file);
        if (fix)
            repository.m_fixes.append(std::move(fix).value());
        else
            errors.append(fix.error());
    }
    reportDuplicates(repository.m_checks, QStringLiteral("check"), &errors);
    reportDuplicates(repository.m_fixes, QStringLiteral("fix"), &errors);
    for (const FixDefinition& fix : std::as_const(repository.m_fixes)) {
        if (!repository.check(fix.repairs))
            errors.append(Error::input(
                QStringLiteral("fix '%1' repairs '%2', but there is no check of that name in %3/checks")
                    .arg(fix.name, fix.repairs, root),
                fix.filePath, fix.repairsLine));
    }
    if (!errors.isEmpty()) {
        if (allErrors)
            *allErrors = errors;
        return errors.constFirst();
    }
    return repository;
}

const CheckDefinition* CheckRepository::check(const QString& name) const
{
    for (const CheckDefinition& c : m_checks) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

const FixDefinition* CheckRepository::fix(const QString& name) const
{
    for (const FixDefinition& f : m_fixes) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

QStringList CheckRepository::fixNames() const
{
    QStringList names;
    for (const FixDefinition& f : m_fixes)
        names.append(f.name);
    return names;
}

} // namespace dbops
