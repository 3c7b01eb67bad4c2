-- The oids of the audited tables, which tables.sql includes as
-- @audited_tables@ in a MATERIALIZED CTE: the filters run once per table,
-- not once per column or index (40,000 extension-membership probes for 2,000
-- tables x 20 columns).  The per-table queries (columns, indexes,
-- constraints) then take the oids tables.sql returned as a parameter, so the
-- filters run once per read, not once per query.
--   $1  audited schema names, a JSON array
--   $2  excluded tables, a JSON array of "name" (any audited schema) or "schema.name"
SELECT c.oid
  FROM pg_class AS c
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname IN (SELECT jsonb_array_elements_text($1::jsonb))
   AND NOT EXISTS (SELECT FROM jsonb_array_elements_text($2::jsonb) AS excluded (name)
                    WHERE excluded.name IN (c.relname, n.nspname || '.' || c.relname))
   AND NOT EXISTS (SELECT FROM pg_depend AS d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
