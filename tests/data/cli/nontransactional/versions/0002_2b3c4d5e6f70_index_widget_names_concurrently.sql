-- revision: 2b3c4d5e6f70
-- down_revision: 1a2b3c4d5e6f
-- message: index widget names concurrently
-- create_date: 2025-01-02 10:00:00
-- transactional: false

-- +upgrade
CREATE INDEX CONCURRENTLY ix_widgets_name ON widgets (name);

-- +downgrade
DROP INDEX CONCURRENTLY ix_widgets_name;
