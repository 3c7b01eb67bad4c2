-- revision: 9a9a9a9a0002
-- down_revision: 9a9a9a9a0001
-- message: create guard_two and (like a rogue tool) empty the version table
-- create_date: 2025-03-02 10:00:00

-- +upgrade
CREATE TABLE guard_two (id integer PRIMARY KEY);
-- The runner's version UPDATE that follows then affects 0 rows.
DELETE FROM alembic_version;

-- +downgrade
DROP TABLE guard_two;
