-- Indexes of every audited table, with their full definition.
--   $1  the audited tables' oids (tables.sql picks them), an oid array: a
--       large schema's tables go in slices of a few thousand, so that no
--       result holds every column of 20,000 tables at once
-- An index behind a primary key, unique or exclusion constraint is left out:
-- the audit reports it once, as that constraint.  (A foreign key's conindid
-- names the referenced table's index, hence the conrelid condition.)  The
-- table is its oid (tables.sql has the names).  `valid` is false for an index a
-- failed CREATE INDEX CONCURRENTLY left behind: the audit reports it as DIFFERS.
WITH audited AS (SELECT unnest($1::oid[]) AS oid)
SELECT x.indrelid AS table_oid,
       i.relname AS index_name,
       pg_get_indexdef(x.indexrelid) AS definition,
       x.indisvalid AS valid
  FROM audited
  JOIN pg_index AS x ON x.indrelid = audited.oid
  JOIN pg_class AS i ON i.oid = x.indexrelid
 WHERE NOT EXISTS (SELECT FROM pg_constraint AS k
                    WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
