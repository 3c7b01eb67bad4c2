-- revision: a1a1a1a10003
-- down_revision: a1a1a1a10002
-- message: add lin_a.note
-- create_date: 2025-03-03 10:00:00

-- +upgrade
ALTER TABLE lin_a ADD COLUMN note text;

-- +downgrade
ALTER TABLE lin_a DROP COLUMN note;
