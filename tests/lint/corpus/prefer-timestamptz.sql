SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
CREATE TABLE events (at timestamp, at2 timestamp without time zone, ok timestamptz);
COMMIT;
