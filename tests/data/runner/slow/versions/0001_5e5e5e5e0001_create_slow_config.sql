-- revision: 5e5e5e5e0001
-- down_revision: none
-- message: create slow_config (how long revision 2 sleeps)
-- create_date: 2025-03-01 10:00:00

-- +upgrade
CREATE TABLE slow_config (seconds double precision NOT NULL);
INSERT INTO slow_config (seconds) VALUES (30);

-- +downgrade
DROP TABLE slow_config;
