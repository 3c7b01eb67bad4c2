#pragma once

#include <QList>
#include <QString>

namespace dbops {

/// One piece of a rendered migration script.  The preview shows `text()`; the
/// runner executes every item but comments, in order: one list, so both are
/// the same SQL byte for byte.
struct ScriptItem
{
    enum class Kind
    {
        Comment, ///< "-- Running upgrade A -> B"
        Begin,
        Commit,
        Statement, ///< a statement from a migration file
        VersionTable, ///< CREATE/INSERT/UPDATE/DELETE/DROP on the version table
        Setting, ///< SET [LOCAL] lock_timeout / statement_timeout for a run
    };

    Kind kind = Kind::Statement;
    QString sql; ///< without the terminating ";" (comments without "-- ")
    int stepIndex = -1; ///< index into MigrationPlan::steps, -1 outside a step
    /// The step's revision; for BEGIN, SET and COMMIT the last revision of
    /// their transaction (or autocommit stretch), so an error there names one.
    QString revision;
    QString filePath; ///< for Statement: where it was written
    int line = 0;
    int column = 0;
    bool autocommit = false; ///< runs outside a transaction block
    /// For a version-table UPDATE or DELETE: it must touch exactly one row, or
    /// the version table changed under us.
    bool expectsOneRow = false;

    bool isExecutable() const { return kind != Kind::Comment; }
    /// The item as it appears in the script, including the blank line after it.
    QString rendered() const
    {
        if (kind == Kind::Comment)
            return QStringLiteral("-- ") + sql + QStringLiteral("\n\n");
        return sql + QStringLiteral(";\n\n");
    }
};

struct RenderedScript
{
    QList<ScriptItem> items;

    QString text() const
    {
        QString out;
        for (const ScriptItem& item : items)
            out += item.rendered();
        return out;
    }
};

} // namespace dbops
