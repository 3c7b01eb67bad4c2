#pragma once

#include "catalog/AuditReport.h"

#include <QList>
#include <QString>

namespace dbops {

/// The SQL that would make a database's objects what the migrations expect,
/// from an audit's items: CREATE what is MISSING (a whole table with its
/// parts in one CREATE TABLE), ALTER or replace what DIFFERS (a renamed
/// constraint or index is renamed back), DROP what is EXTRA.  Each object's
/// statements follow a comment naming it; a DROP says that it loses data.
/// For a person to review and run: no transaction, no locks or timeouts.
///
/// What PostgreSQL cannot change in place is said in a comment, not guessed:
/// an enum label to remove or reorder.
class CorrectiveSql
{
public:
    /// `items`: any of a report's items, in its order (one owner's, or the
    /// whole report's).  EXISTS items add nothing; parts listed with a whole
    /// MISSING or EXTRA table come with that table when it is among `items`.
    /// Empty when nothing needs correcting.
    static QString forItems(const QList<AuditItem>& items);
};

} // namespace dbops
