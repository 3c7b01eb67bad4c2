#include "lint/LintConfig.h"

#include "common/Utf8.h"
#include "lint/LintRules.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace dbops {

Result<LintConfig> LintConfig::forRepository(const QString& directory)
{
    QString path = QDir(directory).filePath(QStringLiteral("lint.conf"));
    if (!QFileInfo::exists(path) && QDir(directory).dirName() == QLatin1String("versions"))
        path = QDir(directory).filePath(QStringLiteral("../lint.conf"));
    if (!QFileInfo::exists(path))
        return LintConfig();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()), path);
    Result<LintConfig> config = parse(QString::fromUtf8(file.readAll()), QDir::cleanPath(path));
    return config;
}

Result<LintConfig> LintConfig::parse(const QString& text, const QString& fileName)
{
    LintConfig config;
    config.m_fileName = fileName;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).section(QLatin1Char('#'), 0, 0).trimmed();
        if (line.isEmpty())
            continue;
        const int equals = static_cast<int>(line.indexOf(QLatin1Char('=')));
        if (equals < 0)
            return Error::input(
                QStringLiteral("expected 'rule = error|warning|off', got '%1'").arg(line), fileName, i + 1);
        const QString rule = line.left(equals).trimmed();
        const LintRule* known = LintRules::find(rule);
        if (!known)
            return Error::input(
                QStringLiteral("unknown lint rule '%1' (dbops lint --rules lists them)").arg(rule), fileName,
                i + 1);
        LintSeverity severity;
        if (!lintSeverityFromName(line.mid(equals + 1), &severity))
            return Error::input(QStringLiteral("unknown severity '%1' for %2: write error, warning or off")
                                    .arg(line.mid(equals + 1).trimmed(), rule),
                fileName, i + 1);
        config.m_severities.insert(known->id, severity);
    }
    return config;
}

LintSeverity LintConfig::severity(const QString& rule) const
{
    const auto it = m_severities.constFind(rule);
    if (it != m_severities.constEnd())
        return *it;
    const LintRule* known = LintRules::find(rule);
    return known ? known->defaultSeverity : LintSeverity::Error;
}

} // namespace dbops
