#pragma once

// Shared by the libFuzzer targets: how an input reaches the parsers, and how
// a broken invariant stops the run with a message libFuzzer keeps beside the
// reproducer.
#include <QByteArray>
#include <QString>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace dbops::fuzz {

/// The input as the file readers get it: raw bytes, which may not be UTF-8.
inline QByteArray bytesOf(const uint8_t* data, size_t size)
{
    return QByteArray(reinterpret_cast<const char*>(data), static_cast<int>(size));
}

/// The input decoded the lenient way (invalid UTF-8 becomes U+FFFD), for
/// parsers that take text from a QString whatever its origin.
inline QString lenientText(const uint8_t* data, size_t size)
{
    return QString::fromUtf8(reinterpret_cast<const char*>(data), static_cast<int>(size));
}

/// The input read as raw UTF-16 code units: lone surrogates and all, which
/// no UTF-8 decoding produces but a QString may hold.
inline QString rawUtf16(const uint8_t* data, size_t size)
{
    QString text;
    text.resize(static_cast<int>(size / 2));
    for (size_t i = 0; i + 1 < size; i += 2)
        text[static_cast<int>(i / 2)] = QChar(static_cast<char16_t>(data[i] | (data[i + 1] << 8)));
    return text;
}

[[noreturn]] inline void fail(const char* file, int line, const char* condition, const QString& detail)
{
    std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, condition);
    if (!detail.isEmpty())
        std::fprintf(stderr, "  %s\n", detail.toUtf8().constData());
    std::abort();
}

} // namespace dbops::fuzz

/// Aborts (a crash libFuzzer reports with the input) when `condition` is false.
#define FUZZ_REQUIRE(condition, detail)                                                                      \
    do {                                                                                                     \
        if (!(condition))                                                                                    \
            ::dbops::fuzz::fail(__FILE__, __LINE__, #condition, (detail));                                   \
    } while (false)
