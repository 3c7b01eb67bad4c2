-- revision: aa11bb22cc33
-- down_revision: none
-- message: create alpha
-- create_date: 2025-02-01 10:00:00

-- +upgrade
CREATE TABLE alpha (
    id integer PRIMARY KEY,
    label text NOT NULL
);
INSERT INTO alpha (id, label) VALUES (1, 'first');

-- +downgrade
DROP TABLE alpha;
