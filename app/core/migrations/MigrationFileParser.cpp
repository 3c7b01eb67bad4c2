#include "migrations/MigrationFileParser.h"

#include "common/Utf8.h"
#include "sql/SqlParser.h"

#include <QFile>
#include <QSet>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace dbops {

namespace {

const char* const kReservedWords[] = { "base", "head", "heads", "none", "current" };

bool isReservedWord(const QString& word)
{
    if (word.size() < 4 || word.size() > 7) // the lengths of the reserved words; most ids are 12 long
        return false;
    for (const char* reserved : kReservedWords) {
        if (word.compare(QLatin1String(reserved), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isAsciiLetter(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
        || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'));
}

bool isAsciiDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

// 1 to `maxLength` characters, each an ASCII letter, a digit, '_' or one of `extra`.
bool isPlainName(const QString& name, int maxLength, QLatin1String extra)
{
    if (name.isEmpty() || name.size() > maxLength)
        return false;
    for (QChar c : name) {
        if (!isAsciiLetter(c) && !isAsciiDigit(c) && c != QLatin1Char('_') && !extra.contains(c))
            return false;
    }
    return true;
}

QStringList splitList(const QString& value)
{
    if (!value.contains(QLatin1Char(','))) // the usual single parent
        return value.isEmpty() ? QStringList() : QStringList { value };
    QStringList items;
    const QStringList parts = value.split(QLatin1Char(','));
    for (const QString& part : parts) {
        const QString item = part.trimmed();
        if (!item.isEmpty())
            items.append(item);
    }
    return items;
}

// Every line is matched here, so plain character tests rather than regular
// expressions (they were a seventh of loading a large repository).  `line` is
// trimmed.

bool isCommentLine(QStringView line)
{
    return line.size() >= 2 && line[0] == QLatin1Char('-') && line[1] == QLatin1Char('-');
}

qsizetype skipSpaces(QStringView line, qsizetype i)
{
    while (i < line.size() && line[i].isSpace())
        ++i;
    return i;
}

// `-- +name` (name: word characters): the name, else an empty view.
QStringView sectionMarker(QStringView line)
{
    if (!isCommentLine(line))
        return {};
    const qsizetype plus = skipSpaces(line, 2);
    if (plus >= line.size() || line[plus] != QLatin1Char('+'))
        return {};
    const QStringView name = line.mid(plus + 1);
    for (QChar c : name) {
        if (!c.isLetterOrNumber() && !c.isMark() && c != QLatin1Char('_'))
            return {};
    }
    return name;
}

// `-- key: value` (key: a letter or '_', then letters, digits, '_', '-').
bool headerLine(QStringView line, QStringView* key, QStringView* value)
{
    if (!isCommentLine(line))
        return false;
    qsizetype i = skipSpaces(line, 2);
    const qsizetype keyStart = i;
    if (i >= line.size() || !(isAsciiLetter(line[i]) || line[i] == QLatin1Char('_')))
        return false;
    ++i;
    while (i < line.size()
        && (isAsciiLetter(line[i]) || isAsciiDigit(line[i]) || line[i] == QLatin1Char('_')
            || line[i] == QLatin1Char('-')))
        ++i;
    const qsizetype keyEnd = i;
    i = skipSpaces(line, i);
    if (i >= line.size() || line[i] != QLatin1Char(':'))
        return false;
    *key = line.mid(keyStart, keyEnd - keyStart);
    *value = line.mid(i + 1).trimmed();
    return true;
}

enum HeaderKey : unsigned
{
    RevisionKey = 1u << 0,
    DownRevisionKey = 1u << 1,
    MessageKey = 1u << 2,
    CreateDateKey = 1u << 3,
    BranchLabelsKey = 1u << 4,
    DependsOnKey = 1u << 5,
    TransactionalKey = 1u << 6,
};

// ASCII case-insensitive: `key` as written, `name` in lower case.
bool sameKey(QStringView key, const char* name)
{
    qsizetype i = 0;
    for (; i < key.size() && name[i]; ++i) {
        const char16_t c = key[i].unicode();
        if ((c >= u'A' && c <= u'Z' ? c + (u'a' - u'A') : c) != static_cast<char16_t>(name[i]))
            return false;
    }
    return i == key.size() && !name[i];
}

unsigned headerKey(QStringView key)
{
    static const struct
    {
        const char* name;
        HeaderKey key;
    } keys[] = { { "revision", RevisionKey }, { "down_revision", DownRevisionKey }, { "message", MessageKey },
        { "create_date", CreateDateKey }, { "branch_labels", BranchLabelsKey },
        { "depends_on", DependsOnKey }, { "transactional", TransactionalKey } };
    for (const auto& known : keys) {
        if (sameKey(key, known.name))
            return known.key;
    }
    return 0;
}

struct SectionText
{
    int markerLine = 0;
    int firstLine = 0;
    int startOffset = 0;
    int endOffset = 0;
    // The first line that is neither blank nor a `--` comment, if any: without
    // one the section surely holds no statement.
    bool hasContent = false;
    bool contentMayBeComment = false; ///< that line starts with "/*" or ";"
};

Error emptyUpgradeError(const QString& path, int markerLine)
{
    return Error::input(QStringLiteral("empty upgrade section: a revision must change something "
                                       "(only a merge revision may be empty)"),
        path, markerLine);
}

// Depth::GraphOnly: is the upgrade section empty, short of splitting it?  Only
// a section whose first content line opens with a block comment or ';' needs
// the splitter; if that fails, the SQL stage reports why.
bool upgradeIsSurelyEmpty(const QString& text, const SectionText& section, const QString& path)
{
    if (!section.hasContent)
        return true;
    if (!section.contentMayBeComment)
        return false;
    const Result<SqlStatementList> statements = SqlParser::split(
        text.mid(section.startOffset, section.endOffset - section.startOffset), path, section.firstLine);
    return statements && statements->isEmpty();
}

} // namespace

bool MigrationFileParser::isValidRevisionId(const QString& id)
{
    return isPlainName(id, 32, QLatin1String("")) && !isReservedWord(id);
}

bool MigrationFileParser::isValidBranchLabel(const QString& label)
{
    return isPlainName(label, 64, QLatin1String(".")) && !isReservedWord(label);
}

Result<Revision> MigrationFileParser::parseFile(const QString& path, Depth depth)
{
    // Plain open()/read(): QFile adds a stat() and a buffer per file, which
    // shows on a repository of 100,000 revisions.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error::io(QStringLiteral("cannot read migration file: %1")
                             .arg(QString::fromLocal8Bit(std::strerror(errno))),
            path);
    QByteArray bytes;
    char buffer[16384];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got > 0) {
            bytes.append(buffer, static_cast<int>(got));
        } else if (got == 0 || errno != EINTR) {
            if (got < 0) {
                const int readError = errno;
                ::close(fd);
                return Error::io(QStringLiteral("cannot read migration file: %1")
                                     .arg(QString::fromLocal8Bit(std::strerror(readError))),
                    path);
            }
            break;
        }
    }
    ::close(fd);
    Result<QString> text = decodeUtf8File(bytes, path);
    if (!text)
        return text.error();
    Result<Revision> revision = parseText(text.value(), path, depth);
    // A graph-only revision read from a file does not keep the file's text
    // (on 100,000 revisions that is most of the memory): splitSql() reads
    // the file again.
    if (revision && depth == Depth::GraphOnly)
        revision.value().fileText = QString();
    return revision;
}

Result<Revision> MigrationFileParser::parseText(const QString& text, const QString& path, Depth depth)
{
    Revision revision;
    revision.filePath = path;
    unsigned seenKeys = 0;
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
    const QStringView whole(text);
    while (offset <= size) {
        int end = static_cast<int>(text.indexOf(QLatin1Char('\n'), offset));
        if (end < 0)
            end = size;
        ++lineNumber;
        QStringView line = whole.mid(offset, end - offset);
        if (lineNumber == 1 && line.startsWith(QChar(0xFEFF)))
            line = line.mid(1); // a byte order mark, as some Windows editors write
        line = line.trimmed();

        if (const QStringView marker = sectionMarker(line); !marker.isEmpty()) {
            inHeader = false;
            const QString name = marker.toString();
            SectionText* section = nullptr;
            if (name == QLatin1String("upgrade"))
                section = &upgrade;
            else if (name == QLatin1String("downgrade"))
                section = &downgrade;
            else
                return Error::input(
                    QStringLiteral(
                        "unknown section marker '-- +%1' (expected '-- +upgrade' or '-- +downgrade')")
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
            QStringView keyView;
            QStringView valueView;
            if (headerLine(line, &keyView, &valueView)) {
                const unsigned known = headerKey(keyView);
                const QString value = valueView.toString();
                if (seenKeys & known) {
                    const QString key = keyView.toString().toLower();
                    return Error::input(QStringLiteral("duplicate header '%1'").arg(key), path, lineNumber);
                }
                seenKeys |= known;
                if (known == RevisionKey) {
                    if (!isValidRevisionId(value))
                        return Error::input(
                            QStringLiteral("bad revision id '%1': use letters, digits and '_' "
                                           "(at most 32), for example 12 hex digits")
                                .arg(value),
                            path, lineNumber);
                    revision.id = value;
                    revision.revisionLine = lineNumber;
                } else if (known == DownRevisionKey) {
                    revision.downRevisionLine = lineNumber;
                    if (value.compare(QLatin1String("none"), Qt::CaseInsensitive) != 0) {
                        revision.downRevisions = splitList(value);
                        if (revision.downRevisions.isEmpty())
                            return Error::input(
                                QStringLiteral("empty down_revision: write 'none' for a base revision"), path,
                                lineNumber);
                        for (const QString& id : std::as_const(revision.downRevisions)) {
                            if (!isValidRevisionId(id))
                                return Error::input(
                                    QStringLiteral("bad revision id '%1' in down_revision").arg(id), path,
                                    lineNumber);
                        }
                        if (revision.downRevisions.size() > 1
                            && QSet<QString>(revision.downRevisions.begin(), revision.downRevisions.end())
                                    .size()
                                != revision.downRevisions.size())
                            return Error::input(
                                QStringLiteral("down_revision names a revision twice"), path, lineNumber);
                    }
                } else if (known == MessageKey) {
                    revision.message = value;
                } else if (known == CreateDateKey) {
                    revision.createDate = value;
                } else if (known == BranchLabelsKey) {
                    revision.branchLabels = splitList(value);
                    revision.labelsLine = lineNumber;
                    for (const QString& label : std::as_const(revision.branchLabels)) {
                        if (!isValidBranchLabel(label))
                            return Error::input(
                                QStringLiteral("bad branch label '%1'").arg(label), path, lineNumber);
                    }
                } else if (known == DependsOnKey) {
                    revision.dependsOn = splitList(value);
                    revision.dependsOnLine = lineNumber;
                } else if (known == TransactionalKey) {
                    const QString v = value.toLower();
                    if (v != QLatin1String("true") && v != QLatin1String("false"))
                        return Error::input(
                            QStringLiteral("transactional must be 'true' or 'false', not '%1'").arg(value),
                            path, lineNumber);
                    revision.transactional = v == QLatin1String("true");
                    revision.transactionalLine = lineNumber;
                } else {
                    return Error::input(
                        QStringLiteral("unknown header '%1' (known: revision, down_revision, message, "
                                       "create_date, branch_labels, depends_on, transactional)")
                            .arg(keyView.toString().toLower()),
                        path, lineNumber);
                }
            } else if (!line.isEmpty() && !isCommentLine(line)) {
                inHeader = false;
                if (!firstStrayLine) {
                    firstStrayLine = lineNumber;
                    firstStrayOffset = offset;
                }
            } else if (line.isEmpty() && seenKeys != 0) {
                inHeader = false;
            }
        } else if (!line.isEmpty() && !isCommentLine(line)) {
            if (!current) {
                if (!firstStrayLine) {
                    firstStrayLine = lineNumber;
                    firstStrayOffset = offset;
                }
            } else if (!current->hasContent) {
                current->hasContent = true;
                current->contentMayBeComment
                    = line.startsWith(QLatin1String("/*")) || line.startsWith(QLatin1Char(';'));
            }
        }
        offset = end + 1;
    }
    if (current)
        current->endOffset = size;
    // The loop also counted the empty piece after a final newline.
    const int lastLine = text.endsWith(QLatin1Char('\n')) ? lineNumber - 1 : lineNumber;

    if (revision.id.isEmpty())
        return Error::input(QStringLiteral("missing header '-- revision: <id>'"), path, 1);
    if (!(seenKeys & DownRevisionKey))
        return Error::input(
            QStringLiteral("missing header '-- down_revision: <id>' (write 'none' for a base revision)"),
            path, 1);
    if (!(seenKeys & MessageKey))
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
        return Error::input(
            QStringLiteral("SQL outside a section: put statements after '-- +upgrade' or '-- +downgrade'"),
            path, firstStrayLine);
    if (!upgrade.markerLine && !downgrade.markerLine)
        return Error::input(
            QStringLiteral("both sections are missing: add '-- +upgrade' and '-- +downgrade'"), path,
            lastLine);
    if (!upgrade.markerLine)
        return Error::input(QStringLiteral("missing '-- +upgrade' section"), path, downgrade.markerLine);

    auto place = [](const SectionText& section, MigrationSection* out) {
        out->present = section.markerLine != 0;
        out->markerLine = section.markerLine;
        out->firstLine = section.firstLine;
        out->startOffset = section.startOffset;
        out->endOffset = section.endOffset;
    };
    place(upgrade, &revision.upgrade);
    place(downgrade, &revision.downgrade);
    revision.fileText = text;
    if (depth == Depth::Full) {
        if (Result<bool> split = splitSql(revision); !split)
            return split.error();
    } else if (!revision.isMerge() && upgradeIsSurelyEmpty(text, upgrade, path)) {
        return emptyUpgradeError(path, upgrade.markerLine);
    }
    return revision;
}

Result<bool> MigrationFileParser::splitSql(Revision& revision)
{
    if (revision.sqlLoaded)
        return true;
    if (revision.fileText.isEmpty())
        return splitFromFile(revision);
    const QString& text = revision.fileText;
    auto split = [&](const MigrationSection& section) -> Result<SqlStatementList> {
        if (!section.present)
            return SqlStatementList();
        Result<SqlStatementList> statements
            = SqlParser::split(text.mid(section.startOffset, section.endOffset - section.startOffset),
                revision.filePath, section.firstLine);
        if (!statements)
            return statements.error();
        // Statement offsets are relative to their section; make them file offsets.
        for (SqlStatement& s : statements.value())
            s.offset += section.startOffset;
        return statements;
    };
    Result<SqlStatementList> upgrade = split(revision.upgrade);
    if (!upgrade)
        return upgrade.error();
    Result<SqlStatementList> downgrade = split(revision.downgrade);
    if (!downgrade)
        return downgrade.error();
    if (upgrade->isEmpty() && !revision.isMerge())
        return emptyUpgradeError(revision.filePath, revision.upgrade.markerLine);
    revision.upgrade.statements = std::move(upgrade).value();
    revision.downgrade.statements = std::move(downgrade).value();
    revision.fileText.clear();
    revision.sqlLoaded = true;
    return true;
}

Result<bool> MigrationFileParser::splitFromFile(Revision& revision)
{
    Result<Revision> reread = parseFile(revision.filePath, Depth::Full);
    if (!reread)
        return reread.error();
    const Revision& now = reread.value();
    // The graph was built from what the file said then; SQL from a file whose
    // headers changed since would not belong to that graph.
    if (now.id != revision.id || now.downRevisions != revision.downRevisions
        || now.dependsOn != revision.dependsOn || now.branchLabels != revision.branchLabels
        || now.transactional != revision.transactional)
        return Error::input(
            QStringLiteral("the file's headers changed while dbops was reading the repository; "
                           "run the command again"),
            revision.filePath, revision.revisionLine);
    revision.upgrade = now.upgrade;
    revision.downgrade = now.downgrade;
    revision.sqlLoaded = true;
    return true;
}

} // namespace dbops
