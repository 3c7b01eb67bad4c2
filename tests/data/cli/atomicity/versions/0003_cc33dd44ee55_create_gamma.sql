-- revision: cc33dd44ee55
-- down_revision: bb22cc33dd44
-- message: create gamma
-- create_date: 2025-02-03 10:00:00

-- +upgrade
CREATE TABLE gamma (id integer PRIMARY KEY);

-- +downgrade
DROP TABLE gamma;
