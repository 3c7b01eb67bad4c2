-- fix: two_changes
-- repairs: some-check
-- a plain comment
-- +change
INSERT INTO t (a, b) VALUES (1, E'x\'y'), (2, $$z;$$);
UPDATE t SET a = 3 WHERE b = 'é';
-- +postcondition
SELECT count(*) = 2 FROM t
