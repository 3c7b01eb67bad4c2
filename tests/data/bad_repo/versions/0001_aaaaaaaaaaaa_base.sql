-- revision: aaaaaaaaaaaa
-- down_revision: none
-- message: base

-- +upgrade
CREATE TABLE a (id int);

-- +downgrade
DROP TABLE a;
