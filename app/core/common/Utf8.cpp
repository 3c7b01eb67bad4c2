#include "common/Utf8.h"

namespace dbops {

namespace {

QString hexByte(unsigned char byte)
{
    return QStringLiteral("0x%1").arg(QString::number(byte, 16).toUpper(), 2, QLatin1Char('0'));
}

// Why `lead` cannot begin a sequence.
QString badLeadReason(unsigned char lead)
{
    if (lead <= 0xBF)
        return QStringLiteral("byte %1 continues a sequence that never started").arg(hexByte(lead));
    if (lead <= 0xC1)
        return QStringLiteral("byte %1 starts an overlong encoding").arg(hexByte(lead));
    if (lead <= 0xF7)
        return QStringLiteral("byte %1 starts a code point above U+10FFFF").arg(hexByte(lead));
    return QStringLiteral("byte %1 never occurs in UTF-8").arg(hexByte(lead));
}

// Why the second byte `next`, a continuation byte outside the range `lead`
// allows there, is wrong.
QString badSecondByteReason(unsigned char lead, unsigned char next)
{
    const QString sequence = QStringLiteral("bytes %1 %2").arg(hexByte(lead), hexByte(next));
    if (lead == 0xE0 || lead == 0xF0)
        return sequence + QStringLiteral(" start an overlong encoding");
    if (lead == 0xED)
        return sequence + QStringLiteral(" start a UTF-16 surrogate (U+D800 to U+DFFF)");
    return sequence + QStringLiteral(" start a code point above U+10FFFF"); // 0xF4
}

// 1 + the UTF-16 code units of the valid UTF-8 in [lineStart, offset).
int columnOf(const unsigned char* data, qsizetype lineStart, qsizetype offset)
{
    int units = 0;
    for (qsizetype i = lineStart; i < offset; ++i) {
        const unsigned char byte = data[i];
        if ((byte & 0xC0) != 0x80) // every byte but a continuation begins a character
            units += byte >= 0xF0 ? 2 : 1; // four bytes: above U+FFFF, a surrogate pair
    }
    return units + 1;
}

Utf8Problem problemAt(const unsigned char* data, qsizetype offset, QString reason)
{
    Utf8Problem problem;
    problem.offset = offset;
    problem.line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (data[i] == '\n') {
            ++problem.line;
            lineStart = i + 1;
        }
    }
    if (lineStart == 0 && offset >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        lineStart = 3; // editors do not show the byte order mark
    problem.column = columnOf(data, lineStart, offset);
    problem.reason = std::move(reason);
    return problem;
}

} // namespace

std::optional<Utf8Problem> findInvalidUtf8(const QByteArray& bytes)
{
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.constData());
    const qsizetype size = bytes.size();
    qsizetype i = 0;
    while (i < size) {
        const unsigned char lead = data[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        // RFC 3629, section 4: the length of the sequence and the range of
        // its second byte; every later byte is 80..BF.
        int length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0)
                low = 0xA0; // below: overlong
            else if (lead == 0xED)
                high = 0x9F; // above: surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0)
                low = 0x90; // below: overlong
            else if (lead == 0xF4)
                high = 0x8F; // above: beyond U+10FFFF
        } else {
            return problemAt(data, i, badLeadReason(lead));
        }
        for (int k = 1; k < length; ++k) {
            if (i + k >= size)
                return problemAt(data, i,
                    QStringLiteral("byte %1 starts a %2-byte sequence, but the file ends")
                        .arg(hexByte(lead))
                        .arg(length));
            const unsigned char next = data[i + k];
            if (k == 1 && next >= 0x80 && next <= 0xBF && (next < low || next > high))
                return problemAt(data, i, badSecondByteReason(lead, next));
            if (next == '\n' || next == '\r')
                return problemAt(data, i,
                    QStringLiteral("byte %1 starts a %2-byte sequence, but the line ends")
                        .arg(hexByte(lead))
                        .arg(length));
            if (next < 0x80 || next > 0xBF)
                return problemAt(data, i,
                    QStringLiteral("byte %1 starts a %2-byte sequence, but byte %3 follows")
                        .arg(hexByte(lead))
                        .arg(length)
                        .arg(hexByte(next)));
        }
        i += length;
    }
    return std::nullopt;
}

Result<QString> decodeUtf8File(const QByteArray& bytes, const QString& path)
{
    const std::optional<Utf8Problem> problem = findInvalidUtf8(bytes);
    // NUL is UTF-8, but not text: libpq would end a statement there, and Qt 5
    // ends a QByteArray's text there.  A UTF-16 file is full of them.
    const qsizetype nul = bytes.indexOf('\0');
    if (nul >= 0 && (!problem || nul < problem->offset)) {
        const Utf8Problem at = problemAt(reinterpret_cast<const unsigned char*>(bytes.constData()), nul, {});
        return Error::input(
            QStringLiteral("not text: byte 0x00 (NUL) (a UTF-16 file? save the file as UTF-8)"), path,
            at.line, at.column);
    }
    if (problem)
        return Error::input(
            QStringLiteral("not valid UTF-8: %1 (Latin-1 or Windows-1252? save the file as UTF-8)")
                .arg(problem->reason),
            path, problem->line, problem->column);
    return QString::fromUtf8(bytes.constData(), static_cast<int>(bytes.size()));
}

} // namespace dbops
