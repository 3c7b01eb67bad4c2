-- revision: d0d0d0d0d0d0
-- down_revision: none
-- message: psql script pasted in

-- +upgrade
CREATE TABLE t (
    id int
);
\echo 'created t'

-- +downgrade
DROP TABLE t;
