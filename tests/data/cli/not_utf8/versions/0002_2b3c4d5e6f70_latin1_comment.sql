-- revision: 2b3c4d5e6f70
-- down_revision: 1a2b3c4d5e6f
-- message: describe the widgets table
-- create_date: 2025-01-02 10:00:00

-- +upgrade
COMMENT ON TABLE widgets IS 'café';

-- +downgrade
COMMENT ON TABLE widgets IS NULL;
