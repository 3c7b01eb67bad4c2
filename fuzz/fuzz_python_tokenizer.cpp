// libFuzzer target over PythonTokenizer, which reads Alembic revision scripts
// and env.py: no input may crash it, and every token must sit where it says
// in the source.
#include "FuzzCheck.h"
#include "alembic/PythonTokenizer.h"

#include <QList>

namespace {

using dbops::PythonToken;

// Offsets of the first character of each line (line 1 at index 0), counting
// '\n' only, as the tokenizer does.
QList<int> lineStarts(const QString& source)
{
    QList<int> starts { 0 };
    for (int i = 0; i < source.size(); ++i) {
        if (source.at(i) == QLatin1Char('\n'))
            starts.append(i + 1);
    }
    return starts;
}

void checkTokens(const QString& source)
{
    const dbops::Result<std::vector<PythonToken>> result
        = dbops::PythonTokenizer::tokenize(source, QStringLiteral("fuzz.py"));
    if (!result) {
        FUZZ_REQUIRE(result.error().line >= 1, result.error().message);
        return;
    }
    const std::vector<PythonToken>& tokens = result.value();
    FUZZ_REQUIRE(!tokens.empty() && tokens.back().kind == PythonToken::Kind::EndOfFile, QString());
    const QList<int> starts = lineStarts(source);
    int previousLine = 1;
    for (const PythonToken& token : tokens) {
        FUZZ_REQUIRE(token.line >= previousLine && token.line <= starts.size(),
            QStringLiteral("line %1 after %2").arg(token.line).arg(previousLine));
        previousLine = token.line;
        const int lineEnd = token.line < starts.size() ? starts.at(token.line) - 1 : source.size();
        const int offset = starts.at(token.line - 1) + token.column;
        FUZZ_REQUIRE(token.column >= 0 && offset <= lineEnd,
            QStringLiteral("token %1 '%2' at line %3 column %4, the line ends at column %5")
                .arg(static_cast<int>(token.kind))
                .arg(token.text)
                .arg(token.line)
                .arg(token.column)
                .arg(lineEnd - starts.at(token.line - 1)));
        switch (token.kind) {
        case PythonToken::Kind::Name:
        case PythonToken::Kind::Number:
        case PythonToken::Kind::Operator:
            // As written: the text is the source at the token's place.
            FUZZ_REQUIRE(!token.text.isEmpty() && QStringView(source).mid(offset).startsWith(token.text),
                QStringLiteral("'%1' at line %2 column %3")
                    .arg(token.text)
                    .arg(token.line)
                    .arg(token.column));
            break;
        case PythonToken::Kind::String: {
            // The prefix letters, then a quote.
            const QStringView at = QStringView(source).mid(offset);
            const int p = token.prefix.size();
            FUZZ_REQUIRE(at.size() > p && at.left(p).compare(token.prefix, Qt::CaseInsensitive) == 0
                    && (at.at(p) == QLatin1Char('\'') || at.at(p) == QLatin1Char('"')),
                QStringLiteral("string at line %1 column %2").arg(token.line).arg(token.column));
            break;
        }
        case PythonToken::Kind::Newline:
        case PythonToken::Kind::EndOfFile:
            break;
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    checkTokens(dbops::fuzz::lenientText(data, size));
    checkTokens(dbops::fuzz::rawUtf16(data, size));
    return 0;
}
