#include "checks/CheckFileParser.h"

#include "checks/SideEffectFunctions.h"
#include "common/Utf8.h"
#include "sql/SqlParser.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>

namespace dbops {

namespace {

struct Header
{
    QString key;
    QString value;
    int line = 0;
};

// One line of a file, with where it starts in the text.
struct Line
{
    QString text; ///< trimmed
    int number = 0; ///< 1-based
    int offset = 0; ///< of its first character
    int endOffset = 0; ///< of the character after it (the '\n' or the end)
};

QList<Line> linesOf(const QString& text)
{
    QList<Line> lines;
    int offset = 0;
    int number = 0;
    const int size = static_cast<int>(text.size());
    while (offset <= size) {
        int end = static_cast<int>(text.indexOf(QLatin1Char('\n'), offset));
        if (end < 0)
            end = size;
        lines.append(Line { text.mid(offset, end - offset).trimmed(), ++number, offset, end });
        offset = end + 1;
    }
    return lines;
}

// The leading `-- key: value` lines.  The header ends at the first blank line
// after a key, at SQL, or at a section marker; `bodyIndex` is the first line after it.
Result<QList<Header>> readHeader(
    const QList<Line>& lines, const QStringList& knownKeys, const QString& path, int* bodyIndex)
{
    static const QRegularExpression headerPattern(
        QStringLiteral("^--\\s*([A-Za-z_][A-Za-z0-9_-]*)\\s*:\\s*(.*?)\\s*$"));
    static const QRegularExpression markerPattern(QStringLiteral("^--\\s*\\+\\w+\\s*$"));
    QList<Header> headers;
    QSet<QString> seen;
    int i = 0;
    for (; i < lines.size(); ++i) {
        const Line& line = lines.at(i);
        if (markerPattern.match(line.text).hasMatch())
            break;
        if (line.text.isEmpty()) {
            if (!headers.isEmpty())
                break;
            continue;
        }
        if (!line.text.startsWith(QLatin1String("--")))
            break;
        const QRegularExpressionMatch match = headerPattern.match(line.text);
        if (!match.hasMatch())
            continue; // a plain comment
        const QString key = match.captured(1).toLower();
        if (!knownKeys.contains(key))
            return Error::input(QStringLiteral("unknown header '%1' (known: %2)")
                                    .arg(key, knownKeys.join(QStringLiteral(", "))),
                path, line.number);
        if (seen.contains(key))
            return Error::input(QStringLiteral("duplicate header '%1'").arg(key), path, line.number);
        seen.insert(key);
        headers.append(Header { key, match.captured(2), line.number });
    }
    *bodyIndex = i;
    return headers;
}

// Splits `text` from `startOffset` to `endOffset` into statements whose lines
// and offsets are file positions, and runs each through PostgreSQL's parser.
Result<SqlStatementList> statementsOf(
    const QString& text, int startOffset, int endOffset, int firstLine, const QString& path)
{
    Result<SqlStatementList> split
        = SqlParser::split(text.mid(startOffset, endOffset - startOffset), path, firstLine);
    if (!split)
        return split.error();
    SqlStatementList statements = std::move(split).value();
    for (SqlStatement& statement : statements) {
        statement.offset += startOffset;
        if (const auto syntax = SqlParser::checkSyntax(statement.text)) {
            int line = 0;
            int column = 0;
            statement.locate(syntax->offset + 1, &line, &column);
            return Error::input(syntax->message, path, line, column);
        }
    }
    return statements;
}

// Checks and postconditions are read with the guarantee that they only read:
// the parse tree must be a query that calls none of the functions a READ
// ONLY transaction lets through (pg_terminate_backend ...).  The server's
// READ ONLY transaction backs this up for what a parse tree cannot show
// (functions of the user's that write, CTEs that write).
std::optional<Error> requireQuery(const SqlStatement& statement, const QString& what, const QString& path)
{
    const StatementTraits traits = SqlParser::classify(statement.text);
    if (traits.nodeType != QLatin1String("SelectStmt"))
        return Error::input(
            QStringLiteral("%1 must be a query (SELECT, WITH ... SELECT, VALUES), not %2")
                .arg(what, traits.description.isEmpty() ? traits.nodeType : traits.description),
            path, statement.line, statement.column);
    return SideEffectFunctions::refuse(statement, what, path);
}

QString headerValue(const QList<Header>& headers, const QString& key, int* line = nullptr)
{
    for (const Header& h : headers) {
        if (h.key == key) {
            if (line)
                *line = h.line;
            return h.value;
        }
    }
    return {};
}

Result<QString> readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read: %1").arg(file.errorString()), path);
    return decodeUtf8File(file.readAll(), path);
}

} // namespace

bool CheckFileParser::isValidName(const QString& name)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9_-]{0,63}$"));
    return pattern.match(name).hasMatch();
}

Result<CheckDefinition> CheckFileParser::parseCheckFile(const QString& path)
{
    Result<QString> text = readFile(path);
    if (!text)
        return text.error();
    return parseCheckText(text.value(), path);
}

Result<FixDefinition> CheckFileParser::parseFixFile(const QString& path)
{
    Result<QString> text = readFile(path);
    if (!text)
        return text.error();
    return parseFixText(text.value(), path);
}

Result<CheckDefinition> CheckFileParser::parseCheckText(const QString& text, const QString& path)
{
    const QList<Line> lines = linesOf(text);
    int bodyIndex = 0;
    Result<QList<Header>> headers
        = readHeader(lines, { QStringLiteral("check"), QStringLiteral("description") }, path, &bodyIndex);
    if (!headers)
        return headers.error();
    CheckDefinition check;
    check.filePath = path;
    check.name = headerValue(headers.value(), QStringLiteral("check"), &check.nameLine);
    check.description = headerValue(headers.value(), QStringLiteral("description"));
    if (check.name.isEmpty())
        return Error::input(QStringLiteral("missing header '-- check: NAME'"), path, 1);
    if (!isValidName(check.name))
        return Error::input(QStringLiteral("bad check name '%1': use lower-case letters, digits, '-' and '_'")
                                .arg(check.name),
            path, check.nameLine);
    if (bodyIndex < lines.size() && lines.at(bodyIndex).text.startsWith(QLatin1String("-- +")))
        return Error::input(QStringLiteral("a check has no sections: write its one query after the header"),
            path, lines.at(bodyIndex).number);

    const int bodyOffset
        = bodyIndex < lines.size() ? lines.at(bodyIndex).offset : static_cast<int>(text.size());
    const int bodyLine = bodyIndex < lines.size() ? lines.at(bodyIndex).number : lines.size();
    Result<SqlStatementList> statements
        = statementsOf(text, bodyOffset, static_cast<int>(text.size()), bodyLine, path);
    if (!statements)
        return statements.error();
    if (statements->isEmpty())
        return Error::input(
            QStringLiteral("no query: a check is one query returning (check, expected, actual, ok)"), path,
            check.nameLine);
    if (statements->size() > 1)
        return Error::input(
            QStringLiteral("a check is exactly one query; this is statement %1").arg(statements->size()),
            path, statements->at(1).line, statements->at(1).column);
    if (auto error = requireQuery(statements->constFirst(), QStringLiteral("a check"), path))
        return *error;
    check.query = statements->constFirst();
    return check;
}

Result<FixDefinition> CheckFileParser::parseFixText(const QString& text, const QString& path)
{
    static const QRegularExpression markerPattern(QStringLiteral("^--\\s*\\+(\\w+)\\s*$"));
    const QList<Line> lines = linesOf(text);
    int bodyIndex = 0;
    Result<QList<Header>> headers = readHeader(lines,
        { QStringLiteral("fix"), QStringLiteral("description"), QStringLiteral("repairs") }, path,
        &bodyIndex);
    if (!headers)
        return headers.error();
    FixDefinition fix;
    fix.filePath = path;
    fix.name = headerValue(headers.value(), QStringLiteral("fix"), &fix.nameLine);
    fix.description = headerValue(headers.value(), QStringLiteral("description"));
    fix.repairs = headerValue(headers.value(), QStringLiteral("repairs"), &fix.repairsLine);
    if (fix.name.isEmpty())
        return Error::input(QStringLiteral("missing header '-- fix: NAME'"), path, 1);
    if (!isValidName(fix.name))
        return Error::input(
            QStringLiteral("bad fix name '%1': use lower-case letters, digits, '-' and '_'").arg(fix.name),
            path, fix.nameLine);
    if (fix.repairs.isEmpty())
        return Error::input(
            QStringLiteral("missing header '-- repairs: CHECK' (the check this fix makes pass)"), path, 1);

    struct Section
    {
        int markerLine = 0;
        int firstLine = 0;
        int start = 0;
        int end = 0;
    };
    Section change;
    Section postcondition;
    Section* current = nullptr;
    for (int i = bodyIndex; i < lines.size(); ++i) {
        const Line& line = lines.at(i);
        const QRegularExpressionMatch marker = markerPattern.match(line.text);
        if (marker.hasMatch()) {
            const QString name = marker.captured(1);
            Section* section = name == QLatin1String("change") ? &change
                : name == QLatin1String("postcondition")       ? &postcondition
                                                               : nullptr;
            if (!section)
                return Error::input(
                    QStringLiteral("unknown section marker '-- +%1' (expected '-- +change' or "
                                   "'-- +postcondition')")
                        .arg(name),
                    path, line.number);
            if (section->markerLine)
                return Error::input(QStringLiteral("duplicate section '-- +%1' (first at line %2)")
                                        .arg(name)
                                        .arg(section->markerLine),
                    path, line.number);
            if (section == &change && postcondition.markerLine)
                return Error::input(
                    QStringLiteral("'-- +change' must come before '-- +postcondition'"), path, line.number);
            if (current)
                current->end = line.offset;
            section->markerLine = line.number;
            section->firstLine = line.number + 1;
            section->start = std::min(line.endOffset + 1, static_cast<int>(text.size()));
            current = section;
        } else if (!current && !line.text.isEmpty() && !line.text.startsWith(QLatin1String("--"))) {
            return Error::input(QStringLiteral("SQL outside a section: put statements after '-- +change' or "
                                               "'-- +postcondition'"),
                path, line.number);
        }
    }
    if (current)
        current->end = static_cast<int>(text.size());
    if (!change.markerLine)
        return Error::input(QStringLiteral("missing '-- +change' section"), path, lines.size());
    if (!postcondition.markerLine)
        return Error::input(
            QStringLiteral("missing '-- +postcondition' section: a query returning one boolean, "
                           "true when the fix is in place"),
            path, lines.size());

    Result<SqlStatementList> changes = statementsOf(text, change.start, change.end, change.firstLine, path);
    if (!changes)
        return changes.error();
    if (changes->isEmpty())
        return Error::input(QStringLiteral("empty '-- +change' section"), path, change.markerLine);
    for (const SqlStatement& statement : std::as_const(changes.value())) {
        const StatementTraits traits = SqlParser::classify(statement.text);
        // The runner owns the transaction: the change and its postcondition
        // commit together or not at all.
        if (traits.isTransactionControl)
            return Error::input(QStringLiteral("%1 in a fix: the tool runs the whole fix in one transaction")
                                    .arg(traits.description),
                path, statement.line, statement.column);
        if (traits.cannotRunInTransaction)
            return Error::input(
                QStringLiteral("%1 cannot run inside a transaction, and a fix always runs in one")
                    .arg(traits.description),
                path, statement.line, statement.column);
    }
    fix.changes = std::move(changes).value();

    Result<SqlStatementList> post
        = statementsOf(text, postcondition.start, postcondition.end, postcondition.firstLine, path);
    if (!post)
        return post.error();
    if (post->size() != 1)
        return Error::input(
            QStringLiteral(
                "the postcondition is exactly one query returning one boolean (found %1 statements)")
                .arg(post->size()),
            path, post->size() > 1 ? post->at(1).line : postcondition.markerLine);
    if (auto error = requireQuery(post->constFirst(), QStringLiteral("the postcondition"), path))
        return *error;
    fix.postcondition = post->constFirst();
    return fix;
}

} // namespace dbops
