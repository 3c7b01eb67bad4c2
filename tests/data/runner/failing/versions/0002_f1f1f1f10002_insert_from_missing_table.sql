-- revision: f1f1f1f10002
-- down_revision: f1f1f1f10001
-- message: create fail_two, then read a table that does not exist
-- create_date: 2025-03-02 10:00:00

-- +upgrade
CREATE TABLE fail_two (id integer PRIMARY KEY);
-- fails on the server (42P01) at the line naming missing_table
INSERT INTO fail_two (id)
    SELECT id FROM missing_table;

-- +downgrade
DROP TABLE fail_two;
