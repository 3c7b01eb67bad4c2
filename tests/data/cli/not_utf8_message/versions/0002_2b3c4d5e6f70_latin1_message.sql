-- revision: 2b3c4d5e6f70
-- down_revision: 1a2b3c4d5e6f
-- message: widgets for the café
-- create_date: 2025-01-02 10:00:00

-- +upgrade
ALTER TABLE widgets ADD COLUMN color text;

-- +downgrade
ALTER TABLE widgets DROP COLUMN color;
