-- revision: b0b0b0b0b0b0
-- down_revision: a0a0a0a0a0a0
-- message: windows file
-- create_date: 2025-01-01 00:00:00

-- +upgrade
CREATE TABLE t (
    id int,
    name text DEFAULT 'café'
);
  INSERT INTO t VALUES (1, '😀');
-- +downgrade
DROP TABLE t;
