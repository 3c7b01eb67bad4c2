#pragma once

#include "common/Result.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace dbops {

/// One column as the catalog describes it.  `type` is format_type() with the
/// type modifier ("numeric(10,6)", "character varying(20)").
struct CatalogColumn
{
    QString name;
    QString type;
    bool nullable = true;
    QString defaultExpression; ///< pg_get_expr of the default (or of the generation expression); empty: none
    QString identity; ///< "always", "by default" or empty
    QString generated; ///< "stored", "virtual" or empty

    /// "numeric(10,6) NOT NULL DEFAULT 0", what an audit shows as expected / actual.
    QString describe() const;
    bool operator==(const CatalogColumn& other) const;
    bool operator!=(const CatalogColumn& other) const { return !(*this == other); }
};

/// An index that does not back a constraint (those are audited as the constraint).
struct CatalogIndex
{
    QString name;
    QString definition; ///< pg_get_indexdef: "CREATE INDEX ix ON public.t USING btree (c)"
    /// pg_index.indisvalid: false after a failed CREATE INDEX CONCURRENTLY,
    /// an index the planner never uses and that the audit reports as DIFFERS.
    bool valid = true;
};

struct CatalogConstraint
{
    QString name;
    QString type; ///< "primary key", "foreign key", "unique", "check", "exclusion"
    QString definition; ///< pg_get_constraintdef: "FOREIGN KEY (a) REFERENCES public.t(id)"
};

struct CatalogTable
{
    QString schema;
    QString name;
    QList<CatalogColumn> columns; ///< sorted by name: column order is not audited
    QList<CatalogIndex> indexes; ///< sorted by name
    QList<CatalogConstraint> constraints; ///< sorted by name

    const CatalogColumn* column(const QString& name) const;
};

struct CatalogEnum
{
    QString schema;
    QString name;
    QStringList labels; ///< in their sort order, which is part of the type
};

struct CatalogView
{
    QString schema;
    QString name;
    bool materialized = false;
    QString definition; ///< pg_get_viewdef
};

/// A sequence; the numbers stay text because they span bigint, which JSON
/// numbers (doubles) cannot hold exactly.
struct CatalogSequence
{
    QString schema;
    QString name;
    QString dataType;
    QString start;
    QString increment;
    QString minValue;
    QString maxValue;
    QString cache;
    bool cycle = false;
    QString ownerTable; ///< OWNED BY table (same schema), empty when free-standing
    QString ownerColumn;

    /// "bigint START 1 INCREMENT 1 MINVALUE 1 MAXVALUE ... CACHE 1 OWNED BY t.id"
    QString describe() const;
};

/// The schema objects of one database (or of a replay of the migrations), as
/// a value: what an audit compares and what `migrations/schema/head.json`
/// holds.  Everything is kept sorted by name, so the JSON is the same for the
/// same schema wherever it was read, and a committed file diffs well.
struct CatalogSnapshot
{
    static constexpr int kFormatVersion = 1;

    QStringList schemas; ///< the schemas that were read
    QStringList revisions; ///< the revisions a replay reached; empty for a live database
    QList<CatalogTable> tables;
    QList<CatalogEnum> enums;
    QList<CatalogView> views;
    QList<CatalogSequence> sequences;

    /// Sorts every list by (schema, name): call after filling it by hand.
    void sort();

    const CatalogTable* table(const QString& schema, const QString& name) const;

    QJsonObject toJson() const;
    /// The file form: indented JSON with a final newline.
    QByteArray toJsonText() const;
    static Result<CatalogSnapshot> fromJson(const QJsonObject& object);
    /// Reads a file written by toJsonText(); the error names the file.
    static Result<CatalogSnapshot> readFile(const QString& path);
    /// The same from the file's bytes (`path` names it in errors).
    static Result<CatalogSnapshot> fromJsonText(const QByteArray& text, const QString& path);
    /// The schemas a file's text names, read from its first lines alone
    /// (toJsonText writes them there), so a caller can start reading the
    /// catalog while the whole file parses.  A guess: empty when the text does
    /// not start as toJsonText's does, and to be checked against the full parse.
    static QStringList schemasAhead(const QByteArray& text);
};

} // namespace dbops
