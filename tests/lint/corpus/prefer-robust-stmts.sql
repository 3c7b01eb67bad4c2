SET lock_timeout = '2s';
SET statement_timeout = '30s';
CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE INDEX ix_accounts_id ON accounts (id);
ALTER TABLE accounts ADD COLUMN note text;
DROP INDEX ix_accounts_id;
