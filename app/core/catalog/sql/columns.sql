-- Columns of every audited table, in one pass.
--   $1  audited schema names, a JSON array
--   $2  excluded tables, a JSON array of "name" or "schema.name"
-- The type comes from format_type, so it carries the modifier
-- ("numeric(10,6)", "character varying(20)"); the default is the expression
-- as PostgreSQL prints it back.
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       NOT a.attnotnull AS nullable,
       pg_get_expr(ad.adbin, ad.adrelid) AS default_expression,
       CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' ELSE '' END AS identity,
       CASE a.attgenerated WHEN 's' THEN 'stored' WHEN 'v' THEN 'virtual' ELSE '' END AS generated
  FROM pg_attribute AS a
  JOIN pg_class AS c ON c.oid = a.attrelid
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
 WHERE a.attnum > 0
   AND NOT a.attisdropped
   AND c.relkind IN ('r', 'p')
   AND n.nspname IN (SELECT jsonb_array_elements_text($1::jsonb))
   AND NOT EXISTS (SELECT FROM jsonb_array_elements_text($2::jsonb) AS excluded (name)
                    WHERE excluded.name IN (c.relname, n.nspname || '.' || c.relname))
   AND NOT EXISTS (SELECT FROM pg_depend AS d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY schema_name, table_name, column_name
