#include "alembic/AlembicScriptReader.h"

#include "alembic/PythonTokenizer.h"
#include "common/Utf8.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <algorithm>

namespace dbops {

namespace {

using Kind = PythonToken::Kind;

/// A Python literal the reader understands: None, a string, or a tuple/list of them.
struct PythonValue
{
    enum class Type
    {
        None,
        String,
        Sequence
    };
    Type type = Type::None;
    QString string;
    QList<PythonValue> items;
};

/// Recursive descent over the tokens of one assignment's right-hand side.
class LiteralParser
{
public:
    LiteralParser(const std::vector<PythonToken>& tokens, size_t begin, size_t end)
        : m_tokens(tokens)
        , m_pos(begin)
        , m_end(end)
    { }

    /// The value, or why it is not a literal (and the line of the token that says so).
    Result<PythonValue> parseWhole()
    {
        if (m_pos >= m_end)
            return problem(QStringLiteral("no value after '='"), m_pos);
        bool sawComma = false;
        Result<PythonValue> value = parseExpression(&sawComma);
        if (!value)
            return value;
        if (m_pos < m_end) {
            if (m_tokens[m_pos].isOperator("="))
                return problem(QStringLiteral("a chained assignment"), m_pos);
            return problem(
                QStringLiteral("an expression ('%1' after the literal)").arg(describe(m_tokens[m_pos])),
                m_pos);
        }
        return value;
    }

    int errorLine() const { return m_errorLine; }

private:
    // A bare or parenthesised tuple ("a", "b",) or a single item.
    Result<PythonValue> parseExpression(bool* sawComma)
    {
        Result<PythonValue> first = parseItem();
        if (!first)
            return first;
        if (!atOperator(","))
            return first;
        *sawComma = true;
        PythonValue tuple;
        tuple.type = PythonValue::Type::Sequence;
        tuple.items.append(first.value());
        while (atOperator(",")) {
            ++m_pos;
            if (m_pos >= m_end || atOperator(")") || atOperator("]"))
                break; // a trailing comma
            Result<PythonValue> next = parseItem();
            if (!next)
                return next;
            tuple.items.append(next.value());
        }
        return tuple;
    }

    Result<PythonValue> parseItem()
    {
        if (m_pos >= m_end)
            return problem(QStringLiteral("the value ends too early"), m_end - 1);
        const PythonToken& token = m_tokens[m_pos];
        if (token.kind == Kind::String)
            return parseStrings();
        if (token.kind == Kind::Name && token.text == QLatin1String("None")) {
            ++m_pos;
            return PythonValue();
        }
        if ((token.isOperator("(") || token.isOperator("[")) && m_nesting >= maxNesting) {
            // Python's own limit; deeper would only exhaust this parser's stack.
            return problem(QStringLiteral("brackets nested more than %1 deep").arg(maxNesting), m_pos);
        }
        const NestingGuard guard(m_nesting);
        if (token.isOperator("(")) {
            const size_t open = m_pos++;
            if (atOperator(")")) {
                ++m_pos;
                PythonValue empty;
                empty.type = PythonValue::Type::Sequence;
                return empty;
            }
            bool sawComma = false;
            Result<PythonValue> inner = parseExpression(&sawComma);
            if (!inner)
                return inner;
            if (!atOperator(")"))
                return unexpectedOr(QStringLiteral("an unclosed '('"), open);
            ++m_pos;
            return inner; // ("a") is "a"; ("a",) is a tuple
        }
        if (token.isOperator("[")) {
            const size_t open = m_pos++;
            PythonValue list;
            list.type = PythonValue::Type::Sequence;
            while (!atOperator("]")) {
                Result<PythonValue> item = parseItem();
                if (!item)
                    return item;
                list.items.append(item.value());
                if (atOperator(","))
                    ++m_pos;
                else if (!atOperator("]"))
                    return unexpectedOr(QStringLiteral("an unclosed '['"), open);
            }
            ++m_pos;
            return list;
        }
        if (token.kind == Kind::Name) {
            // A name, possibly dotted (os.environ.get), possibly called.
            const size_t at = m_pos;
            QString dotted = token.text;
            size_t next = m_pos + 1;
            while (
                next + 1 < m_end && m_tokens[next].isOperator(".") && m_tokens[next + 1].kind == Kind::Name) {
                dotted += QLatin1Char('.') + m_tokens[next + 1].text;
                next += 2;
            }
            if (next < m_end && m_tokens[next].isOperator("("))
                return problem(QStringLiteral("a function call (%1(...))").arg(dotted), at);
            return problem(QStringLiteral("the name '%1'").arg(dotted), at);
        }
        if (token.kind == Kind::Number)
            return problem(QStringLiteral("a number (%1)").arg(token.text), m_pos);
        return problem(QStringLiteral("unexpected '%1'").arg(describe(token)), m_pos);
    }

    // Adjacent string literals concatenate, as in Python.
    Result<PythonValue> parseStrings()
    {
        PythonValue value;
        value.type = PythonValue::Type::String;
        while (m_pos < m_end && m_tokens[m_pos].kind == Kind::String) {
            const PythonToken& token = m_tokens[m_pos];
            if (token.isFormatString())
                return problem(QStringLiteral("an f-string"), m_pos);
            if (token.isBytes())
                return problem(QStringLiteral("a bytes literal"), m_pos);
            value.string += token.text;
            ++m_pos;
        }
        return value;
    }

    Result<PythonValue> unexpectedOr(const QString& fallback, size_t at)
    {
        if (m_pos < m_end)
            return problem(
                QStringLiteral("an expression ('%1' inside brackets)").arg(describe(m_tokens[m_pos])), m_pos);
        return problem(fallback, at);
    }

    bool atOperator(const char* op) const { return m_pos < m_end && m_tokens[m_pos].isOperator(op); }

    static QString describe(const PythonToken& token)
    {
        return token.kind == Kind::String ? QStringLiteral("a string") : token.text;
    }

    Error problem(const QString& what, size_t at)
    {
        m_errorLine = m_tokens[std::min(at, m_tokens.size() - 1)].line;
        return Error::input(what);
    }

    // Counts the items being parsed one inside the other: the open brackets, plus one.
    struct NestingGuard
    {
        explicit NestingGuard(int& nesting)
            : m_nesting(++nesting)
        { }
        ~NestingGuard() { --m_nesting; }
        int& m_nesting;
    };
    static constexpr int maxNesting = 200; // CPython's tokenizer: "too many nested parentheses"

    const std::vector<PythonToken>& m_tokens;
    size_t m_pos;
    size_t m_end;
    int m_errorLine = 0;
    int m_nesting = 0;
};

bool isUsableId(const QString& id)
{
    // Alembic refuses these characters in ids and labels: they are specifier syntax.
    static const QRegularExpression bad(QStringLiteral("[@+\\-\\s,]"));
    return !id.isEmpty() && !bad.match(id).hasMatch();
}

/// The four names Alembic takes from a revision module.
struct Field
{
    QString name;
    bool assigned = false;
    int line = 0;
    PythonValue value;
};

} // namespace

bool AlembicScriptReader::isRevisionFileName(const QString& fileName)
{
    return fileName.endsWith(QLatin1String(".py")) && fileName != QLatin1String("__init__.py")
        && !fileName.startsWith(QLatin1Char('_')) && !fileName.startsWith(QLatin1Char('.'));
}

Result<Revision> AlembicScriptReader::read(const QString& filePath, ErrorList* allErrors)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        Error error
            = Error::io(QStringLiteral("cannot read revision script: %1").arg(file.errorString()), filePath);
        if (allErrors)
            allErrors->append(error);
        return error;
    }
    Result<QString> source = decodeUtf8File(file.readAll(), filePath);
    if (!source) {
        if (allErrors)
            allErrors->append(source.error());
        return source.error();
    }
    return parse(source.value(), filePath, allErrors);
}

Result<Revision> AlembicScriptReader::parse(
    const QString& source, const QString& filePath, ErrorList* allErrors)
{
    ErrorList errors;
    auto fail = [&](const Error& error) -> Result<Revision> {
        errors.append(error);
        if (allErrors)
            allErrors->append(errors);
        return errors.constFirst();
    };

    Result<std::vector<PythonToken>> tokenized = PythonTokenizer::tokenize(source, filePath);
    if (!tokenized)
        return fail(tokenized.error());
    const std::vector<PythonToken>& tokens = tokenized.value();

    Field fields[] = { { QStringLiteral("revision"), false, 0, {} },
        { QStringLiteral("down_revision"), false, 0, {} }, { QStringLiteral("branch_labels"), false, 0, {} },
        { QStringLiteral("depends_on"), false, 0, {} } };
    QString docstring;
    bool firstStatement = true;

    size_t start = 0;
    while (start < tokens.size() && tokens[start].kind != Kind::EndOfFile) {
        size_t end = start;
        while (tokens[end].kind != Kind::Newline && tokens[end].kind != Kind::EndOfFile)
            ++end;
        const PythonToken& first = tokens[start];

        if (firstStatement && first.kind == Kind::String) {
            // The module docstring: a first statement made of string literals only.
            bool onlyStrings = true;
            QString text;
            for (size_t i = start; i < end; ++i) {
                if (tokens[i].kind != Kind::String || tokens[i].isBytes() || tokens[i].isFormatString())
                    onlyStrings = false;
                else
                    text += tokens[i].text;
            }
            if (onlyStrings)
                docstring = text;
        }
        firstStatement = false;

        Field* field = nullptr;
        if (first.kind == Kind::Name && first.column == 0) {
            for (Field& f : fields) {
                if (f.name == first.text)
                    field = &f;
            }
        }
        if (field && start + 1 < end) {
            const PythonToken& next = tokens[start + 1];
            size_t valueStart = 0;
            if (next.isOperator("=")) {
                valueStart = start + 2;
            } else if (next.isOperator(":")) {
                // An annotation (`revision: str = "x"`): the value follows the first `=` outside brackets.
                int depth = 0;
                for (size_t i = start + 2; i < end; ++i) {
                    const PythonToken& t = tokens[i];
                    if (t.isOperator("(") || t.isOperator("[") || t.isOperator("{"))
                        ++depth;
                    else if (t.isOperator(")") || t.isOperator("]") || t.isOperator("}"))
                        --depth;
                    else if (depth == 0 && t.isOperator("=")) {
                        valueStart = i + 1;
                        break;
                    }
                }
                // A bare annotation without a value defines nothing.
            } else if (next.kind == Kind::Operator && next.text.endsWith(QLatin1Char('='))
                && next.text != QLatin1String("==") && next.text != QLatin1String("<=")
                && next.text != QLatin1String(">=") && next.text != QLatin1String("!=")) {
                errors.append(
                    Error::input(QStringLiteral("cannot read %1 statically: an augmented assignment (%2)")
                                     .arg(field->name, next.text),
                        filePath, first.line));
            } else if (next.isOperator(",")) {
                errors.append(
                    Error::input(QStringLiteral("cannot read %1 statically: a tuple unpacking assignment")
                                     .arg(field->name),
                        filePath, first.line));
            }
            if (valueStart > 0) {
                LiteralParser parser(tokens, valueStart, end);
                Result<PythonValue> value = parser.parseWhole();
                if (!value) {
                    errors.append(
                        Error::input(QStringLiteral("cannot read %1 statically: %2; write a string literal, "
                                                    "a tuple or list of them, or None")
                                         .arg(field->name, value.error().message),
                            filePath, parser.errorLine()));
                } else {
                    field->assigned = true;
                    field->line = first.line;
                    field->value = value.value();
                }
            }
        }
        start = end + 1;
    }

    Revision revision;
    revision.filePath = filePath;
    // Alembic's message is the docstring's first paragraph; dbops keeps its first line.
    const QString doc = docstring.trimmed();
    revision.message = doc.section(QLatin1Char('\n'), 0, 0).trimmed();
    static const QRegularExpression createDate(
        QStringLiteral("^\\s*Create Date:[ \\t]*(.*)$"), QRegularExpression::MultilineOption);
    const QRegularExpressionMatch date = createDate.match(doc);
    if (date.hasMatch())
        revision.createDate = date.captured(1).trimmed();

    const Field& rev = fields[0];
    auto alreadyReported = [&errors](const QString& name) {
        const QString prefix = QStringLiteral("cannot read %1 ").arg(name);
        return std::any_of(errors.cbegin(), errors.cend(),
            [&prefix](const Error& e) { return e.message.startsWith(prefix); });
    };
    if (!rev.assigned) {
        if (!alreadyReported(rev.name)) {
            errors.append(Error::input(
                QStringLiteral(
                    "no top-level 'revision = \"...\"' assignment: not an Alembic revision script"),
                filePath, 1));
        }
    } else if (rev.value.type != PythonValue::Type::String || !isUsableId(rev.value.string)) {
        errors.append(Error::input(rev.value.type == PythonValue::Type::String
                ? QStringLiteral(
                    "revision '%1' is not a usable revision id (empty, or with spaces, '@', '+', '-' or ',')")
                      .arg(rev.value.string)
                : QStringLiteral("revision must be a string literal"),
            filePath, rev.line));
    } else {
        revision.id = rev.value.string;
        revision.revisionLine = rev.line;
    }

    // down_revision, branch_labels, depends_on: None, a string, or a tuple/list of strings.
    auto listOf = [&](const Field& field, QStringList* out, int* line) {
        *line = field.assigned ? field.line : std::max(1, revision.revisionLine);
        if (!field.assigned)
            return;
        QList<PythonValue> items;
        if (field.value.type == PythonValue::Type::String)
            items.append(field.value);
        else if (field.value.type == PythonValue::Type::Sequence)
            items = field.value.items;
        for (const PythonValue& item : std::as_const(items)) {
            if (item.type != PythonValue::Type::String) {
                errors.append(Error::input(
                    QStringLiteral("cannot read %1 statically: its items must be string literals")
                        .arg(field.name),
                    filePath, field.line));
                return;
            }
            if (!isUsableId(item.string)) {
                errors.append(
                    Error::input(QStringLiteral("%1 names '%2', which is not a usable revision id or label")
                                     .arg(field.name, item.string),
                        filePath, field.line));
                return;
            }
            if (!out->contains(item.string))
                out->append(item.string);
        }
    };
    const Field& down = fields[1];
    if (rev.assigned && !down.assigned) {
        if (!alreadyReported(down.name)) {
            errors.append(Error::input(
                QStringLiteral("no top-level down_revision assignment (Alembic needs one; None for a base)"),
                filePath, rev.line));
        }
    }
    listOf(down, &revision.downRevisions, &revision.downRevisionLine);
    listOf(fields[2], &revision.branchLabels, &revision.labelsLine);
    listOf(fields[3], &revision.dependsOn, &revision.dependsOnLine);

    if (!errors.isEmpty()) {
        // In line order, so a file's problems read top to bottom.
        std::stable_sort(
            errors.begin(), errors.end(), [](const Error& a, const Error& b) { return a.line < b.line; });
        if (allErrors)
            allErrors->append(errors);
        return errors.constFirst();
    }
    return revision;
}

} // namespace dbops
