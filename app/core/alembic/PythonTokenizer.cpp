#include "alembic/PythonTokenizer.h"

#include <algorithm>
#include <optional>

namespace dbops {

namespace {

bool isNameStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_') || c.unicode() > 0x7f;
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || c.isDigit();
}

bool isStringPrefix(const QString& letters)
{
    static const QStringList prefixes
        = { QStringLiteral("r"), QStringLiteral("u"), QStringLiteral("b"), QStringLiteral("f"),
              QStringLiteral("br"), QStringLiteral("rb"), QStringLiteral("fr"), QStringLiteral("rf") };
    return prefixes.contains(letters.toLower());
}

// Longest first, so that `==` is not read as two `=`.
const QStringList& multiCharOperators()
{
    static const QStringList operators
        = { QStringLiteral("**="), QStringLiteral("//="), QStringLiteral(">>="), QStringLiteral("<<="),
              QStringLiteral("..."), QStringLiteral("->"), QStringLiteral(":="), QStringLiteral("=="),
              QStringLiteral("!="), QStringLiteral("<="), QStringLiteral(">="), QStringLiteral("+="),
              QStringLiteral("-="), QStringLiteral("*="), QStringLiteral("/="), QStringLiteral("%="),
              QStringLiteral("&="), QStringLiteral("|="), QStringLiteral("^="), QStringLiteral("@="),
              QStringLiteral("**"), QStringLiteral("//"), QStringLiteral("<<"), QStringLiteral(">>") };
    return operators;
}

class Scanner
{
public:
    Scanner(const QString& source, const QString& filePath)
        : m_source(source)
        , m_filePath(filePath)
    { }

    Result<std::vector<PythonToken>> run()
    {
        const int n = static_cast<int>(m_source.size());
        while (m_pos < n) {
            const QChar c = m_source.at(m_pos);
            if (c == QLatin1Char('\n')) {
                if (m_depth == 0 && !m_lineIsBlank)
                    push(PythonToken::Kind::Newline, QString(), m_line, column());
                advanceLine();
                continue;
            }
            if (c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\r')
                || c == QLatin1Char('\f')) {
                ++m_pos;
                continue;
            }
            if (c == QLatin1Char('#')) {
                while (m_pos < n && m_source.at(m_pos) != QLatin1Char('\n'))
                    ++m_pos;
                continue;
            }
            if (c == QLatin1Char('\\') && m_pos + 1 < n
                && (m_source.at(m_pos + 1) == QLatin1Char('\n')
                    || m_source.at(m_pos + 1) == QLatin1Char('\r'))) {
                // An explicit line join: the logical line goes on.
                m_pos += m_source.at(m_pos + 1) == QLatin1Char('\r') ? 2 : 1;
                if (m_pos < n && m_source.at(m_pos) == QLatin1Char('\n')) {
                    ++m_pos;
                    ++m_line;
                    m_lineStart = m_pos;
                }
                continue;
            }
            if (isNameStart(c)) {
                const int start = m_pos;
                const int startColumn = column();
                while (m_pos < n && isNameChar(m_source.at(m_pos)))
                    ++m_pos;
                const QString name = m_source.mid(start, m_pos - start);
                if (m_pos < n
                    && (m_source.at(m_pos) == QLatin1Char('\'') || m_source.at(m_pos) == QLatin1Char('"'))
                    && isStringPrefix(name)) {
                    if (auto error = scanString(name.toLower(), startColumn))
                        return *error;
                    continue;
                }
                push(PythonToken::Kind::Name, name, m_line, startColumn);
                continue;
            }
            if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
                if (auto error = scanString(QString(), column()))
                    return *error;
                continue;
            }
            if (c.isDigit() || (c == QLatin1Char('.') && m_pos + 1 < n && m_source.at(m_pos + 1).isDigit())) {
                const int start = m_pos;
                const int startColumn = column();
                while (m_pos < n) {
                    const QChar d = m_source.at(m_pos);
                    if (isNameChar(d) || d == QLatin1Char('.'))
                        ++m_pos;
                    else if ((d == QLatin1Char('+') || d == QLatin1Char('-'))
                        && (m_source.at(m_pos - 1) == QLatin1Char('e')
                            || m_source.at(m_pos - 1) == QLatin1Char('E')))
                        ++m_pos;
                    else
                        break;
                }
                push(PythonToken::Kind::Number, m_source.mid(start, m_pos - start), m_line, startColumn);
                continue;
            }
            scanOperator();
        }
        if (!m_lineIsBlank)
            push(PythonToken::Kind::Newline, QString(), m_line, column());
        push(PythonToken::Kind::EndOfFile, QString(), m_line, column());
        return std::move(m_tokens);
    }

private:
    int column() const { return m_pos - m_lineStart; }

    void advanceLine()
    {
        ++m_pos;
        ++m_line;
        m_lineStart = m_pos;
        if (m_depth == 0)
            m_lineIsBlank = true;
    }

    void push(PythonToken::Kind kind, const QString& text, int line, int column, const QString& prefix = {})
    {
        if (kind != PythonToken::Kind::Newline && kind != PythonToken::Kind::EndOfFile)
            m_lineIsBlank = false;
        PythonToken token;
        token.kind = kind;
        token.text = text;
        token.prefix = prefix;
        token.line = line;
        token.column = column;
        m_tokens.push_back(std::move(token));
    }

    void scanOperator()
    {
        const QChar c = m_source.at(m_pos);
        const int startColumn = column();
        for (const QString& op : multiCharOperators()) {
            if (QStringView(m_source).mid(m_pos).startsWith(op)) {
                m_pos += static_cast<int>(op.size());
                push(PythonToken::Kind::Operator, op, m_line, startColumn);
                return;
            }
        }
        if (c == QLatin1Char('(') || c == QLatin1Char('[') || c == QLatin1Char('{'))
            ++m_depth;
        else if ((c == QLatin1Char(')') || c == QLatin1Char(']') || c == QLatin1Char('}')) && m_depth > 0)
            --m_depth;
        ++m_pos;
        push(PythonToken::Kind::Operator, QString(c), m_line, startColumn);
    }

    // Reads one string literal starting at the quote under m_pos.
    std::optional<Error> scanString(const QString& prefix, int startColumn)
    {
        const int n = static_cast<int>(m_source.size());
        const int startLine = m_line;
        const QChar quote = m_source.at(m_pos);
        const bool triple
            = m_pos + 2 < n && m_source.at(m_pos + 1) == quote && m_source.at(m_pos + 2) == quote;
        const bool raw = prefix.contains(QLatin1Char('r'));
        const bool bytes = prefix.contains(QLatin1Char('b'));
        m_pos += triple ? 3 : 1;
        QString value;
        while (true) {
            if (m_pos >= n || (!triple && m_source.at(m_pos) == QLatin1Char('\n'))) {
                return Error::input(QStringLiteral("unterminated %1string literal")
                                        .arg(triple ? QStringLiteral("triple-quoted ") : QString()),
                    m_filePath, startLine, startColumn + 1);
            }
            const QChar c = m_source.at(m_pos);
            if (c == quote) {
                if (!triple) {
                    ++m_pos;
                    break;
                }
                if (m_pos + 2 < n && m_source.at(m_pos + 1) == quote && m_source.at(m_pos + 2) == quote) {
                    m_pos += 3;
                    break;
                }
            }
            if (c == QLatin1Char('\n')) {
                value += c;
                ++m_pos;
                ++m_line;
                m_lineStart = m_pos;
                continue;
            }
            if (c == QLatin1Char('\\') && m_pos + 1 < n) {
                const QChar next = m_source.at(m_pos + 1);
                if (next == QLatin1Char('\n')) {
                    if (raw)
                        value += QStringLiteral("\\\n");
                    m_pos += 2;
                    ++m_line;
                    m_lineStart = m_pos;
                    continue;
                }
                if (raw) {
                    // The backslash stays, but still keeps the quote from ending the string.
                    value += c;
                    value += next;
                    m_pos += 2;
                    continue;
                }
                m_pos += 2;
                value += decodeEscape(next, bytes);
                continue;
            }
            if (c != QLatin1Char('\r') || !triple)
                value += c;
            ++m_pos;
        }
        push(PythonToken::Kind::String, value, startLine, startColumn, prefix);
        return std::nullopt;
    }

    // The character(s) an escape after a backslash stands for; m_pos is past `next`.
    QString decodeEscape(QChar next, bool bytes)
    {
        const int n = static_cast<int>(m_source.size());
        switch (next.unicode()) {
        case '\\':
            return QStringLiteral("\\");
        case '\'':
            return QStringLiteral("'");
        case '"':
            return QStringLiteral("\"");
        case 'n':
            return QStringLiteral("\n");
        case 't':
            return QStringLiteral("\t");
        case 'r':
            return QStringLiteral("\r");
        case 'a':
            return QString(QChar(0x07));
        case 'b':
            return QString(QChar(0x08));
        case 'f':
            return QString(QChar(0x0c));
        case 'v':
            return QString(QChar(0x0b));
        default:
            break;
        }
        if (next >= QLatin1Char('0') && next <= QLatin1Char('7')) {
            char32_t code = static_cast<char32_t>(next.unicode() - '0');
            for (int i = 0; i < 2 && m_pos < n && m_source.at(m_pos) >= QLatin1Char('0')
                 && m_source.at(m_pos) <= QLatin1Char('7');
                 ++i, ++m_pos)
                code = code * 8 + static_cast<char32_t>(m_source.at(m_pos).unicode() - '0');
            return QString::fromUcs4(&code, 1);
        }
        const int digits = next == QLatin1Char('x') ? 2
            : (!bytes && next == QLatin1Char('u'))  ? 4
            : (!bytes && next == QLatin1Char('U'))  ? 8
                                                    : 0;
        if (digits > 0 && m_pos + digits <= n) {
            // Hex digits only: toUInt would also take a sign, "0x" or white
            // space, and so swallow a newline ("\x4" at a line's end).
            const QString hex = m_source.mid(m_pos, digits);
            bool ok = std::all_of(hex.cbegin(), hex.cend(), [](QChar h) {
                return (h >= QLatin1Char('0') && h <= QLatin1Char('9'))
                    || (h >= QLatin1Char('a') && h <= QLatin1Char('f'))
                    || (h >= QLatin1Char('A') && h <= QLatin1Char('F'));
            });
            const char32_t code = ok ? hex.toUInt(&ok, 16) : 0;
            if (ok) {
                m_pos += digits;
                return QString::fromUcs4(&code, 1);
            }
        }
        // Python keeps an unknown escape as written (\N{...} too, which the reader never needs decoded).
        return QStringLiteral("\\") + next;
    }

    const QString& m_source;
    const QString& m_filePath;
    std::vector<PythonToken> m_tokens;
    int m_pos = 0;
    int m_line = 1;
    int m_lineStart = 0;
    int m_depth = 0;
    bool m_lineIsBlank = true;
};

} // namespace

Result<std::vector<PythonToken>> PythonTokenizer::tokenize(const QString& source, const QString& filePath)
{
    return Scanner(source, filePath).run();
}

} // namespace dbops
