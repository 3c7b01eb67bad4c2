#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace dbops {

/// A `-- dbops: allow RULE[, RULE]: reason` comment on the lines right above
/// a statement (only comments and blank lines between), which silences those
/// rules for that statement.  The reason is required: an allow comment
/// without one silences nothing and is itself reported.
struct Suppression
{
    QStringList rules; ///< as written (squawk's other names are accepted)
    QString reason; ///< empty: not valid
    int line = 0;
};

class Suppressions
{
public:
    /// The allow comments above the statement starting at `statementLine`
    /// (1-based) of `lines` (the file, split at line breaks).
    static QList<Suppression> above(const QStringList& lines, int statementLine);
    /// One comment line, or nullopt-like (rules empty) when it is none.
    static Suppression parseComment(const QString& line, int lineNumber);
};

} // namespace dbops
