#include "connection/ConnectionSettings.h"

#include <QRegularExpression>
#include <QUrl>
#include <QVector>
#include <algorithm>
#include <libpq-fe.h>

namespace dbops {

namespace {

// Where a password stands in a connection string or URL echoed in a message.
// Only these places are redacted: a password that is also a common word
// ("server", "port") must not turn libpq's sentences into stars, which would
// tell the reader exactly which word the password is.

// URL userinfo, `postgresql://user:PASSWORD@`.  The password runs to the last
// '@' before a '/' on the line, so one with a raw '@' or a space is covered
// whole; a later "user@host" on the same line only costs some text.  The user
// may have spaces too: libpq takes them, and a password after one must not
// escape.
const QRegularExpression& urlPassword()
{
    static const QRegularExpression pattern(
        QStringLiteral("(postgres(?:ql)?(?:\\+\\w+)?://([^:/@\\r\\n]*):)[^/\\r\\n]*@"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern;
}

// A URL query parameter's key, `?KEY=` or `&KEY=`.  libpq percent-decodes
// keys as well as values, so `?pass%77ord=` is a password too.  The value
// runs to '&', '#' or a space (a message goes on after the URL; libpq would
// take '#' and spaces into the value, which only leaves the stars followed by
// some of it).  The key stops at '?' so that `?a=b?password=c` still finds the
// second one.
const QRegularExpression& queryKey()
{
    static const QRegularExpression pattern(QStringLiteral("[?&]([^=&?#\\s]*)="));
    return pattern;
}

// A libpq keyword, `password=PASSWORD` or `password = 'PASS WORD'` (libpq's
// quoting: '' around, backslash escapes, also in an unquoted value).  An
// unterminated quote hides everything after it.  PGPASSWORD=... as well.
const QRegularExpression& keywordPassword()
{
    static const QRegularExpression pattern(
        QStringLiteral(
            "((?<![?&\\w])(?:pg)?password\\s*=\\s*)(?:'(?:[^'\\\\]|\\\\.)*'?|(?:[^\\s\\\\]|\\\\.)+)"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    return pattern;
}

// Where the value of each `?password=` / `&password=` in `text` stands.
template<typename Visit> void forEachQueryPassword(const QString& text, Visit visit)
{
    static const QRegularExpression value(QStringLiteral("\\G[^&#\\s]*"));
    for (auto it = queryKey().globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch key = it.next();
        const QByteArray decoded = QByteArray::fromPercentEncoding(key.captured(1).toUtf8());
        if (decoded.compare("password", Qt::CaseInsensitive) != 0)
            continue;
        const QRegularExpressionMatch m = value.match(text, key.capturedEnd());
        visit(key.capturedStart(), m.capturedStart(), m.capturedEnd());
    }
}

// A stretch of text that becomes "****".
struct StarSpan
{
    qsizetype start = 0;
    qsizetype end = 0;
};

// Redaction is structural, and every place is found in the original text: a
// rule applied to the output of another could move a URL's ':' or '@' (a
// user name "u&password=" once lost its ':' to the query rule, and libpq then
// found the password after the next '@').  A URL's user name is a fence: a
// query or keyword password that starts inside it is cut at its end, so the
// URL keeps its "user:****@" shape and libpq reads the stars as its password.
QString redactConnectionStrings(const QString& text)
{
    QVector<StarSpan> spans;
    QVector<StarSpan> userNames;
    for (auto it = urlPassword().globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const qsizetype colon = m.capturedEnd(1) - 1;
        userNames.append({ m.capturedStart(2), colon });
        spans.append({ m.capturedEnd(1), m.capturedEnd(0) - 1 });
    }
    const auto addClipped = [&](qsizetype matchStart, qsizetype start, qsizetype end) {
        for (const StarSpan& user : std::as_const(userNames)) {
            if (matchStart >= user.start && matchStart < user.end) {
                end = std::min(end, user.end);
                if (start >= end)
                    return;
            }
        }
        spans.append({ start, end });
    };
    forEachQueryPassword(text, addClipped);
    for (auto it = keywordPassword().globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        addClipped(m.capturedStart(), m.capturedEnd(1), m.capturedEnd(0));
    }
    if (spans.isEmpty())
        return text;

    std::sort(
        spans.begin(), spans.end(), [](const StarSpan& a, const StarSpan& b) { return a.start < b.start; });
    QString out;
    out.reserve(text.size());
    qsizetype copied = 0;
    for (qsizetype i = 0; i < spans.size();) {
        StarSpan merged = spans[i];
        for (++i; i < spans.size() && spans[i].start < merged.end; ++i)
            merged.end = std::max(merged.end, spans[i].end);
        out += text.mid(copied, merged.start - copied);
        out += QLatin1String("****");
        copied = merged.end;
    }
    return out + text.mid(copied);
}

// The password as written in `input` (a URL or keyword string that libpq
// refused), and each word of it: libpq's parse errors quote a token of the
// input, which may be the password itself ("invalid percent-encoded token:
// "pa%zz"") or a word of an unquoted one with a space in it ("missing "="
// after "word""), so an unquoted keyword value here runs to the next
// `keyword=`.
QStringList passwordTokens(const QString& input)
{
    static const QRegularExpression url(
        QStringLiteral("^postgres(?:ql)?(?:\\+\\w+)?://[^:/@\\r\\n]*:([^/]*)@"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression keyword(
        QStringLiteral("(?<![\\w?&])password\\s*=\\s*(.*?)(?=\\s+\\w+\\s*=|$)"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression space(QStringLiteral("\\s+"));
    QStringList passwords;
    if (const QRegularExpressionMatch m = url.match(input); m.hasMatch())
        passwords.append(m.captured(1));
    forEachQueryPassword(input,
        [&](qsizetype, qsizetype start, qsizetype end) { passwords.append(input.mid(start, end - start)); });
    for (auto it = keyword.globalMatch(input); it.hasNext();)
        passwords.append(it.next().captured(1));
    QStringList tokens;
    for (const QString& password : std::as_const(passwords)) {
        tokens.append(password);
        tokens.append(password.split(space));
    }
    tokens.removeAll(QString());
    return tokens;
}

// A libpq parse error about `input`, with no password in it.  A quoted token
// is hidden only when it is the password or a word of it, never because it
// merely contains the same letters.
QString redactParseError(const QString& message, const QString& input)
{
    static const QRegularExpression quoted(QStringLiteral("\"([^\"]*)\""));
    const QString out = redactConnectionStrings(message);
    const QStringList passwords = passwordTokens(input);
    if (passwords.isEmpty())
        return out;
    QString result;
    int last = 0;
    for (auto it = quoted.globalMatch(out); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        result += out.mid(last, static_cast<int>(m.capturedStart()) - last);
        result += passwords.contains(m.captured(1)) ? QStringLiteral("\"****\"") : m.captured(0);
        last = static_cast<int>(m.capturedEnd());
    }
    return result + out.mid(last);
}

} // namespace

Result<ConnectionSettings> ConnectionSettings::parse(const QString& input)
{
    QString text = input.trimmed();
    if (text.isEmpty())
        return Error::input(QStringLiteral("empty connection string"));
    // SQLAlchemy spells URLs postgresql+psycopg2://; libpq does not know the suffix.
    static const QRegularExpression driverSuffix(QStringLiteral("^(postgres(?:ql)?)\\+\\w+://"));
    text.replace(driverSuffix, QStringLiteral("\\1://"));
    const bool isUrl
        = text.startsWith(QLatin1String("postgresql://")) || text.startsWith(QLatin1String("postgres://"));
    // libpq reads "postgres://" as "all defaults", which connects somewhere
    // nobody named.  "postgres:///db" (the local socket) names a database.
    if (isUrl && text.endsWith(QLatin1String("://")))
        return Error::input(QStringLiteral("empty URL: nothing after '%1'; name a host or a database, "
                                           "e.g. postgresql://HOST/DBNAME or postgresql:///DBNAME "
                                           "(local socket)")
                                .arg(input.trimmed()));
    if (!isUrl && !text.contains(QLatin1Char('=')))
        return Error::input(
            QStringLiteral("not a connection string: expected a postgresql:// URL or libpq keywords "
                           "like 'host=... dbname=...'"));

    char* errorMessage = nullptr;
    const QByteArray utf8 = text.toUtf8();
    PQconninfoOption* options = PQconninfoParse(utf8.constData(), &errorMessage);
    if (!options) {
        QString message
            = errorMessage ? QString::fromUtf8(errorMessage).trimmed() : QStringLiteral("out of memory");
        PQfreemem(errorMessage);
        return Error::input(QStringLiteral("bad connection string: %1").arg(redactParseError(message, text)));
    }
    ConnectionSettings settings;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val)
            continue;
        const QString keyword = QString::fromUtf8(o->keyword);
        const QString value = QString::fromUtf8(o->val);
        if (keyword == QLatin1String("password"))
            settings.m_password = value;
        else
            settings.m_keywords.insert(keyword, value);
    }
    PQconninfoFree(options);
    const QString port = settings.value(QStringLiteral("port"));
    if (!port.isEmpty()) {
        bool ok = false;
        const int number = port.toInt(&ok);
        if (!ok || number <= 0 || number > 65535)
            return Error::input(QStringLiteral("bad connection string: invalid port '%1'").arg(port));
    }
    return settings;
}

Result<ConnectionSettings> ConnectionSettings::fromEnvironment()
{
    const QString url = qEnvironmentVariable("DATABASE_URL");
    if (!url.isEmpty()) {
        Result<ConnectionSettings> parsed = parse(url);
        if (!parsed)
            return Error::input(QStringLiteral("DATABASE_URL: %1").arg(parsed.error().message));
        return parsed;
    }
    return ConnectionSettings();
}

void ConnectionSettings::setValue(const QString& keyword, const QString& value)
{
    if (keyword == QLatin1String("password")) {
        m_password = value;
        return;
    }
    if (value.isEmpty())
        m_keywords.remove(keyword);
    else
        m_keywords.insert(keyword, value);
}

QString ConnectionSettings::describe() const
{
    if (!value(QStringLiteral("service")).isEmpty() && value(QStringLiteral("host")).isEmpty())
        return QStringLiteral("service=") + value(QStringLiteral("service"));
    const QString host = value(QStringLiteral("host")).isEmpty()
        ? qEnvironmentVariable("PGHOST", QStringLiteral("localhost"))
        : value(QStringLiteral("host"));
    const QString port = value(QStringLiteral("port")).isEmpty()
        ? qEnvironmentVariable("PGPORT", QStringLiteral("5432"))
        : value(QStringLiteral("port"));
    const QString user = value(QStringLiteral("user")).isEmpty() ? qEnvironmentVariable("PGUSER")
                                                                 : value(QStringLiteral("user"));
    const QString db = value(QStringLiteral("dbname")).isEmpty() ? qEnvironmentVariable("PGDATABASE", user)
                                                                 : value(QStringLiteral("dbname"));
    return (user.isEmpty() ? QString() : user + QLatin1Char('@')) + host + QLatin1Char(':') + port
        + QLatin1Char('/') + db;
}

QString ConnectionSettings::toUrlWithoutPassword() const
{
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setHost(value(QStringLiteral("host")));
    if (!value(QStringLiteral("port")).isEmpty())
        url.setPort(value(QStringLiteral("port")).toInt());
    url.setUserName(value(QStringLiteral("user")));
    url.setPath(QLatin1Char('/') + value(QStringLiteral("dbname")));
    QStringList query;
    for (auto it = m_keywords.cbegin(); it != m_keywords.cend(); ++it) {
        if (it.key() == QLatin1String("host") || it.key() == QLatin1String("port")
            || it.key() == QLatin1String("user") || it.key() == QLatin1String("dbname"))
            continue;
        query.append(it.key() + QLatin1Char('=') + QString::fromUtf8(QUrl::toPercentEncoding(it.value())));
    }
    QString text = url.toString();
    if (!query.isEmpty())
        text += QLatin1Char('?') + query.join(QLatin1Char('&'));
    return text;
}

QString ConnectionSettings::redact(const QString& text) const
{
    return redactConnectionStrings(text);
}

} // namespace dbops
