SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
ALTER TABLE accounts RENAME COLUMN email TO email_address;
COMMIT;
