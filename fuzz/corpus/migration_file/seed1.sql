-- revision: aaaa00000001
-- down_revision: none
-- message: seed

-- +upgrade
CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
SELECT $x$ a;b $x$, E'\';';

-- +downgrade
DROP FUNCTION f();
