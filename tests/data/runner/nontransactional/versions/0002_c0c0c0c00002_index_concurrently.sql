-- revision: c0c0c0c00002
-- down_revision: c0c0c0c00001
-- message: index nt_items concurrently
-- create_date: 2025-03-02 10:00:00
-- transactional: false

-- +upgrade
CREATE INDEX CONCURRENTLY ix_nt_items_name ON nt_items (name);
CREATE UNIQUE INDEX CONCURRENTLY ux_nt_items_id_name ON nt_items (id, name);

-- +downgrade
DROP INDEX CONCURRENTLY ux_nt_items_id_name;
DROP INDEX CONCURRENTLY ix_nt_items_name;
