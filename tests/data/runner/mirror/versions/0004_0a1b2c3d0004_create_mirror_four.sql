-- revision: 0a1b2c3d0004
-- down_revision: 0a1b2c3d0003
-- message: create mirror_four
-- create_date: 2025-03-04 10:00:00

-- +upgrade
CREATE TABLE mirror_four (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT 'four'
);

-- +downgrade
DROP TABLE mirror_four;
