// libFuzzer target over CheckFileParser, which reads data checks and fixes
// (migrations/checks/*.sql, migrations/fixes/*.sql): no file may crash it,
// and every statement it keeps must be the file's text at its offset.
#include "FuzzCheck.h"
#include "checks/CheckFileParser.h"
#include "common/Utf8.h"

namespace {

void checkStatement(const QString& text, const dbops::SqlStatement& statement)
{
    FUZZ_REQUIRE(statement.offset >= 0 && statement.offset + statement.text.size() <= text.size()
            && QStringView(text).mid(statement.offset, statement.text.size()) == statement.text,
        QStringLiteral("offset %1: %2").arg(statement.offset).arg(statement.text));
    FUZZ_REQUIRE(statement.line >= 1 && statement.column >= 1, statement.text);
}

void checkError(const QString& text, const dbops::Error& error)
{
    const int lineCount = static_cast<int>(text.count(QLatin1Char('\n'))) + 1;
    FUZZ_REQUIRE(error.line >= 0 && error.line <= lineCount && error.column >= 0,
        QStringLiteral("line %1 of %2: %3").arg(error.line).arg(lineCount).arg(error.message));
}

void checkText(const QString& text)
{
    const QString checkPath = QStringLiteral("checks/fuzz.sql");
    const dbops::Result<dbops::CheckDefinition> check
        = dbops::CheckFileParser::parseCheckText(text, checkPath);
    if (check) {
        FUZZ_REQUIRE(dbops::CheckFileParser::isValidName(check->name), check->name);
        checkStatement(text, check->query);
    } else {
        checkError(text, check.error());
    }

    const QString fixPath = QStringLiteral("fixes/fuzz.sql");
    const dbops::Result<dbops::FixDefinition> fix = dbops::CheckFileParser::parseFixText(text, fixPath);
    if (fix) {
        FUZZ_REQUIRE(dbops::CheckFileParser::isValidName(fix->name) && !fix->repairs.isEmpty(), fix->name);
        FUZZ_REQUIRE(!fix->changes.isEmpty(), fix->name);
        for (const dbops::SqlStatement& statement : fix->changes)
            checkStatement(text, statement);
        checkStatement(text, fix->postcondition);
    } else {
        checkError(text, fix.error());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // As parseCheckFile and parseFixFile get a file: bytes, refused unless UTF-8.
    const dbops::Result<QString> decoded
        = dbops::decodeUtf8File(dbops::fuzz::bytesOf(data, size), QStringLiteral("checks/fuzz.sql"));
    if (decoded)
        checkText(decoded.value());
    return 0;
}
