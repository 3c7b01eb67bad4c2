-- Tables of the audited schemas: ordinary and partitioned ones.
--   $1  audited schema names, a JSON array
--   $2  excluded tables (the version table, the run journal), a JSON array of
--       "name" (any audited schema) or "schema.name"
-- Tables an extension created belong to the extension, not to the migrations.
SELECT n.nspname AS schema_name,
       c.relname AS table_name
  FROM pg_class AS c
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname IN (SELECT jsonb_array_elements_text($1::jsonb))
   AND NOT EXISTS (SELECT FROM jsonb_array_elements_text($2::jsonb) AS excluded (name)
                    WHERE excluded.name IN (c.relname, n.nspname || '.' || c.relname))
   AND NOT EXISTS (SELECT FROM pg_depend AS d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY schema_name, table_name
