-- revision: f1f1f1f10003
-- down_revision: f1f1f1f10002
-- message: create fail_three
-- create_date: 2025-03-03 10:00:00

-- +upgrade
CREATE TABLE fail_three (id integer PRIMARY KEY);

-- +downgrade
DROP TABLE fail_three;
