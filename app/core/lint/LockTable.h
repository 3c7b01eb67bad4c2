#pragma once

#include "lint/LockMode.h"

#include <QList>
#include <QString>

namespace dbops {

/// One row of lock_table.json (a Qt resource): which lock one form of a
/// statement takes, on which table, whether it rewrites or scans it, and the
/// page of PostgreSQL 15's documentation that says so.
struct LockTableRow
{
    QString id; ///< e.g. "alter-table-add-foreign-key"
    QString statement; ///< e.g. "ALTER TABLE ... ADD FOREIGN KEY (both tables)"
    LockMode lock = LockMode::None; ///< on the statement's own table
    LockMode otherLock = LockMode::None; ///< on the other table it names, if any
    QString rewrites; ///< "yes", "no" or when ("with a volatile DEFAULT ...")
    QString scans; ///< "yes", "no" or when
    QString doc; ///< e.g. "sql-altertable.html#SQL-ALTERTABLE-NOTES"
    // The example the tests read and run on a server:
    QString example;
    QString setup; ///< run (and read) before the example, in its own transaction
    QString relation; ///< the example's table that takes `lock`
    QString other; ///< the example's table that takes `otherLock`
    bool exampleRewrites = false;
    bool exampleScans = false;
    bool verifyOnServer = true; ///< false for statements that refuse a transaction block
};

/// The rows of lock_table.json, read once.
class LockTable
{
public:
    static const LockTable& instance();

    const QList<LockTableRow>& rows() const { return m_rows; }
    /// The setup every example starts from (tables r and t).
    const QString& baseSetup() const { return m_baseSetup; }
    /// The row `id`; a default row (lock None) when there is none.
    const LockTableRow& row(const QString& id) const;

private:
    LockTable();
    QList<LockTableRow> m_rows;
    QString m_baseSetup;
    LockTableRow m_missing;
};

} // namespace dbops
