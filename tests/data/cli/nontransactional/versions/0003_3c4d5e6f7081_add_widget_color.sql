-- revision: 3c4d5e6f7081
-- down_revision: 2b3c4d5e6f70
-- message: add widget color
-- create_date: 2025-01-03 10:00:00

-- +upgrade
ALTER TABLE widgets ADD COLUMN color text;

-- +downgrade
ALTER TABLE widgets DROP COLUMN color;
