-- Table constraints of every audited table, with their definition.
--   $1  audited schema names, a JSON array
--   $2  excluded tables, a JSON array of "name" or "schema.name"
-- NOT NULL is audited with the column (PostgreSQL 18 also lists it here as
-- contype 'n'); constraint triggers ('t') are not schema shape.
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       k.conname AS constraint_name,
       CASE k.contype
           WHEN 'p' THEN 'primary key'
           WHEN 'f' THEN 'foreign key'
           WHEN 'u' THEN 'unique'
           WHEN 'c' THEN 'check'
           WHEN 'x' THEN 'exclusion'
       END AS constraint_type,
       pg_get_constraintdef(k.oid, true) AS definition
  FROM pg_constraint AS k
  JOIN pg_class AS c ON c.oid = k.conrelid
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE k.contype IN ('p', 'f', 'u', 'c', 'x')
   AND c.relkind IN ('r', 'p')
   AND n.nspname IN (SELECT jsonb_array_elements_text($1::jsonb))
   AND NOT EXISTS (SELECT FROM jsonb_array_elements_text($2::jsonb) AS excluded (name)
                    WHERE excluded.name IN (c.relname, n.nspname || '.' || c.relname))
   AND NOT EXISTS (SELECT FROM pg_depend AS d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY schema_name, table_name, constraint_name
