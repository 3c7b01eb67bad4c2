-- revision: f1f1f1f10001
-- down_revision: none
-- message: create fail_one
-- create_date: 2025-03-01 10:00:00

-- +upgrade
CREATE TABLE fail_one (id integer PRIMARY KEY);

-- +downgrade
DROP TABLE fail_one;
