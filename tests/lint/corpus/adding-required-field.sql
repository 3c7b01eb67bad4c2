SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
ALTER TABLE accounts ADD COLUMN tier bigint NOT NULL;
COMMIT;
