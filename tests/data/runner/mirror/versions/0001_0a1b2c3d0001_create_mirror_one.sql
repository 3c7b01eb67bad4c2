-- revision: 0a1b2c3d0001
-- down_revision: none
-- message: create mirror_one
-- create_date: 2025-03-01 10:00:00

-- +upgrade
CREATE TABLE mirror_one (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT 'one'
);

-- +downgrade
DROP TABLE mirror_one;
