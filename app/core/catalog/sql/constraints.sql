-- Table constraints of every audited table, with their definition.
--   $1  the audited tables' oids (tables.sql picks them), an oid array: a
--       large schema's tables go in slices of a few thousand, so that no
--       result holds every column of 20,000 tables at once
-- NOT NULL is audited with the column (PostgreSQL 18 also lists it here as
-- contype 'n'); constraint triggers ('t') are not schema shape.  The table
-- is its oid (tables.sql has the names).
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
       pg_get_constraintdef(k.oid, true) AS definition
  FROM audited
  JOIN pg_constraint AS k ON k.conrelid = audited.oid
 WHERE k.contype IN ('p', 'f', 'u', 'c', 'x')
