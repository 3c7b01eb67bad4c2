-- Tables of the audited schemas: ordinary and partitioned ones.
--   $1  audited schema names, a JSON array
--   $2  excluded tables (the version table, the run journal), a JSON array of
--       "name" (any audited schema) or "schema.name"
-- Tables an extension created belong to the extension, not to the migrations.
-- The oid is how the other queries name a table (audited_tables.sql); the
-- reader sorts, so there is no ORDER BY here or there.
WITH audited AS MATERIALIZED (@audited_tables@)
SELECT audited.oid AS table_oid,
       n.nspname AS schema_name,
       c.relname AS table_name,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified_name
  FROM audited
  JOIN pg_class AS c ON c.oid = audited.oid
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
