#include "alembic/AlembicEnvReader.h"

#include "alembic/PythonTokenizer.h"
#include "common/Utf8.h"
#include "render/SqlScriptRenderer.h"

#include <QFile>
#include <utility>

namespace dbops {

namespace {

struct LiteralKeyword
{
    QString value;
    int line = 0;
};

// The literal value of `keyword=...` arguments in env.py: a string (adjacent
// literals concatenated) directly followed by `,` or `)`.  Other values are
// not known statically and are passed over.
Result<LiteralKeyword> literalKeyword(
    const std::vector<PythonToken>& tokens, const QString& keyword, const QString& filePath)
{
    LiteralKeyword found;
    for (size_t i = 0; i + 2 < tokens.size(); ++i) {
        if (!tokens[i].is(PythonToken::Kind::Name, keyword) || !tokens[i + 1].isOperator("="))
            continue;
        size_t j = i + 2;
        QString value;
        bool literal = false;
        while (j < tokens.size() && tokens[j].kind == PythonToken::Kind::String && !tokens[j].isFormatString()
            && !tokens[j].isBytes()) {
            value += tokens[j].text;
            literal = true;
            ++j;
        }
        if (!literal || j >= tokens.size() || !(tokens[j].isOperator(",") || tokens[j].isOperator(")")))
            continue;
        if (found.line > 0 && found.value != value) {
            return Error::input(
                QStringLiteral("env.py sets %1 to '%2' here and to '%3' on line %4; dbops cannot tell "
                               "which one Alembic uses")
                    .arg(keyword, value, found.value)
                    .arg(found.line),
                filePath, tokens[i].line);
        }
        if (found.line == 0)
            found = LiteralKeyword { value, tokens[i].line };
    }
    return found;
}

// One part of "[schema.]name": what SqlScriptRenderer::isValidVersionTable
// accepts on either side of the dot.
bool isPlainIdentifier(const QString& part)
{
    return !part.contains(QLatin1Char('.')) && SqlScriptRenderer::isValidVersionTable(part);
}

} // namespace

Result<QString> AlembicEnvReader::versionTable(const QString& envPyPath)
{
    QFile file(envPyPath);
    if (!file.exists())
        return defaultVersionTable();
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read env.py: %1").arg(file.errorString()), envPyPath);
    const Result<QString> source = decodeUtf8File(file.readAll(), envPyPath);
    if (!source)
        return source.error();
    Result<std::vector<PythonToken>> tokens = PythonTokenizer::tokenize(source.value(), envPyPath);
    if (!tokens)
        return tokens.error();
    Result<LiteralKeyword> table = literalKeyword(*tokens, QStringLiteral("version_table"), envPyPath);
    if (!table)
        return table.error();
    Result<LiteralKeyword> schema
        = literalKeyword(*tokens, QStringLiteral("version_table_schema"), envPyPath);
    if (!schema)
        return schema.error();
    // The name goes into SQL dbops prints and runs (`dbops sql`, the runner),
    // so it must be a plain identifier, as a profile's version table must.
    const std::pair<QString, LiteralKeyword> parts[] = { { QStringLiteral("version_table"), *table },
        { QStringLiteral("version_table_schema"), *schema } };
    for (const auto& [keyword, part] : parts) {
        if (part.line > 0 && !part.value.isEmpty() && !isPlainIdentifier(part.value))
            return Error::input(QStringLiteral("env.py sets %1 to '%2': dbops takes only a plain lower-case "
                                               "name (letters, digits and '_', not starting with a digit)")
                                    .arg(keyword, part.value),
                envPyPath, part.line);
    }
    const QString name = table->line > 0 && !table->value.isEmpty() ? table->value : defaultVersionTable();
    const QString qualified
        = schema->line > 0 && !schema->value.isEmpty() ? schema->value + QLatin1Char('.') + name : name;
    if (!SqlScriptRenderer::isValidVersionTable(qualified))
        return Error::input(
            QStringLiteral("env.py names the version table '%1', which is too long (at most 127 characters)")
                .arg(qualified),
            envPyPath, table->line > 0 ? table->line : schema->line);
    return qualified;
}

} // namespace dbops
