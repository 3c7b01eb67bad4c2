-- revision: 0a1b2c3d0003
-- down_revision: 0a1b2c3d0002
-- message: create mirror_three
-- create_date: 2025-03-03 10:00:00

-- +upgrade
CREATE TABLE mirror_three (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT 'three'
);

-- +downgrade
DROP TABLE mirror_three;
