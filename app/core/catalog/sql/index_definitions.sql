-- pg_get_indexdef of the indexes the reader could not compose (indexes.sql).
--   $1  their oids, an oid array
SELECT x.oid AS index_oid,
       pg_get_indexdef(x.oid) AS definition
  FROM unnest($1::oid[]) AS x (oid)
