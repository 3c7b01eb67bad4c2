SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE accounts ADD COLUMN created timestamptz DEFAULT now();
ALTER TABLE accounts ADD COLUMN score bigint DEFAULT 10;
COMMIT;
