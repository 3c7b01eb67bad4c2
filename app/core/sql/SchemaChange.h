#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace dbops {

/// One schema object a statement creates, drops or alters, read from
/// PostgreSQL's parse tree (SchemaChanges::of), so a confirmation can say
/// exactly what an upgrade creates and what a rollback drops.
///
/// Names are as PostgreSQL reads them: unquoted identifiers folded to lower
/// case, quoted ones exact and without their quotes; `schema` is empty when
/// the statement does not write one.  Which fields a kind fills:
///   - tables, views, sequences (relations): `table`;
///   - columns, constraints: `table` and `name`;
///   - indexes: `name` (empty for an unnamed CREATE INDEX) and, for
///     CreateIndex, its `table` (DROP INDEX does not name the table);
///   - types, functions: `name`;
///   - schemas: `schema`;
///   - renames: the old names as above, and `newName`;
///   - Other: whichever of them are known, and `detail`.
struct SchemaChange
{
    enum class Kind
    {
        CreateTable,
        DropTable,
        AddColumn,
        DropColumn,
        AlterColumnType,
        CreateIndex,
        DropIndex,
        AddConstraint,
        DropConstraint,
        CreateView,
        DropView,
        CreateType,
        DropType,
        CreateSequence,
        DropSequence,
        CreateFunction,
        DropFunction,
        RenameTable,
        RenameColumn,
        CreateSchema,
        DropSchema,
        Other, ///< any other change to a schema object: triggers, extensions, SET NOT NULL ...
    };

    Kind kind = Kind::Other;
    QString schema;
    QString table;
    QString name;
    QString newName;
    /// The words describe() uses where the kind alone does not say it: for
    /// Other the whole change in SQL words ("CREATE TRIGGER trg ON t",
    /// "ALTER TABLE t ALTER COLUMN c SET NOT NULL"); for the other kinds the
    /// object's own type when the kind's word does not fit it ("materialized
    /// view", "foreign table", "domain", "procedure", "primary key", "check
    /// constraint" ...); else empty.
    QString detail;
    /// CreateIndex, and AddConstraint of a primary key, unique constraint or
    /// foreign key: the key columns in order (what finds the object PostgreSQL
    /// named when the statement names none); empty when one is an expression.
    QStringList columns;
    /// CreateFunction (not aggregates or procedures): the argument types as
    /// to_regprocedure and DROP FUNCTION read them, "(pg_catalog.int4, text[])";
    /// empty when a type cannot be written so (%TYPE).
    QString arguments;
    /// The statement may do nothing: IF EXISTS / IF NOT EXISTS on the object
    /// itself (DROP TABLE IF EXISTS, ADD COLUMN IF NOT EXISTS, CREATE TABLE IF
    /// NOT EXISTS ...) or on the table it alters (ALTER TABLE IF EXISTS).
    bool ifExists = false;
    bool cascade = false; ///< DROP ... CASCADE: dependent objects go too

    /// The object, without a verb: "table equity_changes", "column
    /// portfolio_snapshots.hhi", "index ix_x on t", "check constraint ck on t",
    /// "table a to b" (a rename); for Other, `detail`.
    QString describe() const;
    /// True when the change deletes stored rows or values: a dropped table or
    /// column, or a DROP SCHEMA / DROP TYPE ... CASCADE (which takes the
    /// schema's tables, or the columns of that type, with it).
    bool removesData() const;
    /// True when the change makes a new object (a table, column, index,
    /// constraint, view, type, sequence, function or schema).
    bool createsObject() const;
};

using SchemaChangeList = QList<SchemaChange>;

} // namespace dbops
