-- revision: abcd12340001
-- down_revision: none
-- message: create widgets
-- create_date: 2025-01-01 10:00:00

-- +upgrade
CREATE TABLE widgets (id integer PRIMARY KEY);

-- +downgrade
DROP TABLE widgets;
