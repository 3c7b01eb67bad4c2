#include "catalog/AuditReportFormatter.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <algorithm>

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

QList<Group> groupsOf(const AuditReport& report, bool onlyProblems)
{
    QList<Group> groups;
    for (const AuditItem& item : report.items) {
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

QString verdict(const AuditReport& report)
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

QString htmlClass(Status status)
{
    return AuditItem::statusName(status).toLower();
}

} // namespace

QString AuditReportFormatter::text(const AuditReport& report, const AuditSubject& subject, bool onlyProblems)
{
    QString out;
    out += QStringLiteral("Schema audit of %1 (at %2)\n")
               .arg(subject.database, revisionsText(subject.databaseRevisions, subject.versionTableExists));
    out += QStringLiteral("Expected: %1 (at %2)\n\n")
               .arg(subject.expectedSource, revisionsText(subject.expectedRevisions));

    const QList<Group> groups = groupsOf(report, onlyProblems);
    for (const Group& group : groups) {
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
                out += (detail.isEmpty() ? QString(lead).remove(QRegularExpression(QStringLiteral("\\s+$")))
                                         : lead + QStringLiteral("  ") + detail)
                    + QLatin1Char('\n');
            }
        }
        out += QLatin1Char('\n');
    }
    if (groups.isEmpty() && onlyProblems)
        out += QStringLiteral("Nothing differs from what is expected.\n\n");
    out += QStringLiteral("Totals: ") + report.totalsText() + QLatin1Char('\n');
    out += verdict(report) + QLatin1Char('\n');
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
                   e(verdict(report)), e(report.totalsText()));

    const QList<Group> groups = groupsOf(report, onlyProblems);
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

} // namespace dbops
