BEGIN;

-- Running upgrade  -> aa0000000001

INSERT INTO counters VALUES (1, 'open);

COMMIT;
