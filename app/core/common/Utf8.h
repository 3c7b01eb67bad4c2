#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace dbops {

/// Where a file stops being UTF-8 (RFC 3629), so that the readers of
/// migrations, checks, fixes and Alembic scripts refuse a Latin-1 file at
/// file:line:column instead of decoding it to U+FFFD and sending that to the
/// server.  Hand-written rather than QStringDecoder, so that Qt 5 and Qt 6
/// agree byte for byte.
struct Utf8Problem
{
    qsizetype offset = 0; ///< of the first byte that does not begin a valid sequence, from 0
    int line = 0; ///< from 1
    /// From 1, counted in UTF-16 code units like the columns of SQL errors;
    /// a byte order mark at the start of the file is not counted.
    int column = 0;
    QString reason; ///< what is wrong, e.g. "byte 0xE9 starts a 3-byte sequence, but byte 0x27 follows"
};

/// The first place `bytes` is not UTF-8: a stray continuation byte, an
/// overlong encoding, a UTF-16 surrogate, a code point above U+10FFFF, a
/// byte that never occurs in UTF-8, or a sequence cut short.  A byte order
/// mark (EF BB BF) is valid UTF-8.
std::optional<Utf8Problem> findInvalidUtf8(const QByteArray& bytes);

/// The text of a file's `bytes`; invalid UTF-8, and NUL (valid UTF-8 but
/// never text: libpq would cut a statement there), are input errors at
/// path:line:column.
Result<QString> decodeUtf8File(const QByteArray& bytes, const QString& path);

} // namespace dbops
