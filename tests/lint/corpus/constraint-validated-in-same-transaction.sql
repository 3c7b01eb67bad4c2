SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
ALTER TABLE accounts ADD CONSTRAINT ck_positive CHECK (balance > 0) NOT VALID;
ALTER TABLE accounts VALIDATE CONSTRAINT ck_positive;
COMMIT;
