SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
CREATE TABLE accounts (id integer PRIMARY KEY, n int4);
COMMIT;
