-- revision: 5e5e5e5e0002
-- down_revision: 5e5e5e5e0001
-- message: create slow_marker, then sleep (30 s unless slow_config says otherwise)
-- create_date: 2025-03-02 10:00:00

-- +upgrade
CREATE TABLE slow_marker (id integer PRIMARY KEY);
SELECT pg_sleep(seconds) FROM slow_config;

-- +downgrade
DROP TABLE slow_marker;
