-- revision: c0c0c0c00003
-- down_revision: c0c0c0c00002
-- message: add nt_items.note
-- create_date: 2025-03-03 10:00:00

-- +upgrade
ALTER TABLE nt_items ADD COLUMN note text;

-- +downgrade
ALTER TABLE nt_items DROP COLUMN note;
