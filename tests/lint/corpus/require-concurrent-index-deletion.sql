SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
DROP INDEX IF EXISTS ix_accounts_email;
COMMIT;
