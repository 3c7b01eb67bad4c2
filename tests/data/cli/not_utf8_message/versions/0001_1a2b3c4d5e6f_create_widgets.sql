-- revision: 1a2b3c4d5e6f
-- down_revision: none
-- message: create widgets
-- create_date: 2025-01-01 10:00:00

-- +upgrade
CREATE TABLE widgets (
    id integer PRIMARY KEY,
    name text NOT NULL
);

-- +downgrade
DROP TABLE widgets;
