SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_accounts_email ON accounts (email);
COMMIT;
