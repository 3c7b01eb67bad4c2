// libFuzzer target over ConnectionSettings::parse (postgresql:// URLs and
// libpq keyword strings, from the command line, DATABASE_URL and profiles)
// and its redaction: no input may crash it, describe() and the URL without
// password never depend on the password, and a password never survives
// redact() of the text it was parsed from.
#include "FuzzCheck.h"
#include "connection/ConnectionSettings.h"

#include <QUrl>

namespace {

using dbops::ConnectionSettings;

// libpq's quoting of a keyword value: '...' with \ before ' and \.
QString quotedKeywordValue(const QString& value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

QString percentEncoded(const QString& value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

void checkInput(const QString& input)
{
    const dbops::Result<ConnectionSettings> parsed = ConnectionSettings::parse(input);
    if (!parsed)
        return;
    const ConnectionSettings& settings = parsed.value();
    const QString password = settings.password();

    // What is shown of a connection never depends on its password.
    ConnectionSettings withoutPassword = settings;
    withoutPassword.setPassword(QString());
    FUZZ_REQUIRE(settings.describe() == withoutPassword.describe(), QString());
    FUZZ_REQUIRE(settings.toUrlWithoutPassword() == withoutPassword.toUrlWithoutPassword(), QString());
    if (password.isEmpty())
        return;

    // The password echoed the ways a connection string spells it goes whole.
    const QString stars = QStringLiteral("****");
    FUZZ_REQUIRE(settings.redact(QStringLiteral("password=") + quotedKeywordValue(password))
            == QStringLiteral("password=") + stars,
        QString());
    FUZZ_REQUIRE(
        settings.redact(QStringLiteral("postgresql://u:") + percentEncoded(password) + QStringLiteral("@h/d"))
            == QStringLiteral("postgresql://u:****@h/d"),
        QString());
    FUZZ_REQUIRE(settings.redact(QStringLiteral("postgresql://h/d?password=") + percentEncoded(password))
            == QStringLiteral("postgresql://h/d?password=****"),
        QString());

    // The input itself, echoed and redacted, must not give the same password
    // back: whatever is left of it, libpq no longer reads the password there.
    // URL redaction works line by line (a multi-line message must not lose
    // the lines between a URL and a later '@'), so a URL whose user or
    // password has a line break in it, which libpq takes, is out of its
    // reach by design.
    const auto breaksLines = [](QStringView text) {
        return text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'));
    };
    const int userinfoEnd = static_cast<int>(input.indexOf(QLatin1Char('@')));
    const bool urlSpansLines = input.contains(QLatin1String("://")) && userinfoEnd >= 0
        && breaksLines(QStringView(input).left(userinfoEnd));
    if (password != stars && !breaksLines(password) && !urlSpansLines) {
        const dbops::Result<ConnectionSettings> reparsed = ConnectionSettings::parse(settings.redact(input));
        FUZZ_REQUIRE(
            !reparsed || reparsed->password() != password, QStringLiteral("password survives redact()"));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    checkInput(dbops::fuzz::lenientText(data, size));
    checkInput(dbops::fuzz::rawUtf16(data, size));
    return 0;
}
