-- Table constraints of every audited table, with their definition.
--   $1  the audited tables' oids (tables.sql picks them), an oid array: a
--       large schema's tables go in slices of a few thousand, so that no
--       result holds every column of 20,000 tables at once
-- NOT NULL is audited with the column (PostgreSQL 18 also lists it here as
-- contype 'n'); constraint triggers ('t') are not schema shape.  The table
-- is its oid (tables.sql has the names).
-- pg_get_constraintdef costs the server most of this query (it looks up
-- every column's name and, for a foreign key, opens the referenced table):
-- a plain primary key, unique constraint or foreign key comes back as its
-- parts instead, `definition` NULL, and the reader composes the same text
-- (CatalogSnapshotBuilder::composeConstraints; the ones it cannot, e.g. a
-- foreign key to a table outside the audit, it asks pg_get_constraintdef for
-- after all, constraint_definitions.sql).  What "plain" excludes depends on
-- the server's version (NULLS NOT DISTINCT, INCLUDE, WITHOUT OVERLAPS, ON
-- DELETE SET NULL (columns), NOT ENFORCED): the reader fills it in
-- (CatalogReader.cpp, plainConstraintCondition), `false` for a version it
-- does not know.
WITH audited AS (SELECT unnest($1::oid[]) AS oid)
SELECT k.conrelid AS table_oid,
       k.conname AS constraint_name,
       CASE k.contype
           WHEN 'p' THEN 'primary key'
           WHEN 'f' THEN 'foreign key'
           WHEN 'u' THEN 'unique'
           WHEN 'c' THEN 'check'
           WHEN 'x' THEN 'exclusion'
       END AS constraint_type,
       CASE WHEN plain THEN NULL ELSE pg_get_constraintdef(k.oid, true) END AS definition,
       k.oid AS constraint_oid,
       CASE WHEN plain THEN k.contype::text END AS kind,
       CASE WHEN plain THEN array_to_string(k.conkey, ' ') END AS key_columns,
       CASE WHEN plain AND k.contype = 'f' THEN k.confrelid END AS referenced_table,
       CASE WHEN plain AND k.contype = 'f' THEN array_to_string(k.confkey, ' ') END AS referenced_columns,
       CASE WHEN plain AND k.contype = 'f' THEN k.confmatchtype::text || k.confupdtype::text || k.confdeltype::text END AS actions,
       CASE WHEN plain THEN k.condeferrable::int::text || k.condeferred::int::text || k.convalidated::int::text END AS flags
  FROM audited
  JOIN pg_constraint AS k ON k.conrelid = audited.oid
  LEFT JOIN pg_index AS x ON k.contype IN ('p', 'u') AND x.indexrelid = k.conindid
 CROSS JOIN LATERAL (SELECT coalesce(@plain_constraint@, false) AS plain) AS shape
 WHERE k.contype IN ('p', 'f', 'u', 'c', 'x')
