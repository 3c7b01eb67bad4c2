SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
DROP TABLE accounts;
COMMIT;
