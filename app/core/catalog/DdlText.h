#pragma once

#include "catalog/AuditReport.h"

#include <QString>
#include <QStringList>

namespace dbops {

/// The SQL fragments an audit item's text stands for: the one place that
/// turns SchemaDiff's expected / actual texts back into DDL, for both the
/// definitions shown side by side (ObjectDefinition) and the statements that
/// correct a database (CorrectiveSql).
class DdlText
{
public:
    /// `name` as PostgreSQL needs it written: quoted unless lower-case
    /// letters, digits, _ and $ that are not a reserved word.
    static QString identifier(const QString& name);
    /// "schema.name", each part quoted as needed.
    static QString qualified(const QString& schema, const QString& name);
    /// A string literal: 'it''s'.
    static QString literal(const QString& text);

    /// A column's line in CREATE TABLE: "email character varying(255) NOT NULL".
    static QString columnDefinition(const QString& name, const QString& described);
    /// A constraint's clause: "CONSTRAINT name PRIMARY KEY (id)" (a renamed
    /// constraint's text already names it).
    static QString constraintClause(const QString& name, const QString& text);
    /// The name a renamed constraint's text ("CONSTRAINT name definition") gives it, else "".
    static QString renamedConstraintName(const QString& text);
    /// The index's name in a pg_get_indexdef text ("CREATE INDEX ix ON ..."), unquoted.
    static QString indexName(const QString& definition);

    /// A sequence's describe() without " OWNED BY t.c", and the column it names ("" when free).
    static QString sequenceOptions(const QString& described);
    static QString sequenceOwnerColumn(const QString& described);
    /// The labels of an enum's text ("sad, ok, happy"), and as SQL: ('sad', 'ok', 'happy').
    static QStringList enumLabels(const QString& text);
    static QString enumLabelList(const QString& text);
    /// A view's text ("VIEW AS SELECT ..." or "MATERIALIZED VIEW AS ...").
    static bool isMaterializedView(const QString& text);
    static QString viewQuery(const QString& text); ///< the SELECT, without a final ';'

    /// The statement(s) that create the item as `text` describes it, ending in ";".
    /// Columns and constraints are parts of a table: ALTER TABLE ... ADD.
    static QString createStatement(const AuditItem& item, const QString& text);
};

} // namespace dbops
