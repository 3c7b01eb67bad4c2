BEGIN;

-- Running upgrade  -> aa0000000001

CREATE TABLE counters (id integer PRIMARY KEY, n integer NOT NULL)

-- Running upgrade aa0000000001 -> bb0000000001

INSERT INTO counters VALUES (1, 0);

COMMIT;
