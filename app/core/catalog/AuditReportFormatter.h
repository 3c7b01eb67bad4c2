#pragma once

#include "catalog/AuditReport.h"

#include <QJsonObject>
#include <QStringList>

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

} // namespace dbops
