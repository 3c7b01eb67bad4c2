SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
CREATE TABLE fresh (id bigint PRIMARY KEY, email text);
CREATE INDEX ix_fresh_email ON fresh (email);
ALTER TABLE fresh ADD CONSTRAINT ck_email CHECK (email <> '');
ALTER TABLE fresh ADD CONSTRAINT uq_email UNIQUE (email);
COMMIT;
