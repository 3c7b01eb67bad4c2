-- pg_get_constraintdef of the constraints the reader could not compose from
-- their parts (constraints.sql).
--   $1  their oids, an oid array
SELECT k.oid AS constraint_oid,
       pg_get_constraintdef(k.oid, true) AS definition
  FROM unnest($1::oid[]) AS k (oid)
