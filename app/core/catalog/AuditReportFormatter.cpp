#include "catalog/AuditReportFormatter.h"

#include <QIODevice>
#include <QJsonArray>
#include <QRegularExpression>
#include <algorithm>
#include <cstring>
#include <vector>

namespace dbops {

namespace {

using Kind = AuditItem::Kind;
using Status = AuditItem::Status;

/// The items of one owner (a table, a view, or a schema's free objects).
struct Group
{
    QString schema;
    QString table;
    const AuditItem* owner = nullptr; ///< the table or view item itself, if listed
    QList<const AuditItem*> parts; ///< everything else, in report order

    QString title() const
    {
        if (table.isEmpty())
            return QStringLiteral("schema ") + schema;
        const QString kind = owner ? AuditItem::kindName(owner->objectKind) : QStringLiteral("table");
        return kind + QLatin1Char(' ') + schema + QLatin1Char('.') + table;
    }

    /// "18 columns MISSING, 1 index DIFFERS": what is not as expected among the parts.
    QString partsSummary() const
    {
        QStringList summary;
        for (Status status : AuditItem::allStatuses()) {
            if (status == Status::Exists)
                continue;
            for (Kind kind : AuditItem::allKinds()) {
                const int n
                    = static_cast<int>(std::count_if(parts.begin(), parts.end(), [&](const AuditItem* item) {
                          return item->status == status && item->objectKind == kind;
                      }));
                if (n > 0)
                    summary.append(
                        AuditItem::kindPlural(kind, n) + QLatin1Char(' ') + AuditItem::statusName(status));
            }
        }
        return summary.join(QStringLiteral(", "));
    }

    bool allExist() const
    {
        return (!owner || owner->status == Status::Exists)
            && std::all_of(parts.begin(), parts.end(),
                [](const AuditItem* item) { return item->status == Status::Exists; });
    }
};

bool shown(const AuditItem& item, bool onlyProblems)
{
    return !onlyProblems || item.status != Status::Exists;
}

QList<Group> groupsOf(const QList<AuditItem>& items, bool onlyProblems)
{
    QList<Group> groups;
    for (const AuditItem& item : items) {
        if (groups.isEmpty() || groups.constLast().schema != item.schema
            || groups.constLast().table != item.table)
            groups.append(Group { item.schema, item.table, nullptr, {} });
        Group& group = groups.last();
        const bool isOwner
            = (item.objectKind == Kind::Table || item.objectKind == Kind::View) && item.name == item.table;
        if (isOwner)
            group.owner = &item;
        else
            group.parts.append(&item);
    }
    if (onlyProblems) {
        groups.erase(
            std::remove_if(groups.begin(), groups.end(), [](const Group& g) { return g.allExist(); }),
            groups.end());
        for (Group& group : groups) {
            group.parts.erase(std::remove_if(group.parts.begin(), group.parts.end(),
                                  [](const AuditItem* item) { return !shown(*item, true); }),
                group.parts.end());
        }
    }
    return groups;
}

QString revisionsText(const QStringList& revisions, bool tableExists = true)
{
    if (!tableExists)
        return QStringLiteral("base (no version table)");
    return revisions.isEmpty() ? QStringLiteral("base") : revisions.join(QStringLiteral(", "));
}

QString verdict(const AuditTotals& report)
{
    if (!report.hasProblems())
        return QStringLiteral("OK: the database has every object the migrations create");
    // Whole missing tables count once, as in the totals.
    return QStringLiteral("FAILED: %1 MISSING, %2 DIFFERS (EXTRA objects are not a failure)")
        .arg(report.countOwn(Status::Missing))
        .arg(report.countOwn(Status::Differs));
}

QString ownerHeadline(const Group& group)
{
    QString line = group.title();
    if (group.owner) {
        line += QStringLiteral(": ") + AuditItem::statusName(group.owner->status);
        const QString& summary
            = group.owner->status == Status::Extra ? group.owner->actual : group.owner->expected;
        if (group.owner->status != Status::Exists && !summary.isEmpty())
            line += QStringLiteral(" (") + summary + QLatin1Char(')');
    }
    const QString parts = group.partsSummary();
    if (!parts.isEmpty() && (!group.owner || group.owner->status == Status::Exists))
        line += (group.owner ? QStringLiteral("; ") : QStringLiteral(": ")) + parts;
    return line;
}

QString detailOf(const AuditItem& item)
{
    return item.status == Status::Extra ? item.actual : item.expected;
}

QJsonValue textOrNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

/// Writes JSON the way QJsonDocument::toJson(Indented) does (4 spaces per
/// level, "key": value, an empty array as "[\n<indent>]", keys in the order
/// the caller gives, which must be QJsonObject's sorted order).
class IndentedJsonWriter
{
public:
    /// Appends to `out`, which holds room ahead of what is written (`expectedBytes`
    /// to begin with) until finish().
    IndentedJsonWriter(QByteArray& out, qsizetype expectedBytes)
        : m_out(out)
        , m_used(out.size())
    {
        m_out.resize(m_used + expectedBytes);
        m_data = m_out.data();
    }

    /// Writes to `device` from now on, in slices of about `slice` bytes
    /// (drain()), instead of holding the whole text.
    void streamTo(QIODevice* device, qsizetype slice)
    {
        m_device = device;
        m_slice = slice;
    }
    /// Hands what is written so far to the device once it is a slice.
    void drain(bool always = false)
    {
        if (!m_device || (m_used < m_slice && !always))
            return;
        if (m_used > 0 && m_device->write(m_data, m_used) != m_used)
            m_failed = true;
        m_used = 0;
    }
    bool failed() const { return m_failed; }

    /// Drops the room made ahead: call once, at the end.
    void finish()
    {
        drain(true);
        m_out.resize(m_used);
    }

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }

    /// Starts a member of the current object; its value follows.
    void key(const char* name)
    {
        nextElement();
        raw('"');
        raw(name, static_cast<qsizetype>(std::strlen(name)));
        raw("\": ", 3);
    }
    /// Starts an element of the current array; its value follows.
    void element() { nextElement(); }

    void string(const QString& text)
    {
        raw('"');
        appendEscaped(text);
        raw('"');
    }
    /// A string known to need no escaping (the kind and status names).
    void plainString(const QByteArray& text)
    {
        raw('"');
        raw(text.constData(), text.size());
        raw('"');
    }
    void stringOrNull(const QString& text)
    {
        if (text.isEmpty())
            raw("null", 4);
        else
            string(text);
    }
    void boolean(bool value) { value ? raw("true", 4) : raw("false", 5); }
    void integer(qint64 value)
    {
        const QByteArray digits = QByteArray::number(value);
        raw(digits.constData(), digits.size());
    }
    void newline() { raw('\n'); }

private:
    // Bytes go in through a pointer into room made beforehand, doubling as
    // needed: QByteArray's appends of a byte or two are most of the cost otherwise.
    char* room(qsizetype bytes)
    {
        if (m_used + bytes > m_out.size()) {
            m_out.resize(std::max<qsizetype>(2 * m_out.size(), m_used + bytes + 4096));
            m_data = m_out.data();
        }
        return m_data + m_used;
    }
    void raw(char c)
    {
        *room(1) = c;
        ++m_used;
    }
    void raw(const char* text, qsizetype bytes)
    {
        std::memcpy(room(bytes), text, static_cast<size_t>(bytes));
        m_used += bytes;
    }

    void open(char bracket)
    {
        raw(bracket);
        raw('\n');
        m_first.push_back(true);
    }
    void close(char bracket)
    {
        if (!m_first.back())
            raw('\n');
        m_first.pop_back();
        indent(m_first.size());
        raw(bracket);
    }
    void nextElement()
    {
        if (!m_first.back())
            raw(",\n", 2);
        m_first.back() = false;
        indent(m_first.size());
    }
    void indent(size_t depth)
    {
        const qsizetype bytes = static_cast<qsizetype>(4 * depth);
        std::memset(room(bytes), ' ', static_cast<size_t>(bytes));
        m_used += bytes;
    }

    // QJsonDocument's escaping: the two JSON specials, \b \f \n \r \t, other
    // control characters as \u00xx, UTF-8 for the rest; a lone surrogate as \uxxxx.
    void appendEscaped(const QString& text)
    {
        static const char hex[] = "0123456789abcdef";
        // Written through a pointer into room made beforehand (at most 6 bytes
        // per UTF-16 unit, "\u00xx"): appending byte by byte is most of the cost.
        char* out = room(6 * text.size());
        const char16_t* s = reinterpret_cast<const char16_t*>(text.constData());
        const char16_t* end = s + text.size();
        while (s != end) {
            const char16_t u = *s++;
            if (u < 0x80) {
                if (u >= 0x20 && u != '"' && u != '\\') {
                    *out++ = static_cast<char>(u);
                    continue;
                }
                *out++ = '\\';
                switch (u) {
                case '"':
                    *out++ = '"';
                    break;
                case '\\':
                    *out++ = '\\';
                    break;
                case 0x8:
                    *out++ = 'b';
                    break;
                case 0xc:
                    *out++ = 'f';
                    break;
                case 0xa:
                    *out++ = 'n';
                    break;
                case 0xd:
                    *out++ = 'r';
                    break;
                case 0x9:
                    *out++ = 't';
                    break;
                default:
                    *out++ = 'u';
                    *out++ = '0';
                    *out++ = '0';
                    *out++ = hex[u >> 4];
                    *out++ = hex[u & 0xf];
                }
            } else if (u < 0x800) {
                *out++ = static_cast<char>(0xc0 | (u >> 6));
                *out++ = static_cast<char>(0x80 | (u & 0x3f));
            } else if (!QChar::isSurrogate(u)) {
                *out++ = static_cast<char>(0xe0 | (u >> 12));
                *out++ = static_cast<char>(0x80 | ((u >> 6) & 0x3f));
                *out++ = static_cast<char>(0x80 | (u & 0x3f));
            } else if (QChar::isHighSurrogate(u) && s != end && QChar::isLowSurrogate(*s)) {
                const char32_t c = QChar::surrogateToUcs4(u, *s++);
                *out++ = static_cast<char>(0xf0 | (c >> 18));
                *out++ = static_cast<char>(0x80 | ((c >> 12) & 0x3f));
                *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3f));
                *out++ = static_cast<char>(0x80 | (c & 0x3f));
            } else {
                *out++ = '\\';
                *out++ = 'u';
                *out++ = hex[(u >> 12) & 0xf];
                *out++ = hex[(u >> 8) & 0xf];
                *out++ = hex[(u >> 4) & 0xf];
                *out++ = hex[u & 0xf];
            }
        }
        m_used = out - m_data;
    }

    QByteArray& m_out;
    qsizetype m_used; // bytes of m_out written; the rest is room
    char* m_data; // m_out's bytes, kept across writes (data() checks for sharing every time)
    std::vector<bool> m_first; // per open container: nothing written in it yet
    QIODevice* m_device = nullptr;
    qsizetype m_slice = 0;
    bool m_failed = false;
};

/// The names the JSON report writes, as bytes, and its pieces: one writer
/// for the whole report (jsonText) and for a streamed one (AuditReportStream).
class JsonReportParts
{
public:
    static constexpr int kKinds = static_cast<int>(Kind::Enum) + 1;
    static constexpr int kStatuses = static_cast<int>(Status::Differs) + 1;

    JsonReportParts()
        : m_kindNames { AuditItem::kindName(Kind::Table).toUtf8(), AuditItem::kindName(Kind::View).toUtf8(),
            AuditItem::kindName(Kind::Column).toUtf8(), AuditItem::kindName(Kind::Constraint).toUtf8(),
            AuditItem::kindName(Kind::Index).toUtf8(), AuditItem::kindName(Kind::Sequence).toUtf8(),
            AuditItem::kindName(Kind::Enum).toUtf8() }
        , m_statusNames { AuditItem::statusName(Status::Exists).toUtf8(),
            AuditItem::statusName(Status::Missing).toUtf8(), AuditItem::statusName(Status::Extra).toUtf8(),
            AuditItem::statusName(Status::Differs).toUtf8() }
    { }

    /// Everything before the first item.
    void begin(IndentedJsonWriter& w, const AuditSubject& subject) const
    {
        auto stringList = [&w](const QStringList& list) {
            w.beginArray();
            for (const QString& text : list) {
                w.element();
                w.string(text);
            }
            w.endArray();
        };
        w.beginObject();
        w.key("database");
        w.string(subject.database);
        w.key("database_revisions");
        stringList(subject.databaseRevisions);
        w.key("expected");
        w.beginObject();
        w.key("revisions");
        stringList(subject.expectedRevisions);
        w.key("source");
        w.string(subject.expectedSource);
        w.endObject();
        w.key("items");
        w.beginArray();
    }

    void item(IndentedJsonWriter& w, const AuditItem& item) const
    {
        w.element();
        w.beginObject();
        w.key("actual");
        w.stringOrNull(item.actual);
        w.key("expected");
        w.stringOrNull(item.expected);
        w.key("kind");
        w.plainString(m_kindNames[static_cast<int>(item.objectKind)]);
        w.key("name");
        w.string(item.name);
        w.key("schema");
        w.string(item.schema);
        w.key("status");
        w.plainString(m_statusNames[static_cast<int>(item.status)]);
        w.key("table");
        w.stringOrNull(item.table);
        w.key("with_table");
        w.boolean(item.withTable);
        w.endObject();
    }

    /// Everything after the last item.
    void end(IndentedJsonWriter& w, const AuditTotals& totals) const
    {
        // QJsonObject keeps its keys sorted: the writer must name them in that order.
        auto byName = [](auto list, auto name) {
            std::sort(list.begin(), list.end(), [&](auto a, auto b) { return name(a) < name(b); });
            return list;
        };
        const QList<Status> statuses = byName(AuditItem::allStatuses(), AuditItem::statusName);
        const QList<Kind> kinds = byName(AuditItem::allKinds(), AuditItem::kindName);
        w.endArray();
        w.key("ok");
        w.boolean(!totals.hasProblems());
        w.key("summary");
        w.string(totals.text());
        w.key("totals");
        w.beginObject();
        for (Status status : statuses) {
            w.key(m_statusNames[static_cast<int>(status)].constData());
            w.beginObject();
            for (Kind kind : kinds) {
                if (const int n = totals.count(status, kind)) {
                    w.key(m_kindNames[static_cast<int>(kind)].constData());
                    w.integer(n);
                }
            }
            w.endObject();
        }
        w.endObject();
        w.endObject();
        w.newline();
    }

private:
    const QByteArray m_kindNames[kKinds];
    const QByteArray m_statusNames[kStatuses];
};

QString textHeader(const AuditSubject& subject)
{
    QString out;
    out += QStringLiteral("Schema audit of %1 (at %2)\n")
               .arg(subject.database, revisionsText(subject.databaseRevisions, subject.versionTableExists));
    out += QStringLiteral("Expected: %1 (at %2)\n\n")
               .arg(subject.expectedSource, revisionsText(subject.expectedRevisions));
    return out;
}

void appendTextGroup(QString& out, const Group& group)
{
    static const QRegularExpression trailingSpace(QStringLiteral("\\s+$"));
    out += ownerHeadline(group) + QLatin1Char('\n');
    int nameWidth = 0;
    for (const AuditItem* item : group.parts)
        nameWidth = std::max(nameWidth, static_cast<int>(item->name.size()));
    nameWidth = std::min(nameWidth, 40);
    for (const AuditItem* item : group.parts) {
        const QString lead = QStringLiteral("  %1 %2 %3")
                                 .arg(AuditItem::statusName(item->status).leftJustified(8),
                                     AuditItem::kindName(item->objectKind).leftJustified(10),
                                     item->name.leftJustified(nameWidth));
        if (item->status == Status::Differs) {
            out += lead + QLatin1Char('\n');
            out += QStringLiteral("      expected: ") + item->expected + QLatin1Char('\n');
            out += QStringLiteral("      actual:   ") + item->actual + QLatin1Char('\n');
        } else {
            const QString detail = detailOf(*item);
            out += (detail.isEmpty() ? QString(lead).remove(trailingSpace)
                                     : lead + QStringLiteral("  ") + detail)
                + QLatin1Char('\n');
        }
    }
    out += QLatin1Char('\n');
}

QString textFooter(const AuditTotals& totals, bool nothingShown)
{
    QString out;
    if (nothingShown)
        out += QStringLiteral("Nothing differs from what is expected.\n\n");
    out += QStringLiteral("Totals: ") + totals.text() + QLatin1Char('\n');
    out += verdict(totals) + QLatin1Char('\n');
    return out;
}

QString htmlClass(Status status)
{
    return AuditItem::statusName(status).toLower();
}

} // namespace

QString AuditReportFormatter::text(const AuditReport& report, const AuditSubject& subject, bool onlyProblems)
{
    QString out = textHeader(subject);
    const QList<Group> groups = groupsOf(report.items, onlyProblems);
    for (const Group& group : groups)
        appendTextGroup(out, group);
    out += textFooter(report.totals(), groups.isEmpty() && onlyProblems);
    return out;
}

QJsonObject AuditReportFormatter::json(
    const AuditReport& report, const AuditSubject& subject, bool onlyProblems)
{
    QJsonObject totals;
    for (Status status : AuditItem::allStatuses()) {
        QJsonObject byKind;
        for (Kind kind : AuditItem::allKinds()) {
            if (const int n = report.count(status, kind))
                byKind.insert(AuditItem::kindName(kind), n);
        }
        totals.insert(AuditItem::statusName(status), byKind);
    }
    QJsonArray items;
    for (const AuditItem& item : report.items) {
        if (!shown(item, onlyProblems))
            continue;
        items.append(QJsonObject {
            { QStringLiteral("kind"), AuditItem::kindName(item.objectKind) },
            { QStringLiteral("schema"), item.schema },
            { QStringLiteral("table"), textOrNull(item.table) },
            { QStringLiteral("name"), item.name },
            { QStringLiteral("status"), AuditItem::statusName(item.status) },
            { QStringLiteral("expected"), textOrNull(item.expected) },
            { QStringLiteral("actual"), textOrNull(item.actual) },
            { QStringLiteral("with_table"), item.withTable },
        });
    }
    return QJsonObject {
        { QStringLiteral("database"), subject.database },
        { QStringLiteral("database_revisions"), QJsonArray::fromStringList(subject.databaseRevisions) },
        { QStringLiteral("expected"),
            QJsonObject { { QStringLiteral("source"), subject.expectedSource },
                { QStringLiteral("revisions"), QJsonArray::fromStringList(subject.expectedRevisions) } } },
        { QStringLiteral("ok"), !report.hasProblems() },
        { QStringLiteral("summary"), report.totalsText() },
        { QStringLiteral("totals"), totals },
        { QStringLiteral("items"), items },
    };
}

QByteArray AuditReportFormatter::jsonText(
    const AuditReport& report, const AuditSubject& subject, bool onlyProblems)
{
    const JsonReportParts parts;
    QByteArray out;
    IndentedJsonWriter w(out, 512 + report.items.size() * 360);
    parts.begin(w, subject);
    for (const AuditItem& item : report.items) {
        if (shown(item, onlyProblems))
            parts.item(w, item);
    }
    parts.end(w, report.totals());
    w.finish();
    return out;
}

QString AuditReportFormatter::html(const AuditReport& report, const AuditSubject& subject, bool onlyProblems)
{
    auto e = [](const QString& text) { return text.toHtmlEscaped(); };
    QString out;
    out += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out += QStringLiteral("<title>Schema audit: %1</title>\n").arg(e(subject.database));
    // Self-contained: the page is mailed and attached to tickets, so no external CSS or scripts.
    // Status is always written out, the colour only helps the eye.
    out += QStringLiteral(
        "<style>\n"
        "body { font-family: system-ui, sans-serif; margin: 2em; color: #1f2328; }\n"
        "h1 { font-size: 1.5em; } h2 { font-size: 1.1em; margin-top: 1.8em; }\n"
        "table { border-collapse: collapse; width: 100%; margin-top: .4em; }\n"
        "th, td { text-align: left; vertical-align: top; padding: .3em .6em; border-bottom: 1px solid "
        "#d0d7de; }\n"
        "th { background: #f6f8fa; }\n"
        "td.sql { font-family: ui-monospace, monospace; font-size: .9em; white-space: pre-wrap; }\n"
        ".status { font-weight: 600; padding: .1em .5em; border-radius: .3em; white-space: nowrap; }\n"
        ".exists .status, .status.exists { background: #dafbe1; color: #116329; }\n"
        ".missing .status, .status.missing { background: #ffebe9; color: #a40e26; }\n"
        ".differs .status, .status.differs { background: #fff8c5; color: #7d4e00; }\n"
        ".extra .status, .status.extra { background: #ddf4ff; color: #0a3069; }\n"
        ".verdict { font-size: 1.1em; font-weight: 600; }\n"
        ".verdict.ok { color: #116329; } .verdict.failed { color: #a40e26; }\n"
        ".meta { color: #59636e; }\n"
        "</style>\n</head>\n<body>\n");
    out += QStringLiteral(
        "<h1>Schema audit</h1>\n<p class=\"meta\">Database: <b>%1</b> at %2<br>Expected: %3 at %4</p>\n")
               .arg(e(subject.database),
                   e(revisionsText(subject.databaseRevisions, subject.versionTableExists)),
                   e(subject.expectedSource), e(revisionsText(subject.expectedRevisions)));
    out += QStringLiteral("<p class=\"verdict %1\">%2</p>\n<p>Totals: %3</p>\n")
               .arg(report.hasProblems() ? QStringLiteral("failed") : QStringLiteral("ok"),
                   e(verdict(report.totals())), e(report.totalsText()));

    const QList<Group> groups = groupsOf(report.items, onlyProblems);
    for (const Group& group : groups) {
        out += QStringLiteral("<h2>%1").arg(e(group.title()));
        if (group.owner)
            out += QStringLiteral(" <span class=\"status %1\">%2</span>")
                       .arg(htmlClass(group.owner->status), AuditItem::statusName(group.owner->status));
        const QString parts = group.partsSummary();
        if (!parts.isEmpty())
            out += QStringLiteral(" <small>%1</small>").arg(e(parts));
        out += QStringLiteral("</h2>\n");
        if (group.parts.isEmpty())
            continue;
        out += QStringLiteral("<table>\n<thead><tr><th>Status</th><th>Kind</th><th>Name</th><th>Expected</th>"
                              "<th>Actual</th></tr></thead>\n<tbody>\n");
        for (const AuditItem* item : group.parts) {
            out += QStringLiteral(
                "<tr class=\"%1\"><td><span class=\"status\">%2</span></td><td>%3</td><td>%4</td>"
                "<td class=\"sql\">%5</td><td class=\"sql\">%6</td></tr>\n")
                       .arg(htmlClass(item->status), AuditItem::statusName(item->status),
                           AuditItem::kindName(item->objectKind), e(item->name), e(item->expected),
                           e(item->actual));
        }
        out += QStringLiteral("</tbody>\n</table>\n");
    }
    out += QStringLiteral("</body>\n</html>\n");
    return out;
}

struct AuditReportStream::Private
{
    Private(QIODevice& device, Format format, bool onlyProblems)
        : device(device)
        , format(format)
        , onlyProblems(onlyProblems)
        , json(jsonBuffer, kSlice + 64 * 1024)
    {
        json.streamTo(&device, kSlice);
    }

    /// What one write to the device holds, about.
    static constexpr qsizetype kSlice = 1024 * 1024;

    void writeText(bool always)
    {
        if (text.isEmpty() || (text.size() < kSlice && !always))
            return;
        const QByteArray bytes = text.toUtf8();
        if (device.write(bytes) != bytes.size())
            failed = true;
        text.clear();
    }

    QIODevice& device;
    const Format format;
    const bool onlyProblems;
    AuditTotals totals;
    bool anyGroupShown = false;
    QString text;
    QByteArray jsonBuffer;
    IndentedJsonWriter json;
    JsonReportParts jsonParts;
    bool failed = false;
};

AuditReportStream::AuditReportStream(
    QIODevice& device, Format format, const AuditSubject& subject, bool onlyProblems)
    : d(std::make_unique<Private>(device, format, onlyProblems))
{
    if (format == Format::Json)
        d->jsonParts.begin(d->json, subject);
    else
        d->text = textHeader(subject);
}

AuditReportStream::~AuditReportStream() = default;

void AuditReportStream::addGroup(const QList<AuditItem>& items)
{
    for (const AuditItem& item : items)
        d->totals.add(item);
    if (d->format == Format::Json) {
        for (const AuditItem& item : items) {
            if (shown(item, d->onlyProblems))
                d->jsonParts.item(d->json, item);
        }
        d->json.drain();
        return;
    }
    const QList<Group> groups = groupsOf(items, d->onlyProblems);
    for (const Group& group : groups)
        appendTextGroup(d->text, group);
    d->anyGroupShown = d->anyGroupShown || !groups.isEmpty();
    d->writeText(false);
}

bool AuditReportStream::finish()
{
    if (d->format == Format::Json) {
        d->jsonParts.end(d->json, d->totals);
        d->json.finish();
        return !d->json.failed();
    }
    d->text += textFooter(d->totals, !d->anyGroupShown && d->onlyProblems);
    d->writeText(true);
    return !d->failed;
}

const AuditTotals& AuditReportStream::totals() const
{
    return d->totals;
}

} // namespace dbops
