-- revision: 0a1b2c3d0002
-- down_revision: 0a1b2c3d0001
-- message: create mirror_two
-- create_date: 2025-03-02 10:00:00

-- +upgrade
CREATE TABLE mirror_two (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT 'two'
);

-- +downgrade
DROP TABLE mirror_two;
