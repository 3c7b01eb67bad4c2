#pragma once

#include "catalog/AuditReport.h"

#include <QIODevice>
#include <QJsonObject>
#include <QStringList>
#include <memory>

namespace dbops {

/// What an audit looked at, for the report's header.
struct AuditSubject
{
    QString database; ///< "user@host:port/db", never a password
    QStringList databaseRevisions; ///< the version table's rows
    bool versionTableExists = false;
    QString expectedSource; ///< "…/migrations/schema/head.json", "replay to 19c513d3bf90 on …"
    QStringList expectedRevisions;
};

/// An audit report as text (a tree grouped by owner), JSON (docs/cli.md) or
/// a self-contained HTML page.  `onlyProblems` leaves out what EXISTS as
/// expected; the totals always count everything.
class AuditReportFormatter
{
public:
    static QString text(const AuditReport& report, const AuditSubject& subject, bool onlyProblems);
    static QJsonObject json(const AuditReport& report, const AuditSubject& subject, bool onlyProblems);
    /// The same document as `QJsonDocument(json(...)).toJson(QJsonDocument::Indented)`,
    /// byte for byte, written straight from the items: a report of 50,000
    /// items is ~18 MB, and a QJsonObject per item costs several times the writing.
    static QByteArray jsonText(const AuditReport& report, const AuditSubject& subject, bool onlyProblems);
    static QString html(const AuditReport& report, const AuditSubject& subject, bool onlyProblems);
};

/// An audit report written while it is compared, owner by owner
/// (SchemaDiff::compareByOwner), as text or JSON: byte for byte what
/// AuditReportFormatter::text / jsonText write for the whole report, but in
/// slices of about a megabyte, so neither the report nor its text is ever
/// held whole (20,000 tables: 600,000 items, ~190 MB of JSON).
class AuditReportStream
{
public:
    enum class Format
    {
        Text,
        Json
    };

    /// Writes the header to `device` (open for writing, outliving this).
    AuditReportStream(QIODevice& device, Format format, const AuditSubject& subject, bool onlyProblems);
    ~AuditReportStream();
    AuditReportStream(const AuditReportStream&) = delete;
    AuditReportStream& operator=(const AuditReportStream&) = delete;

    /// The items of one owner, in the report's order.
    void addGroup(const QList<AuditItem>& items);
    /// Writes the totals and what is still buffered; false when a write failed.
    bool finish();
    /// Of every item added so far.
    const AuditTotals& totals() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace dbops
