-- Sequences of the audited schemas, with the column that owns them (serial
-- and identity columns; OWNED BY keeps owner and sequence in one schema).
-- The numbers come back as text: they span bigint.
--   $1  audited schema names, a JSON array
--   $2  excluded tables, a JSON array of "name" or "schema.name": their
--       sequences are left out with them
-- The excluded names and the extensions' members are arrays made once, as
-- in audited_tables.sql.
SELECT n.nspname AS schema_name,
       c.relname AS sequence_name,
       format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart::text AS start_value,
       s.seqincrement::text AS increment,
       s.seqmin::text AS min_value,
       s.seqmax::text AS max_value,
       s.seqcache::text AS cache_size,
       s.seqcycle AS cycle,
       owner.relname AS owner_table,
       owner_column.attname AS owner_column
  FROM pg_sequence AS s
  JOIN pg_class AS c ON c.oid = s.seqrelid
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
  LEFT JOIN pg_depend AS ownership
         ON ownership.classid = 'pg_class'::regclass AND ownership.objid = c.oid
        AND ownership.refclassid = 'pg_class'::regclass AND ownership.refobjsubid > 0
        AND ownership.deptype IN ('a', 'i')
  LEFT JOIN pg_class AS owner ON owner.oid = ownership.refobjid
  LEFT JOIN pg_attribute AS owner_column
         ON owner_column.attrelid = ownership.refobjid AND owner_column.attnum = ownership.refobjsubid
 WHERE n.nspname IN (SELECT jsonb_array_elements_text($1::jsonb))
   AND c.oid <> ALL (ARRAY(SELECT d.objid FROM pg_depend AS d
                            WHERE d.refclassid = 'pg_extension'::regclass
                              AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'))
   AND (owner.oid IS NULL
        OR (owner.relname::text <> ALL (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))
            AND n.nspname || '.' || owner.relname <> ALL (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))))
