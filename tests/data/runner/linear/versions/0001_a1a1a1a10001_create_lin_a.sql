-- revision: a1a1a1a10001
-- down_revision: none
-- message: create lin_a
-- create_date: 2025-03-01 10:00:00

-- +upgrade
CREATE TABLE lin_a (
    id integer PRIMARY KEY,
    name text NOT NULL
);

-- +downgrade
DROP TABLE lin_a;
