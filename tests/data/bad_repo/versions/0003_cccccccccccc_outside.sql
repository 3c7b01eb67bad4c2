-- revision: cccccccccccc
-- down_revision: bbbbbbbbbbbb
-- message: third

CREATE TABLE c (id int);

-- +upgrade
CREATE TABLE c (id int);

-- +downgrade
DROP TABLE c;
