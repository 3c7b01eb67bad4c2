#include "alembic/AlembicIni.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <climits>

namespace dbops {

namespace {

const QString defaultSectionName = QStringLiteral("DEFAULT");
constexpr int maxInterpolationDepth = 10; // configparser's MAX_INTERPOLATION_DEPTH
// Far beyond any real alembic.ini; against values whose references multiply.
constexpr int maxInterpolatedReferences = 10000;
constexpr int maxInterpolatedLength = 1 << 20;

int leadingWhitespace(const QString& line)
{
    int i = 0;
    while (i < line.size() && line.at(i).isSpace())
        ++i;
    return i;
}

} // namespace

Result<AlembicIni> AlembicIni::read(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(
            QStringLiteral("cannot read the Alembic configuration: %1").arg(file.errorString()), path);
    return parse(QString::fromUtf8(file.readAll()), QFileInfo(path).absoluteFilePath());
}

Result<AlembicIni> AlembicIni::parse(const QString& text, const QString& path)
{
    AlembicIni ini;
    ini.m_path = path;
    ini.m_defaults.insert(QStringLiteral("here"), Entry { QString(), 0 });

    QString text2 = text;
    text2.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    const QStringList lines = text2.split(QLatin1Char('\n'));

    Section* section = nullptr;
    QString sectionName;
    QString key; // the option whose value may go on in continuation lines
    QStringList valueLines;
    int indentOfKeyLine = INT_MAX;

    auto finishValue = [&]() {
        if (section && !key.isEmpty()) {
            // configparser joins continuation lines with newlines and drops trailing blank ones.
            QString joined = valueLines.join(QLatin1Char('\n'));
            while (!joined.isEmpty() && joined.back().isSpace())
                joined.chop(1);
            (*section)[key].rawValue = joined;
        }
        key.clear();
        valueLines.clear();
    };

    for (int i = 0; i < lines.size(); ++i) {
        const int lineNumber = i + 1;
        const QString& line = lines.at(i);
        const QString stripped = line.trimmed();
        if (stripped.startsWith(QLatin1Char('#')) || stripped.startsWith(QLatin1Char(';')))
            continue;
        if (stripped.isEmpty()) {
            if (!key.isEmpty())
                valueLines.append(QString()); // empty lines may be part of a value
            continue;
        }
        const int indent = leadingWhitespace(line);
        if (!key.isEmpty() && indent > indentOfKeyLine) {
            valueLines.append(stripped);
            continue;
        }
        finishValue();
        indentOfKeyLine = indent;
        if (stripped.startsWith(QLatin1Char('[')) && stripped.lastIndexOf(QLatin1Char(']')) > 1) {
            sectionName = stripped.mid(1, stripped.lastIndexOf(QLatin1Char(']')) - 1);
            if (sectionName == defaultSectionName) {
                section = &ini.m_defaults;
                continue;
            }
            if (ini.m_sections.contains(sectionName))
                return Error::input(
                    QStringLiteral("section [%1] appears twice").arg(sectionName), path, lineNumber);
            section = &ini.m_sections[sectionName];
            continue;
        }
        if (!section)
            return Error::input(
                QStringLiteral("a setting before the first [section] header"), path, lineNumber);
        static const QRegularExpression option(QStringLiteral("^(.*?)\\s*([=:])\\s*(.*)$"));
        const QRegularExpressionMatch match = option.match(stripped);
        if (!match.hasMatch() || match.captured(1).trimmed().isEmpty())
            return Error::input(QStringLiteral("cannot read this line as 'key = value'"), path, lineNumber);
        const QString name = match.captured(1).trimmed().toLower();
        if (section->contains(name) && !(section == &ini.m_defaults && name == QLatin1String("here")))
            return Error::input(QStringLiteral("'%1' appears twice in section [%2]").arg(name, sectionName),
                path, lineNumber);
        (*section)[name] = Entry { QString(), lineNumber };
        key = name;
        valueLines = QStringList { match.captured(3).trimmed() };
    }
    finishValue();
    if (ini.m_defaults.value(QStringLiteral("here")).line == 0)
        ini.m_defaults[QStringLiteral("here")].rawValue = ini.directory();
    return ini;
}

QString AlembicIni::directory() const
{
    return QFileInfo(m_path).absolutePath();
}

bool AlembicIni::contains(const QString& section, const QString& key) const
{
    const auto found = m_sections.constFind(section);
    return (found != m_sections.constEnd() && found->contains(key.toLower()))
        || m_defaults.contains(key.toLower());
}

int AlembicIni::lineOf(const QString& section, const QString& key) const
{
    const auto found = m_sections.constFind(section);
    if (found != m_sections.constEnd() && found->contains(key.toLower()))
        return found->value(key.toLower()).line;
    return m_defaults.value(key.toLower()).line;
}

Result<QString> AlembicIni::value(const QString& section, const QString& key) const
{
    const QString name = key.toLower();
    const auto found = m_sections.constFind(section);
    Entry entry;
    if (found != m_sections.constEnd() && found->contains(name))
        entry = found->value(name);
    else if (m_defaults.contains(name))
        entry = m_defaults.value(name);
    else
        return Error::input(QStringLiteral("no '%1' in section [%2]").arg(name, section), m_path);
    int references = 0;
    return interpolate(section, entry.rawValue, entry.line, 1, references);
}

// configparser's BasicInterpolation: %(name)s from the same section or
// [DEFAULT], %% for a percent sign, anything else after % is an error.
Result<QString> AlembicIni::interpolate(
    const QString& section, const QString& raw, int line, int depth, int& references) const
{
    if (depth > maxInterpolationDepth)
        return Error::input(
            QStringLiteral("%(name)s interpolation nests deeper than 10 levels"), m_path, line);
    QString result;
    int i = 0;
    while (i < raw.size()) {
        const int percent = static_cast<int>(raw.indexOf(QLatin1Char('%'), i));
        if (percent < 0) {
            result += raw.mid(i);
            break;
        }
        result += raw.mid(i, percent - i);
        if (percent + 1 < raw.size() && raw.at(percent + 1) == QLatin1Char('%')) {
            result += QLatin1Char('%');
            i = percent + 2;
            continue;
        }
        static const QRegularExpression reference(QStringLiteral("\\G%\\(([^)]+)\\)s"));
        const QRegularExpressionMatch match = reference.match(raw, percent);
        if (!match.hasMatch()) {
            return Error::input(
                QStringLiteral("'%' must be followed by '%' or '(name)s', found: '%1'").arg(raw.mid(percent)),
                m_path, line);
        }
        if (++references > maxInterpolatedReferences)
            return Error::input(QStringLiteral("%(name)s interpolation expands more than %1 references")
                                    .arg(maxInterpolatedReferences),
                m_path, line);
        const QString name = match.captured(1).toLower();
        const auto found = m_sections.constFind(section);
        Entry entry;
        if (found != m_sections.constEnd() && found->contains(name))
            entry = found->value(name);
        else if (m_defaults.contains(name))
            entry = m_defaults.value(name);
        else
            return Error::input(
                QStringLiteral("%(%1)s names no setting in [%2] or [DEFAULT]").arg(name, section), m_path,
                line);
        // `here` is a ready path: a directory with a % in its name must not be interpolated again.
        if (name == QLatin1String("here") && entry.line == 0) {
            result += entry.rawValue;
        } else {
            Result<QString> nested = interpolate(section, entry.rawValue, line, depth + 1, references);
            if (!nested)
                return nested.error();
            result += *nested;
        }
        if (result.size() > maxInterpolatedLength)
            return Error::input(
                QStringLiteral("%(name)s interpolation makes a value longer than %1 characters")
                    .arg(maxInterpolatedLength),
                m_path, line);
        i = static_cast<int>(match.capturedEnd(0));
    }
    return result;
}

Error AlembicIni::errorAt(const QString& key, const QString& message) const
{
    return Error::input(message, m_path, lineOf(mainSection(), key));
}

Result<QString> AlembicIni::directoryOf(const QString& key, const QString& value, int line) const
{
    QString path = value.trimmed();
    if (path.isEmpty())
        return Error::input(QStringLiteral("%1 is empty").arg(key), m_path, line);
    if (!QDir::isAbsolutePath(path) && path.contains(QLatin1Char(':'))) {
        return Error::input(
            QStringLiteral("%1 '%2' names a Python package resource (package:dir), which dbops cannot "
                           "read without Python; give the directory instead")
                .arg(key, path),
            m_path, line);
    }
    if (!QDir::isAbsolutePath(path))
        path = directory() + QLatin1Char('/')
            + path; // Alembic uses the working directory; its users run it here
    return QDir::cleanPath(path);
}

Result<QString> AlembicIni::scriptLocation() const
{
    const QString key = QStringLiteral("script_location");
    if (!hasSection(mainSection()))
        return Error::input(QStringLiteral("no [alembic] section"), m_path, 1);
    if (!contains(mainSection(), key))
        return Error::input(QStringLiteral("no script_location in the [alembic] section"), m_path, 1);
    Result<QString> raw = value(mainSection(), key);
    if (!raw)
        return raw.error();
    return directoryOf(key, *raw, lineOf(mainSection(), key));
}

Result<QStringList> AlembicIni::versionLocations() const
{
    const QString key = QStringLiteral("version_locations");
    if (!contains(mainSection(), key))
        return QStringList();
    Result<QString> raw = value(mainSection(), key);
    if (!raw)
        return raw.error();
    if (raw->trimmed().isEmpty())
        return QStringList();

    QStringList parts;
    const QString separatorKey = QStringLiteral("version_path_separator");
    if (!contains(mainSection(), separatorKey)) {
        // Alembic's legacy behaviour: spaces and commas separate.
        static const QRegularExpression legacy(QStringLiteral(",\\s*|\\s+"));
        parts = raw->split(legacy);
    } else {
        Result<QString> separator = value(mainSection(), separatorKey);
        if (!separator)
            return separator.error();
        const QString s = separator->trimmed();
        QString splitOn;
        if (s == QLatin1String("os") || s == QLatin1String(":"))
            splitOn = QStringLiteral(":"); // os.pathsep on the systems dbops runs on
        else if (s == QLatin1String("space"))
            splitOn = QStringLiteral(" ");
        else if (s == QLatin1String(";"))
            splitOn = QStringLiteral(";");
        else if (s == QLatin1String("newline"))
            splitOn = QStringLiteral("\n");
        else
            return errorAt(separatorKey,
                QStringLiteral(
                    "'%1' is not a valid value for version_path_separator; expected 'os', 'space', "
                    "'newline', ':' or ';'")
                    .arg(s));
        parts = raw->split(splitOn);
    }

    QStringList locations;
    const int line = lineOf(mainSection(), key);
    for (const QString& part : std::as_const(parts)) {
        if (part.trimmed().isEmpty())
            continue;
        Result<QString> directory = directoryOf(key, part, line);
        if (!directory)
            return directory.error();
        locations.append(*directory);
    }
    return locations;
}

Result<bool> AlembicIni::recursiveVersionLocations() const
{
    const QString key = QStringLiteral("recursive_version_locations");
    if (!contains(mainSection(), key))
        return false;
    Result<QString> raw = value(mainSection(), key);
    if (!raw)
        return raw.error();
    const QString v = raw->trimmed().toLower();
    if (v == QLatin1String("true") || v == QLatin1String("yes") || v == QLatin1String("on")
        || v == QLatin1String("1"))
        return true;
    if (v == QLatin1String("false") || v == QLatin1String("no") || v == QLatin1String("off")
        || v == QLatin1String("0") || v.isEmpty())
        return false;
    return errorAt(
        key, QStringLiteral("recursive_version_locations is '%1'; expected true or false").arg(*raw));
}

} // namespace dbops
