SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
ALTER TABLE accounts ADD CONSTRAINT uq_email UNIQUE (email);
ALTER TABLE accounts ADD CONSTRAINT uq_email2 UNIQUE USING INDEX ix_email;
COMMIT;
