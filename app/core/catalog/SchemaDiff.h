#pragma once

#include "catalog/AuditReport.h"
#include "catalog/CatalogSnapshot.h"

#include <functional>

namespace dbops {

/// Compares what the migrations say (expected) with what a database has
/// (actual), object by object.
///
/// Objects are matched by schema and name; tables and views by their owner
/// too.  What must not count as a difference does not: column order, OIDs,
/// whitespace in view definitions.  Index and constraint definitions compare
/// as PostgreSQL prints them back, without the object's own name, so an index
/// or constraint that only has another name is one DIFFERS item (expected
/// name vs actual name), not a MISSING plus an EXTRA.  The parts of a missing
/// (or extra) table are listed with it, under the same status.  An INVALID
/// index (a failed CREATE INDEX CONCURRENTLY) is DIFFERS, detail "invalid".
class SchemaDiff
{
public:
    static AuditReport compare(const CatalogSnapshot& expected, const CatalogSnapshot& actual);
    /// The same items, one owner at a time in the report's order (a table, a
    /// view, or a schema's free objects, with their parts): `group` gets each
    /// owner's items and may take them.  A report of 20,000 tables never has to
    /// be held whole (AuditReportStream).
    static void compareByOwner(const CatalogSnapshot& expected, const CatalogSnapshot& actual,
        const std::function<void(QList<AuditItem>&)>& group);

    /// An index definition without the index's name, whitespace collapsed:
    /// "CREATE INDEX ON public.t USING btree (c)".
    static QString normalizedIndexDefinition(const CatalogIndex& index);
    /// What follows an INVALID index's definition in an audit item's actual
    /// text (" -- invalid"); such an index is DIFFERS, expected or not.
    static QString invalidIndexDetail();
    /// A CHECK's text with the casts a deparse round trip adds or moves
    /// folded away (`'a'::character varying::text` and `ARRAY[...]::text[]`).
    static QString normalizedConstraintDefinition(const QString& definition);
};

} // namespace dbops
