BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE TABLE stray (id integer);

-- Running upgrade  -> aa0000000001

CREATE TABLE counters (id integer PRIMARY KEY, n integer NOT NULL);

INSERT INTO alembic_version (version_num) VALUES ('aa0000000001') RETURNING alembic_version.version_num;

COMMIT;
