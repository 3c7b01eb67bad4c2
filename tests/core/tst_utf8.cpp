// findInvalidUtf8 (RFC 3629) and decodeUtf8File: where a file stops being
// UTF-8, by byte offset, line and column, the same on Qt 5 and Qt 6.
#include "common/Utf8.h"

#include <QtTest>

using namespace dbops;

class TestUtf8 : public QObject
{
    Q_OBJECT

private slots:
    void valid_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("ascii") << QByteArray("SELECT 1;\n");
        QTest::newRow("DEL") << QByteArray("a\x7f");
        QTest::newRow("byte order mark") << QByteArray("\xEF\xBB\xBF-- revision: a\r\n");
        QTest::newRow("U+0080") << QByteArray("\xC2\x80");
        QTest::newRow("U+00E9 (e acute)") << QByteArray("caf\xC3\xA9");
        QTest::newRow("U+07FF") << QByteArray("\xDF\xBF");
        QTest::newRow("U+0800") << QByteArray("\xE0\xA0\x80");
        QTest::newRow("U+D7FF, below the surrogates") << QByteArray("\xED\x9F\xBF");
        QTest::newRow("U+E000, above the surrogates") << QByteArray("\xEE\x80\x80");
        QTest::newRow("U+FEFF inside the text") << QByteArray("a\xEF\xBB\xBF");
        QTest::newRow("U+FFFF") << QByteArray("\xEF\xBF\xBF");
        QTest::newRow("U+10000") << QByteArray("\xF0\x90\x80\x80");
        QTest::newRow("U+1F600 (emoji)") << QByteArray("'\xF0\x9F\x98\x80'");
        QTest::newRow("U+10FFFF, the last") << QByteArray("\xF4\x8F\xBF\xBF");
    }
    void valid()
    {
        QFETCH(QByteArray, bytes);
        const std::optional<Utf8Problem> problem = findInvalidUtf8(bytes);
        QVERIFY2(!problem, problem ? qPrintable(problem->reason) : "");
        const Result<QString> text = decodeUtf8File(bytes, QStringLiteral("f.sql"));
        QVERIFY(text);
        QCOMPARE(text->toUtf8(), QString::fromUtf8(bytes).toUtf8());
    }

    void invalid_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("offset");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("reason");

        QTest::newRow("Latin-1 e acute before a quote")
            << QByteArray("COMMENT ON TABLE users IS 'caf\xE9';\n") << 30 << 1 << 31
            << "byte 0xE9 starts a 3-byte sequence, but byte 0x27 follows";
        QTest::newRow("Latin-1 at the end of the file")
            << QByteArray("-- message: caf\xE9") << 15 << 1 << 16
            << "byte 0xE9 starts a 3-byte sequence, but the file ends";
        QTest::newRow("Latin-1 before a newline, line 3") << QByteArray(
            "a\nb\ncaf\xE9\nd") << 7 << 3 << 4 << "byte 0xE9 starts a 3-byte sequence, but the line ends";
        QTest::newRow("Windows-1252 quote")
            << QByteArray("it\x92s") << 2 << 1 << 3 << "byte 0x92 continues a sequence that never started";
        QTest::newRow("stray continuation after a character") << QByteArray(
            "\xC3\xA9\xA9") << 2 << 1 << 2 << "byte 0xA9 continues a sequence that never started";
        QTest::newRow("overlong NUL (C0 80)")
            << QByteArray("x\xC0\x80") << 1 << 1 << 2 << "byte 0xC0 starts an overlong encoding";
        QTest::newRow("overlong '/' (C1 AF)")
            << QByteArray("\xC1\xAF") << 0 << 1 << 1 << "byte 0xC1 starts an overlong encoding";
        QTest::newRow("overlong 3 bytes (E0 9F BF)")
            << QByteArray("\xE0\x9F\xBF") << 0 << 1 << 1 << "bytes 0xE0 0x9F start an overlong encoding";
        QTest::newRow("overlong 4 bytes (F0 8F BF BF)")
            << QByteArray("\xF0\x8F\xBF\xBF") << 0 << 1 << 1 << "bytes 0xF0 0x8F start an overlong encoding";
        QTest::newRow("surrogate U+D800 (ED A0 80)") << QByteArray(
            "ab\xED\xA0\x80") << 2 << 1 << 3 << "bytes 0xED 0xA0 start a UTF-16 surrogate (U+D800 to U+DFFF)";
        QTest::newRow("surrogate U+DFFF (ED BF BF)") << QByteArray(
            "\xED\xBF\xBF") << 0 << 1 << 1 << "bytes 0xED 0xBF start a UTF-16 surrogate (U+D800 to U+DFFF)";
        QTest::newRow("U+110000 (F4 90 80 80)") << QByteArray("\xF4\x90\x80\x80") << 0 << 1 << 1
                                                << "bytes 0xF4 0x90 start a code point above U+10FFFF";
        QTest::newRow("F5") << QByteArray("\xF5\x80\x80\x80") << 0 << 1 << 1
                            << "byte 0xF5 starts a code point above U+10FFFF";
        QTest::newRow("FE") << QByteArray("\xFE") << 0 << 1 << 1 << "byte 0xFE never occurs in UTF-8";
        QTest::newRow("FF") << QByteArray("ok\n\xFF") << 3 << 2 << 1 << "byte 0xFF never occurs in UTF-8";
        QTest::newRow("4-byte sequence cut by ASCII") << QByteArray(
            "\xF0\x9F\x98x") << 0 << 1 << 1 << "byte 0xF0 starts a 4-byte sequence, but byte 0x78 follows";
        QTest::newRow("4-byte sequence cut by the end") << QByteArray(
            "\xF0\x9F\x98") << 0 << 1 << 1 << "byte 0xF0 starts a 4-byte sequence, but the file ends";
        QTest::newRow("2-byte lead before another lead") << QByteArray(
            "\xC3\xC3\xA9") << 0 << 1 << 1 << "byte 0xC3 starts a 2-byte sequence, but byte 0xC3 follows";
        // Columns count UTF-16 code units, as SQL errors do: e acute is 1, an emoji 2.
        QTest::newRow("column after multi-byte characters")
            << QByteArray("x\n\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xE9") << 11 << 2 << 5
            << "byte 0xE9 starts a 3-byte sequence, but the file ends";
        QTest::newRow("column after a byte order mark") << QByteArray(
            "\xEF\xBB\xBF-- \xE9") << 6 << 1 << 4 << "byte 0xE9 starts a 3-byte sequence, but the file ends";
        QTest::newRow("CRLF lines") << QByteArray("a\r\nb\r\n\x80") << 6 << 3 << 1
                                    << "byte 0x80 continues a sequence that never started";
    }
    void invalid()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, offset);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, reason);
        const std::optional<Utf8Problem> problem = findInvalidUtf8(bytes);
        QVERIFY(problem);
        QCOMPARE(problem->offset, static_cast<qsizetype>(offset));
        QCOMPARE(problem->line, line);
        QCOMPARE(problem->column, column);
        QCOMPARE(problem->reason, reason);

        const Result<QString> text = decodeUtf8File(bytes, QStringLiteral("dir/f.sql"));
        QVERIFY(!text);
        QCOMPARE(text.error().kind, Error::Kind::Input);
        QCOMPARE(text.error().toString(),
            QStringLiteral("dir/f.sql:%1:%2: not valid UTF-8: %3 (Latin-1 or Windows-1252? save the file as "
                           "UTF-8)")
                .arg(line)
                .arg(column)
                .arg(reason));
    }

    // NUL is UTF-8 but never text (libpq would end a statement there): the
    // file reader refuses it, at its place or at an invalid byte before it.
    void nulIsNotText_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("error");
        const QString nul
            = QStringLiteral("not text: byte 0x00 (NUL) (a UTF-16 file? save the file as UTF-8)");
        QTest::newRow("NUL") << QByteArray("SELECT 1;\n-- a\0b", 17) << QStringLiteral("f.sql:2:5: ") + nul;
        QTest::newRow("UTF-16LE without a BOM")
            << QByteArray("-\0-\0 \0", 6) << QStringLiteral("f.sql:1:2: ") + nul;
        QTest::newRow("NUL after invalid UTF-8")
            << QByteArray("\xE9\0", 2)
            << QStringLiteral("f.sql:1:1: not valid UTF-8: byte 0xE9 starts a 3-byte sequence, but byte 0x00 "
                              "follows (Latin-1 or Windows-1252? save the file as UTF-8)");
        QTest::newRow("NUL before invalid UTF-8")
            << QByteArray("\0\xE9", 2) << QStringLiteral("f.sql:1:1: ") + nul;
    }
    void nulIsNotText()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, error);
        QVERIFY(findInvalidUtf8(QByteArray("a\0b", 3)) == std::nullopt);
        const Result<QString> text = decodeUtf8File(bytes, QStringLiteral("f.sql"));
        QVERIFY(!text);
        QCOMPARE(text.error().toString(), error);
    }

    // Every sequence of up to three bytes, and every four-byte sequence with
    // a lead of F0..F4 and a second byte of 80..BF, against Qt's own decoder:
    // valid exactly when decoding and encoding again gives the bytes back.
    // ('x' first, so that EF BB BF is not taken for a byte order mark.)
    void agreesWithQtsDecoder()
    {
        auto agree = [](const QByteArray& bytes) {
            const bool valid = !findInvalidUtf8(bytes);
            // With the size: Qt 5 ends a QByteArray's text at NUL.
            const bool roundTrips
                = QString::fromUtf8(bytes.constData(), static_cast<int>(bytes.size())).toUtf8() == bytes;
            if (valid != roundTrips)
                qWarning("disagreement on %s: valid %d, Qt round trip %d", bytes.toHex(' ').constData(),
                    int(valid), int(roundTrips));
            return valid == roundTrips;
        };
        QByteArray bytes("x");
        int checked = 0;
        for (int a = 0; a < 256; ++a) {
            bytes.resize(2);
            bytes[1] = static_cast<char>(a);
            QVERIFY(agree(bytes));
            for (int b = 0; b < 256; ++b) {
                bytes.resize(3);
                bytes[2] = static_cast<char>(b);
                QVERIFY(agree(bytes));
                if (a < 0xE0)
                    continue; // only a lead of E0 or above makes a third byte matter
                for (int c = 0; c < 256; ++c) {
                    bytes.resize(4);
                    bytes[3] = static_cast<char>(c);
                    QVERIFY(agree(bytes));
                    ++checked;
                }
            }
        }
        for (int a = 0xF0; a <= 0xF4; ++a) {
            for (int b = 0x80; b <= 0xBF; ++b) {
                for (int c : { 0x41, 0x80, 0xA5, 0xBF, 0xC0 }) {
                    for (int d : { 0x0A, 0x80, 0x9F, 0xBF, 0xE9 }) {
                        const char sequence[] = { 'x', static_cast<char>(a), static_cast<char>(b),
                            static_cast<char>(c), static_cast<char>(d) };
                        QVERIFY(agree(QByteArray(sequence, 5)));
                        ++checked;
                    }
                }
            }
        }
        QVERIFY(checked > 2000000);
    }
};

QTEST_GUILESS_MAIN(TestUtf8)
#include "tst_utf8.moc"
