-- Indexes of every audited table, with their full definition.
--   $1  the audited tables' oids (tables.sql picks them), an oid array: a
--       large schema's tables go in slices of a few thousand, so that no
--       result holds every column of 20,000 tables at once
-- An index behind a primary key, unique or exclusion constraint is left out:
-- the audit reports it once, as that constraint.  (A foreign key's conindid
-- names the referenced table's index, hence the conrelid condition.)  The
-- table is its oid (tables.sql has the names).  `valid` is false for an index a
-- failed CREATE INDEX CONCURRENTLY left behind: the audit reports it as DIFFERS.
-- pg_get_indexdef costs the server most of this query (a dozen catalog
-- lookups per index, a scan of the access method's operator classes per
-- column): a plain index (key columns only, default operator classes, no
-- options, predicate, sort order or uniqueness) comes back as its parts
-- instead, `definition` NULL, and the reader composes the same text
-- (CatalogSnapshotBuilder::composeIndexes; the ones it cannot vouch for, e.g. a
-- varchar column under text_ops, it asks pg_get_indexdef for after all,
-- index_definitions.sql).
WITH audited AS (SELECT unnest($1::oid[]) AS oid),
     default_opclasses AS (SELECT array_agg(oid) AS oids FROM pg_opclass WHERE opcdefault)
SELECT x.indrelid AS table_oid,
       i.relname AS index_name,
       CASE WHEN plain THEN NULL ELSE pg_get_indexdef(x.indexrelid) END AS definition,
       x.indisvalid AS valid,
       x.indexrelid AS index_oid,
       CASE WHEN plain THEN nullif(quote_ident(i.relname), i.relname::text) END AS quoted_name,
       CASE WHEN plain THEN quote_ident(am.amname) END AS access_method,
       CASE WHEN plain THEN x.indkey::text END AS key_columns,
       CASE WHEN plain THEN x.indclass::text END AS operator_classes,
       CASE WHEN plain THEN x.indcollation::text END AS collations
  FROM audited
  JOIN pg_index AS x ON x.indrelid = audited.oid
  JOIN pg_class AS i ON i.oid = x.indexrelid
  JOIN pg_am AS am ON am.oid = i.relam
 CROSS JOIN LATERAL (SELECT x.indexprs IS NULL AND x.indpred IS NULL AND i.reloptions IS NULL AND i.relkind = 'i'
                            AND x.indnkeyatts = x.indnatts AND NOT x.indisunique
                            AND 0 = ALL (x.indoption::int2[])
                            AND x.indclass::oid[] <@ (SELECT oids FROM default_opclasses) AS plain) AS shape
 WHERE NOT EXISTS (SELECT FROM pg_constraint AS k
                    WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
