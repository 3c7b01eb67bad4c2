SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
ALTER TABLE accounts ALTER COLUMN balance TYPE bigint;
COMMIT;
