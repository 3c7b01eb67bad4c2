-- revision: bb22cc33dd44
-- down_revision: aa11bb22cc33
-- message: alter a table that does not exist
-- create_date: 2025-02-02 10:00:00

-- +upgrade
CREATE TABLE beta (id integer PRIMARY KEY);
-- fails on the server: there is no table "missing_table"
ALTER TABLE missing_table ADD COLUMN note text;

-- +downgrade
ALTER TABLE missing_table DROP COLUMN note;
DROP TABLE beta;
