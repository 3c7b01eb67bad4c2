SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
CREATE INDEX ix_accounts_email ON accounts (email);
COMMIT;
