-- revision: 2b3c4d5e6f70
-- down_revision: 1a2b3c4d5e6f
-- message: create gadgets with a typo
-- create_date: 2025-01-02 10:00:00

-- +upgrade
CREATE TABLE gadgets (
    id integer PRIMARY KEY,
    name text NOT NULL,,
    widget_id integer REFERENCES widgets (id)
);

-- +downgrade
DROP TABLE gadgets;
