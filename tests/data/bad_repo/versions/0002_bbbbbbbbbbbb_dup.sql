-- revision: bbbbbbbbbbbb
-- down_revision: aaaaaaaaaaaa
-- message: second
-- message: duplicate

-- +upgrade
CREATE TABLE b (id int);

-- +downgrade
DROP TABLE b;
