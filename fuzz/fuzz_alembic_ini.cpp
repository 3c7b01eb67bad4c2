// libFuzzer target over AlembicIni, the configparser-alike that reads an
// Alembic project's alembic.ini: no file may crash or hang it, and what it
// answers must be consistent (lines inside the file, absolute clean paths).
#include "FuzzCheck.h"
#include "alembic/AlembicIni.h"

#include <QDir>
#include <QRegularExpression>
#include <QSet>

namespace {

void checkDirectory(const QString& directory)
{
    FUZZ_REQUIRE(QDir::isAbsolutePath(directory) && QDir::cleanPath(directory) == directory, directory);
}

void checkIni(const QString& text)
{
    const QString path = QStringLiteral("/fuzz/project/alembic.ini");
    const dbops::Result<dbops::AlembicIni> parsed = dbops::AlembicIni::parse(text, path);
    const int lineCount = static_cast<int>(text.count(QLatin1Char('\n'))) + 1;
    if (!parsed) {
        FUZZ_REQUIRE(parsed.error().line >= 1 && parsed.error().line <= lineCount, parsed.error().message);
        return;
    }
    const dbops::AlembicIni& ini = parsed.value();

    // The sections and keys the text seems to name, asked for one by one
    // (the ini has no listing of its own): every value, interpolated.
    static const QRegularExpression header(
        QStringLiteral("^\\s*\\[(.*)\\]"), QRegularExpression::MultilineOption);
    static const QRegularExpression option(
        QStringLiteral("^\\s*([^=:\\s][^=:]*?)\\s*[=:]"), QRegularExpression::MultilineOption);
    QSet<QString> sections { dbops::AlembicIni::mainSection(), QStringLiteral("DEFAULT") };
    // A few of each: every pair is asked, and the input may name hundreds.
    for (auto it = header.globalMatch(text); it.hasNext() && sections.size() < 12;)
        sections.insert(it.next().captured(1));
    QSet<QString> keys { QStringLiteral("here"), QStringLiteral("script_location") };
    for (auto it = option.globalMatch(text); it.hasNext() && keys.size() < 40;)
        keys.insert(it.next().captured(1).trimmed());
    for (const QString& section : std::as_const(sections)) {
        for (const QString& key : std::as_const(keys)) {
            const int line = ini.lineOf(section, key);
            FUZZ_REQUIRE(line >= 0 && line <= lineCount, key);
            const bool present = ini.contains(section, key);
            FUZZ_REQUIRE(present || line == 0, key);
            const dbops::Result<QString> value = ini.value(section, key);
            FUZZ_REQUIRE(!value || present, key);
            if (!value)
                FUZZ_REQUIRE(
                    value.error().line >= 0 && value.error().line <= lineCount, value.error().message);
        }
    }

    if (const dbops::Result<QString> location = ini.scriptLocation())
        checkDirectory(location.value());
    if (const dbops::Result<QStringList> locations = ini.versionLocations()) {
        for (const QString& directory : locations.value())
            checkDirectory(directory);
    }
    (void)ini.recursiveVersionLocations();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // As AlembicIni::read gets the file: decoded leniently from bytes.
    checkIni(dbops::fuzz::lenientText(data, size));
    return 0;
}
