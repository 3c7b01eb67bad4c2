-- revision: a1a1a1a10002
-- down_revision: a1a1a1a10001
-- message: create lin_b and say so
-- create_date: 2025-03-02 10:00:00

-- +upgrade
CREATE TABLE lin_b (id integer PRIMARY KEY);
DO $$
BEGIN
    RAISE NOTICE 'lin_b created by %', 'runner';
END
$$;

-- +downgrade
DROP TABLE lin_b;
