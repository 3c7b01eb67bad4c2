-- revision: 0b7e3d9a2c45
-- down_revision: 19c513d3bf90
-- message: create batch run status enum
-- create_date: 2025-09-15 10:00:00

-- +upgrade
CREATE TYPE batch_run_status AS ENUM ('pending', 'running', 'succeeded', 'failed', 'cancelled');

-- +downgrade
DROP TYPE batch_run_status;
