-- fix: bad
-- repairs: x
-- +change
BEGIN;
CREATE INDEX CONCURRENTLY i ON t (a);
-- +postcondition
-- +change
SELECT true
