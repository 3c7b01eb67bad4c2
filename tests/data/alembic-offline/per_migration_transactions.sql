BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

COMMIT;

BEGIN;

-- Running upgrade  -> aa0000000001

CREATE TABLE counters (id integer PRIMARY KEY, n integer NOT NULL);

INSERT INTO alembic_version (version_num) VALUES ('aa0000000001') RETURNING alembic_version.version_num;

COMMIT;

BEGIN;

-- Running upgrade aa0000000001 -> bb0000000001

-- a marker-like line inside a string is data, not a marker:
INSERT INTO counters VALUES (1, 0), (2, length('
-- Running upgrade bb0000000001 -> cc0000000001
'));

UPDATE alembic_version SET version_num='bb0000000001' WHERE alembic_version.version_num = 'aa0000000001';

COMMIT;
