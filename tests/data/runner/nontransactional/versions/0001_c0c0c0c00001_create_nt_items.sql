-- revision: c0c0c0c00001
-- down_revision: none
-- message: create nt_items
-- create_date: 2025-03-01 10:00:00

-- +upgrade
CREATE TABLE nt_items (
    id integer PRIMARY KEY,
    name text NOT NULL
);

-- +downgrade
DROP TABLE nt_items;
