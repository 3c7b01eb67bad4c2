// libFuzzer target over AlembicScriptReader, which reads an Alembic revision
// script's revision, down_revision, branch_labels and depends_on without
// running Python: no script may crash it, and what it accepts must be usable.
#include "FuzzCheck.h"
#include "alembic/AlembicScriptReader.h"
#include "common/Utf8.h"

#include <QRegularExpression>

namespace {

bool usableId(const QString& id)
{
    static const QRegularExpression bad(QStringLiteral("[@+\\-\\s,]"));
    return !id.isEmpty() && !bad.match(id).hasMatch();
}

void checkScript(const QString& source)
{
    const QString path = QStringLiteral("versions/fuzz.py");
    dbops::ErrorList errors;
    const dbops::Result<dbops::Revision> revision = dbops::AlembicScriptReader::parse(source, path, &errors);
    if (!revision) {
        // The error returned is the first of all the file's problems, each at a line of it.
        FUZZ_REQUIRE(!errors.isEmpty() && errors.constFirst().message == revision.error().message,
            revision.error().message);
        for (const dbops::Error& e : std::as_const(errors))
            FUZZ_REQUIRE(e.line >= 1 && e.file == path, e.message);
        return;
    }
    FUZZ_REQUIRE(errors.isEmpty(), errors.constFirst().message);
    const dbops::Revision& r = revision.value();
    FUZZ_REQUIRE(usableId(r.id), r.id);
    for (const QStringList* ids : { &r.downRevisions, &r.branchLabels, &r.dependsOn }) {
        for (const QString& id : *ids)
            FUZZ_REQUIRE(usableId(id), id);
    }
    FUZZ_REQUIRE(
        r.revisionLine >= 1 && r.downRevisionLine >= 1 && r.labelsLine >= 1 && r.dependsOnLine >= 1, r.id);
    FUZZ_REQUIRE(!r.message.contains(QLatin1Char('\n')), r.message);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // As AlembicScriptReader::read gets a file: bytes, refused unless UTF-8.
    const dbops::Result<QString> decoded
        = dbops::decodeUtf8File(dbops::fuzz::bytesOf(data, size), QStringLiteral("versions/fuzz.py"));
    if (decoded)
        checkScript(decoded.value());
    else
        FUZZ_REQUIRE(decoded.error().line >= 1 && decoded.error().column >= 1, decoded.error().message);
    checkScript(dbops::fuzz::rawUtf16(data, size));
    return 0;
}
