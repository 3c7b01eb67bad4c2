#pragma once

#include "catalog/AuditReport.h"

#include <QString>

namespace dbops::ui {

/// An audit report as CSV for spreadsheets: one row per item, in report
/// order, with the columns of the JSON export (docs/cli.md):
/// schema,table,kind,name,status,expected,actual,with_table.
///
/// RFC 4180: CRLF line ends, a field is quoted when it holds a comma, a
/// quote, a line break or leading/trailing blanks, and quotes inside are
/// doubled.  No byte order mark: most tools that read CSV don't want one.
class AuditCsvWriter
{
public:
    /// `onlyProblems` leaves out what EXISTS, as the other exports do.
    static QString csv(const AuditReport& report, bool onlyProblems);
    /// Writes csv() as UTF-8, atomically; on failure returns false and sets `errorMessage`.
    static bool write(
        const QString& path, const AuditReport& report, bool onlyProblems, QString* errorMessage = nullptr);
    static QString field(const QString& value);
};

} // namespace dbops::ui
