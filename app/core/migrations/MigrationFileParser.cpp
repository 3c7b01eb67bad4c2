#include "migrations/MigrationFileParser.h"

#include "sql/SqlParser.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace dbops {

namespace {

const QStringList& reservedWords()
{
    static const QStringList words = { QStringLiteral("base"), QStringLiteral("head"), QStringLiteral("heads"),
        QStringLiteral("none"), QStringLiteral("current") };
    return words;
}

QStringList splitList(const QString& value)
{
    QStringList items;
    const QStringList parts = value.split(QLatin1Char(','));
    for (const QString& part : parts) {
        const QString item = part.trimmed();
        if (!item.isEmpty())
            items.append(item);
    }
    return items;
}

struct SectionText
{
    int markerLine = 0;
    int firstLine = 0;
    int startOffset = 0;
    int endOffset = 0;
};

} // namespace

bool MigrationFileParser::isValidRevisionId(const QString& id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_]{1,32}$"));
    return pattern.match(id).hasMatch() && !reservedWords().contains(id.toLower());
}

bool MigrationFileParser::isValidBranchLabel(const QString& label)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_.]{1,64}$"));
    return pattern.match(label).hasMatch() && !reservedWords().contains(label.toLower());
}

Result<Revision> MigrationFileParser::parseFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read migration file: %1").arg(file.errorString()), path);
    const QByteArray bytes = file.readAll();
    return parseText(QString::fromUtf8(bytes), path);
}

Result<Revision> MigrationFileParser::parseText(const QString& text, const QString& path)
{
    static const QRegularExpression headerPattern(QStringLiteral("^--\\s*([A-Za-z_][A-Za-z0-9_-]*)\\s*:\\s*(.*?)\\s*$"));
    static const QRegularExpression markerPattern(QStringLiteral("^--\\s*\\+(\\w+)\\s*$"));

    Revision revision;
    revision.filePath = path;
    QSet<QString> seenKeys;
    bool inHeader = true;
    SectionText upgrade;
    SectionText downgrade;
    SectionText* current = nullptr;

    int offset = 0;
    int lineNumber = 0;
    int firstStrayLine = 0;
    int firstStrayOffset = 0;
    int firstMarkerOffset = -1;
    const int size = static_cast<int>(text.size());
    while (offset <= size) {
        int end = static_cast<int>(text.indexOf(QLatin1Char('\n'), offset));
        if (end < 0)
            end = size;
        ++lineNumber;
        QString line = text.mid(offset, end - offset);
        if (lineNumber == 1 && line.startsWith(QChar(0xFEFF)))
            line.remove(0, 1); // a byte order mark, as some Windows editors write
        line = line.trimmed();

        const QRegularExpressionMatch marker = markerPattern.match(line);
        if (marker.hasMatch()) {
            inHeader = false;
            const QString name = marker.captured(1);
            SectionText* section = nullptr;
            if (name == QLatin1String("upgrade"))
                section = &upgrade;
            else if (name == QLatin1String("downgrade"))
                section = &downgrade;
            else
                return Error::input(QStringLiteral("unknown section marker '-- +%1' (expected '-- +upgrade' or '-- +downgrade')")
                                        .arg(name),
                    path, lineNumber);
            if (section->markerLine != 0)
                return Error::input(QStringLiteral("duplicate section '-- +%1' (first at line %2)")
                                        .arg(name)
                                        .arg(section->markerLine),
                    path, lineNumber);
            if (current)
                current->endOffset = offset;
            if (firstMarkerOffset < 0)
                firstMarkerOffset = offset;
            section->markerLine = lineNumber;
            section->firstLine = lineNumber + 1;
            section->startOffset = std::min(end + 1, size);
            current = section;
        } else if (inHeader) {
            const QRegularExpressionMatch header = headerPattern.match(line);
            if (header.hasMatch()) {
                const QString key = header.captured(1).toLower();
                const QString value = header.captured(2);
                if (seenKeys.contains(key))
                    return Error::input(QStringLiteral("duplicate header '%1'").arg(key), path, lineNumber);
                seenKeys.insert(key);
                if (key == QLatin1String("revision")) {
                    if (!isValidRevisionId(value))
                        return Error::input(QStringLiteral("bad revision id '%1': use letters, digits and '_' "
                                                           "(at most 32), for example 12 hex digits")
                                                .arg(value),
                            path, lineNumber);
                    revision.id = value;
                    revision.revisionLine = lineNumber;
                } else if (key == QLatin1String("down_revision")) {
                    revision.downRevisionLine = lineNumber;
                    if (value.compare(QLatin1String("none"), Qt::CaseInsensitive) != 0) {
                        revision.downRevisions = splitList(value);
                        if (revision.downRevisions.isEmpty())
                            return Error::input(QStringLiteral("empty down_revision: write 'none' for a base revision"),
                                path, lineNumber);
                        for (const QString& id : std::as_const(revision.downRevisions)) {
                            if (!isValidRevisionId(id))
                                return Error::input(QStringLiteral("bad revision id '%1' in down_revision").arg(id), path,
                                    lineNumber);
                        }
                        if (QSet<QString>(revision.downRevisions.begin(), revision.downRevisions.end()).size()
                            != revision.downRevisions.size())
                            return Error::input(QStringLiteral("down_revision names a revision twice"), path, lineNumber);
                    }
                } else if (key == QLatin1String("message")) {
                    revision.message = value;
                } else if (key == QLatin1String("create_date")) {
                    revision.createDate = value;
                } else if (key == QLatin1String("branch_labels")) {
                    revision.branchLabels = splitList(value);
                    revision.labelsLine = lineNumber;
                    for (const QString& label : std::as_const(revision.branchLabels)) {
                        if (!isValidBranchLabel(label))
                            return Error::input(QStringLiteral("bad branch label '%1'").arg(label), path, lineNumber);
                    }
                } else if (key == QLatin1String("depends_on")) {
                    revision.dependsOn = splitList(value);
                    revision.dependsOnLine = lineNumber;
                } else if (key == QLatin1String("transactional")) {
                    const QString v = value.toLower();
                    if (v != QLatin1String("true") && v != QLatin1String("false"))
                        return Error::input(QStringLiteral("transactional must be 'true' or 'false', not '%1'").arg(value),
                            path, lineNumber);
                    revision.transactional = v == QLatin1String("true");
                    revision.transactionalLine = lineNumber;
                } else {
                    return Error::input(QStringLiteral("unknown header '%1' (known: revision, down_revision, message, "
                                                       "create_date, branch_labels, depends_on, transactional)")
                                            .arg(key),
                        path, lineNumber);
                }
            } else if (!line.isEmpty() && !line.startsWith(QLatin1String("--"))) {
                inHeader = false;
                if (!firstStrayLine) {
                    firstStrayLine = lineNumber;
                    firstStrayOffset = offset;
                }
            } else if (line.isEmpty() && !seenKeys.isEmpty()) {
                inHeader = false;
            }
        } else if (!current && !line.isEmpty() && !line.startsWith(QLatin1String("--")) && !firstStrayLine) {
            firstStrayLine = lineNumber;
            firstStrayOffset = offset;
        }
        offset = end + 1;
    }
    if (current)
        current->endOffset = size;
    // The loop also counted the empty piece after a final newline.
    const int lastLine = text.endsWith(QLatin1Char('\n')) ? lineNumber - 1 : lineNumber;

    if (revision.id.isEmpty())
        return Error::input(QStringLiteral("missing header '-- revision: <id>'"), path, 1);
    if (!seenKeys.contains(QStringLiteral("down_revision")))
        return Error::input(QStringLiteral("missing header '-- down_revision: <id>' (write 'none' for a base revision)"),
            path, 1);
    if (!seenKeys.contains(QStringLiteral("message")))
        return Error::input(QStringLiteral("missing header '-- message: <text>'"), path, 1);
    if (firstStrayLine) {
        // Text before the first section is an error unless it is only comments
        // (a /* ... */ block describing the revision is fine).
        const int strayEnd = firstMarkerOffset > firstStrayOffset ? firstMarkerOffset : size;
        const QString stray = text.mid(firstStrayOffset, strayEnd - firstStrayOffset);
        const SqlTokenList tokens = SqlParser::scan(stray);
        const auto sql = std::find_if(tokens.begin(), tokens.end(),
            [](const SqlToken& token) { return token.kind != SqlTokenKind::Comment; });
        firstStrayLine = sql == tokens.end()
            ? 0
            : firstStrayLine + static_cast<int>(stray.left(sql->start).count(QLatin1Char('\n')));
    }
    if (firstStrayLine)
        return Error::input(QStringLiteral("SQL outside a section: put statements after '-- +upgrade' or '-- +downgrade'"),
            path, firstStrayLine);
    if (!upgrade.markerLine && !downgrade.markerLine)
        return Error::input(QStringLiteral("both sections are missing: add '-- +upgrade' and '-- +downgrade'"), path,
            lastLine);
    if (!upgrade.markerLine)
        return Error::input(QStringLiteral("missing '-- +upgrade' section"), path, downgrade.markerLine);

    auto load = [&](const SectionText& section, MigrationSection* out) -> std::optional<Error> {
        if (!section.markerLine)
            return std::nullopt;
        out->present = true;
        out->markerLine = section.markerLine;
        Result<SqlStatementList> statements
            = SqlParser::split(text.mid(section.startOffset, section.endOffset - section.startOffset), path,
                section.firstLine);
        if (!statements)
            return statements.error();
        out->statements = std::move(statements).value();
        return std::nullopt;
    };
    if (auto error = load(upgrade, &revision.upgrade))
        return *error;
    if (auto error = load(downgrade, &revision.downgrade))
        return *error;
    if (revision.upgrade.statements.isEmpty() && !revision.isMerge())
        return Error::input(QStringLiteral("empty upgrade section: a revision must change something "
                                           "(only a merge revision may be empty)"),
            path, upgrade.markerLine);
    // Statement offsets are relative to their section; make them file offsets.
    for (SqlStatement& s : revision.upgrade.statements)
        s.offset += upgrade.startOffset;
    for (SqlStatement& s : revision.downgrade.statements)
        s.offset += downgrade.startOffset;
    return revision;
}

} // namespace dbops
