-- Enum types of the audited schemas with their labels in sort order (the
-- order is part of the type: it decides comparisons).  Labels come back as a
-- JSON array, which keeps any character a label may hold.
--   $1  audited schema names, a JSON array
SELECT n.nspname AS schema_name,
       t.typname AS type_name,
       coalesce(json_agg(e.enumlabel ORDER BY e.enumsortorder) FILTER (WHERE e.enumlabel IS NOT NULL),
                '[]')::text AS labels
  FROM pg_type AS t
  JOIN pg_namespace AS n ON n.oid = t.typnamespace
  LEFT JOIN pg_enum AS e ON e.enumtypid = t.oid
 WHERE t.typtype = 'e'
   AND n.nspname IN (SELECT jsonb_array_elements_text($1::jsonb))
   AND NOT EXISTS (SELECT FROM pg_depend AS d
                    WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
 GROUP BY n.nspname, t.typname
