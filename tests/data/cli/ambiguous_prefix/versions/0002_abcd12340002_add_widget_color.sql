-- revision: abcd12340002
-- down_revision: abcd12340001
-- message: add widget color
-- create_date: 2025-01-02 10:00:00

-- +upgrade
ALTER TABLE widgets ADD COLUMN color text;

-- +downgrade
ALTER TABLE widgets DROP COLUMN color;
