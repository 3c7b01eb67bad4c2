#pragma once

#include "lint/LockMode.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

namespace dbops {

/// What one statement does to one relation: the lock it takes there (the
/// strongest of its subcommands), and whether it rewrites or reads the whole
/// relation while holding it.
struct RelationEffect
{
    QString relation; ///< "schema.name" as written, or "name"
    LockMode lock = LockMode::None;
    bool rewrites = false;
    bool scans = false; ///< reads every row under the lock (without rewriting)
    /// Created earlier in the same transaction: nobody else can see it yet,
    /// so no lock on it blocks anyone.
    bool createdInTransaction = false;
    QStringList rowIds; ///< the lock_table.json rows that apply, strongest first
};

/// The effects of one statement, one entry per relation it touches.
struct StatementEffects
{
    QList<RelationEffect> relations;

    /// The strongest lock on a relation that existed before the transaction.
    LockMode strongestOnExisting() const;
    /// The relation of strongestOnExisting(), or nullptr.
    const RelationEffect* strongestEffect() const;
    /// ACCESS EXCLUSIVE ... SHARE on an existing relation: ordinary writes
    /// (or reads too) wait for this statement.  What the SQL preview marks.
    bool takesStrongLock() const { return blocksWrites(strongestOnExisting()); }
    const RelationEffect* relation(const QString& name) const;
};

/// The lock model: for each statement of a transaction, from PostgreSQL's
/// parse tree, the lock it takes on each relation (PostgreSQL 15's levels,
/// lock_table.json), and whether it rewrites or scans it.  It remembers what
/// the statements before created (relations created in the running
/// transaction are exempt), which index belongs to which table, the column
/// types it saw and the CHECK constraints that prove a column NOT NULL, so a
/// later statement is judged with what the earlier ones did.
///
/// Use: effects(statement) for each statement, then apply(statement);
/// beginTransaction()/endTransaction() around each transaction (a statement
/// outside any is its own).
class LockModel
{
public:
    void beginTransaction();
    void endTransaction();
    bool inTransaction() const { return m_inTransaction; }

    /// `statement` is one element of the tree's "stmts" array's "stmt"
    /// object: {"AlterTableStmt": {...}}.  Uses what earlier statements did;
    /// changes nothing.
    StatementEffects effects(const QJsonObject& statement) const;
    /// Records what `statement` creates, drops and proves, for the statements after it.
    void apply(const QJsonObject& statement);

    // What the rules ask about the statements before this one:
    bool createdInTransaction(const QString& relation) const;
    /// The table of index `index` when a statement before created it.
    QString tableOfIndex(const QString& index) const;
    /// The column's type as the last CREATE TABLE / ADD COLUMN / ALTER TYPE
    /// before wrote it ("varchar(20)"), or empty.
    QString columnType(const QString& relation, const QString& column) const;
    /// A valid CHECK (column IS NOT NULL) exists on the column.
    bool notNullProven(const QString& relation, const QString& column) const;
    /// Constraint `name` on `relation` was added NOT VALID in this transaction.
    bool addedNotValidInTransaction(const QString& relation, const QString& name) const;

    /// An expression PostgreSQL must evaluate per row (a volatile function,
    /// as far as a parse tree can tell: unknown functions count as volatile).
    static bool isVolatile(const QJsonValue& expression);
    /// "varchar(20)", "int4", "numeric(10,2)" from a TypeName node.
    static QString typeText(const QJsonValue& typeNameNode);
    /// Whether ALTER COLUMN ... TYPE from `from` to `to` keeps the bytes
    /// (no rewrite): varchar(n) -> varchar(m >= n), varchar / text,
    /// numeric(p,s) -> numeric(q >= p,s) or numeric, the same type.
    static bool binaryCoercible(const QString& from, const QString& to);

private:
    struct Collector;
    static QString key(const QString& relation);
    void forget(const QString& relation);

    bool m_inTransaction = false;
    QSet<QString> m_createdInTransaction;
    QHash<QString, QString> m_indexTable; ///< index key -> table as written
    QHash<QString, QString> m_columnTypes; ///< "table key|column" -> type text
    QSet<QString> m_notNullChecks; ///< "table key|column"
    QSet<QString> m_notValidInTransaction; ///< "table key|constraint"
    QHash<QString, QString>
        m_notValidChecks; ///< "table key|constraint" -> column a NOT VALID NOT NULL check covers
    QSet<QString> m_checkedTables; ///< tables with a valid CHECK (may prove a partition bound)
};

} // namespace dbops
