#pragma once

#include "common/Result.h"

#include <QString>
#include <vector>

namespace dbops {

/// One token of Python source, as far as the Alembic reader needs to know it.
struct PythonToken
{
    enum class Kind
    {
        Name, ///< identifier or keyword (None, def, ...)
        String, ///< one string literal; `text` holds its decoded value
        Number,
        Operator, ///< punctuation: ( ) [ ] , = : . -> == ...
        Newline, ///< end of a logical line
        EndOfFile,
    };

    Kind kind = Kind::EndOfFile;
    QString text; ///< the name, operator or number as written; a string's decoded value
    QString prefix; ///< a string's prefix letters in lower case ("", "r", "u", "f", "rb" ...)
    int line = 1; ///< 1-based line of the token's first character
    int column = 0; ///< 0-based column; a logical line's first token at column 0 is top level

    bool is(Kind k, const QString& t) const { return kind == k && text == t; }
    bool isOperator(const char* t) const { return kind == Kind::Operator && text == QLatin1String(t); }
    bool isFormatString() const { return kind == Kind::String && prefix.contains(QLatin1Char('f')); }
    bool isBytes() const { return kind == Kind::String && prefix.contains(QLatin1Char('b')); }
};

/// Splits Python source into tokens without running Python: names, numbers,
/// operators and string literals (single, double and triple quotes; r/u/b/f
/// prefixes; escapes decoded), with comments dropped and newlines inside
/// brackets or after a backslash joined, as Python's own tokenizer does.  It
/// knows no grammar; AlembicScriptReader and AlembicEnvReader read the few
/// top-level statements they need from the tokens.
class PythonTokenizer
{
public:
    /// Tokens of `source` ending with an EndOfFile token, or the first lexical
    /// error (an unterminated string) with its line in `filePath`.
    static Result<std::vector<PythonToken>> tokenize(const QString& source, const QString& filePath);
};

} // namespace dbops
