-- Columns of every audited table, in one pass.
--   $1  the audited tables' oids (tables.sql picks them), an oid array: a
--       large schema's tables go in slices of a few thousand, so that no
--       result holds every column of 20,000 tables at once
-- The type comes from format_type, so it carries the modifier
-- ("numeric(10,6)", "character varying(20)"); the default is the expression
-- as PostgreSQL prints it back.  The table is its oid (tables.sql has the names).
-- A default cannot refer to a column, so it is printed without its table
-- (relation 0): naming the table makes the server open every table, a third
-- of this query's time on a fresh connection; a generation expression does
-- name columns and gets its table.  pg_attrdef is looked up only for a
-- column with a default (atthasdef): a join probes it once per column, which
-- cost more than the whole rest of the query.  The number, type and collation (and
-- the quoted name where it needs quotes) compose plain index definitions
-- (indexes.sql).
WITH audited AS (SELECT unnest($1::oid[]) AS oid)
SELECT a.attrelid AS table_oid,
       a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       NOT a.attnotnull AS nullable,
       CASE WHEN a.atthasdef
            THEN (SELECT pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0::oid ELSE ad.adrelid END)
                    FROM pg_attrdef AS ad
                   WHERE ad.adrelid = a.attrelid AND ad.adnum = a.attnum)
       END AS default_expression,
       CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' ELSE '' END AS identity,
       CASE a.attgenerated WHEN 's' THEN 'stored' WHEN 'v' THEN 'virtual' ELSE '' END AS generated,
       a.attnum AS column_number,
       a.atttypid AS type_oid,
       a.attcollation AS collation_oid,
       nullif(quote_ident(a.attname), a.attname::text) AS quoted_name
  FROM audited
  JOIN pg_attribute AS a ON a.attrelid = audited.oid
 WHERE a.attnum > 0
   AND NOT a.attisdropped
