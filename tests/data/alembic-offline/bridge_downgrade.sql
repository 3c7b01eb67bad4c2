BEGIN;

-- Running downgrade 6f0000000001 -> 5e0000000001

COMMIT;

DROP INDEX CONCURRENTLY ix_accounts_name;

BEGIN;

UPDATE alembic_version SET version_num='5e0000000001' WHERE alembic_version.version_num = '6f0000000001';

-- Running downgrade 5e0000000001 -> 4d0000000001

ALTER TABLE audit_log DROP CONSTRAINT fk_audit_log_account;

ALTER TABLE audit_log DROP COLUMN account_id;

INSERT INTO alembic_version (version_num) VALUES ('4d0000000001') RETURNING alembic_version.version_num;

UPDATE alembic_version SET version_num='9z0000000001' WHERE alembic_version.version_num = '5e0000000001';

-- Running downgrade 4d0000000001 -> 2b0000000001, 3c0000000001

INSERT INTO alembic_version (version_num) VALUES ('3c0000000001') RETURNING alembic_version.version_num;

UPDATE alembic_version SET version_num='2b0000000001' WHERE alembic_version.version_num = '4d0000000001';

-- Running downgrade 2b0000000001 -> 1a0000000003

DROP TABLE reports;

DELETE FROM alembic_version WHERE alembic_version.version_num = '2b0000000001';

-- Running downgrade 3c0000000001 -> 1a0000000003

DELETE FROM factors WHERE id IN (1, 2, 3, 4);

UPDATE alembic_version SET version_num='1a0000000003' WHERE alembic_version.version_num = '3c0000000001';

-- Running downgrade 9z0000000001 -> 

DROP TABLE audit_log;

DELETE FROM alembic_version WHERE alembic_version.version_num = '9z0000000001';

-- Running downgrade 1a0000000003 -> 1a0000000002

DROP TABLE factors;

UPDATE alembic_version SET version_num='1a0000000002' WHERE alembic_version.version_num = '1a0000000003';

-- Running downgrade 1a0000000002 -> 1a0000000001

ALTER TABLE accounts DROP COLUMN status;

DROP TYPE account_status;

UPDATE alembic_version SET version_num='1a0000000001' WHERE alembic_version.version_num = '1a0000000002';

-- Running downgrade 1a0000000001 -> 

DROP TABLE accounts;

DELETE FROM alembic_version WHERE alembic_version.version_num = '1a0000000001';

DROP TABLE alembic_version;

COMMIT;

