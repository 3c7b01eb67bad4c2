-- Table constraints of every audited table, with their definition.
--   $1  audited schema names, a JSON array
--   $2  excluded tables, a JSON array of "name" or "schema.name"
-- NOT NULL is audited with the column (PostgreSQL 18 also lists it here as
-- contype 'n'); constraint triggers ('t') are not schema shape.  The table
-- is its oid (tables.sql has the names).
WITH audited AS MATERIALIZED (@audited_tables@)
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
