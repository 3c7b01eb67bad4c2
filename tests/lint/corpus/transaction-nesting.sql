SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
BEGIN;
CREATE TABLE t (id bigint);
COMMIT;
COMMIT;
