-- Indexes of every audited table, with their full definition.
--   $1  audited schema names, a JSON array
--   $2  excluded tables, a JSON array of "name" or "schema.name"
-- An index behind a primary key, unique or exclusion constraint is left out:
-- the audit reports it once, as that constraint.  (A foreign key's conindid
-- names the referenced table's index, hence the conrelid condition.)
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       i.relname AS index_name,
       pg_get_indexdef(x.indexrelid) AS definition
  FROM pg_index AS x
  JOIN pg_class AS i ON i.oid = x.indexrelid
  JOIN pg_class AS c ON c.oid = x.indrelid
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname IN (SELECT jsonb_array_elements_text($1::jsonb))
   AND NOT EXISTS (SELECT FROM jsonb_array_elements_text($2::jsonb) AS excluded (name)
                    WHERE excluded.name IN (c.relname, n.nspname || '.' || c.relname))
   AND NOT EXISTS (SELECT FROM pg_depend AS d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
   AND NOT EXISTS (SELECT FROM pg_constraint AS k
                    WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
 ORDER BY schema_name, table_name, index_name
