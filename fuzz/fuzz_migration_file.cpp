// libFuzzer target over the migration-file parser and the SQL splitter,
// checker and classifier: no input may crash them or leak.
#include "migrations/MigrationFileParser.h"
#include "migrations/MigrationValidator.h"
#include "sql/SqlParser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), static_cast<int>(size));
    const dbops::Result<dbops::Revision> revision
        = dbops::MigrationFileParser::parseText(text, QStringLiteral("fuzz.sql"));
    if (revision)
        (void)dbops::MigrationValidator::validate(revision.value());
    const dbops::Result<dbops::SqlStatementList> statements = dbops::SqlParser::split(text);
    if (statements) {
        for (const dbops::SqlStatement& s : statements.value()) {
            int line = 0;
            int column = 0;
            s.locate(static_cast<int>(s.text.size()), &line, &column);
            if (line < s.line)
                __builtin_trap();
        }
    }
    const dbops::SqlTokenList tokens = dbops::SqlParser::scan(text);
    for (const dbops::SqlToken& t : tokens) {
        if (t.start < 0 || t.length < 0 || t.start + t.length > text.size())
            __builtin_trap();
    }
    return 0;
}
