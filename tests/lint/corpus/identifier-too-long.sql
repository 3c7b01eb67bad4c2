SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
CREATE TABLE accounts_with_a_name_that_is_far_too_long_for_postgresql_to_keep_whole (id bigint);
COMMIT;
