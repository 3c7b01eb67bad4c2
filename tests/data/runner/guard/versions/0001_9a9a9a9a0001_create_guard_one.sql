-- revision: 9a9a9a9a0001
-- down_revision: none
-- message: create guard_one
-- create_date: 2025-03-01 10:00:00

-- +upgrade
CREATE TABLE guard_one (id integer PRIMARY KEY);

-- +downgrade
DROP TABLE guard_one;
