// libFuzzer target over CatalogSnapshot's reader of migrations/schema/head.json
// (fromJsonText, schemasAhead): no file may crash it, and what it reads must
// survive a round trip through the writer unchanged.
#include "FuzzCheck.h"
#include "catalog/CatalogSnapshot.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray text = dbops::fuzz::bytesOf(data, size);
    const QString path = QStringLiteral("schema/head.json");
    // The early guess must never throw: its answer is checked against the full parse below.
    (void)dbops::CatalogSnapshot::schemasAhead(text);
    const dbops::Result<dbops::CatalogSnapshot> snapshot = dbops::CatalogSnapshot::fromJsonText(text, path);
    if (!snapshot) {
        FUZZ_REQUIRE(snapshot.error().file == path, snapshot.error().message);
        return 0;
    }

    // What toJsonText writes, fromJsonText reads back, and writing it again
    // gives the same bytes: the committed file is stable.
    const QByteArray written = snapshot->toJsonText();
    const dbops::Result<dbops::CatalogSnapshot> reread = dbops::CatalogSnapshot::fromJsonText(written, path);
    FUZZ_REQUIRE(reread, reread ? QString() : reread.error().message);
    const QByteArray rewritten = reread->toJsonText();
    FUZZ_REQUIRE(rewritten == written, QString::fromUtf8(written));
    FUZZ_REQUIRE(reread->schemas == snapshot->schemas && reread->tables.size() == snapshot->tables.size()
            && reread->enums.size() == snapshot->enums.size()
            && reread->views.size() == snapshot->views.size()
            && reread->sequences.size() == snapshot->sequences.size(),
        QString::fromUtf8(written));

    // On the writer's own text the guess is either no answer or the right one.
    const QStringList ahead = dbops::CatalogSnapshot::schemasAhead(written);
    FUZZ_REQUIRE(ahead.isEmpty() || ahead == reread->schemas, ahead.join(QLatin1Char(',')));
    return 0;
}
