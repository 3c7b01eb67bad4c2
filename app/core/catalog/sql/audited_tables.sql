-- The oids of the audited tables, which tables.sql includes as
-- @audited_tables@ in a MATERIALIZED CTE: the filters run once per table,
-- not once per column or index (40,000 extension-membership probes for 2,000
-- tables x 20 columns).  The per-table queries (columns, indexes,
-- constraints) then take the oids tables.sql returned as a parameter, so the
-- filters run once per read, not once per query.
--   $1  audited schema names, a JSON array
--   $2  excluded tables, a JSON array of "name" (any audited schema) or "schema.name"
-- The excluded names and the extensions' tables are each one array, made
-- once (an uncorrelated ARRAY(...) is an InitPlan): a subquery per table
-- unpacking the JSON, and an index probe of pg_depend per table, took 0.2 s
-- of 20,000 tables' 0.25 s, before any other query could start.
SELECT c.oid
  FROM pg_class AS c
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname IN (SELECT jsonb_array_elements_text($1::jsonb))
   AND c.relname::text <> ALL (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))
   AND n.nspname || '.' || c.relname <> ALL (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))
   AND c.oid <> ALL (ARRAY(SELECT d.objid FROM pg_depend AS d
                            WHERE d.refclassid = 'pg_extension'::regclass
                              AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'))
