-- revision: d00000000001
-- down_revision: none
-- message: create pairs with a deferred unique constraint
-- create_date: 2026-12-06 10:00:00

-- +upgrade
CREATE TABLE pairs (
    id integer NOT NULL,
    CONSTRAINT pairs_id_unique UNIQUE (id) DEFERRABLE INITIALLY DEFERRED
);

-- +downgrade
DROP TABLE pairs;
