-- The default operator classes and the type each is for: a plain index's
-- column under its type's default class prints no class (indexes.sql).
SELECT c.oid AS opclass_oid,
       c.opcintype AS type_oid
  FROM pg_opclass AS c
 WHERE c.opcdefault
