SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
CREATE TABLE people (name varchar(100), code text);
ALTER TABLE people ALTER COLUMN code TYPE varchar(10);
COMMIT;
