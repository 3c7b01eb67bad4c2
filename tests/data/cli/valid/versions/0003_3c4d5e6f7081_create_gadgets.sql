-- revision: 3c4d5e6f7081
-- down_revision: 2b3c4d5e6f70
-- message: create gadgets
-- create_date: 2025-01-03 10:00:00

-- +upgrade
CREATE TABLE gadgets (
    id integer PRIMARY KEY,
    widget_id integer NOT NULL REFERENCES widgets (id)
);

-- +downgrade
DROP TABLE gadgets;
