-- revision: 6e2d9c4f0b17
-- down_revision: a49e2b0d6c83
-- message: add concentration metrics to portfolio snapshots
-- create_date: 2025-10-20 10:50:00

-- +upgrade
ALTER TABLE portfolio_snapshots ADD COLUMN hhi numeric(12, 4);
ALTER TABLE portfolio_snapshots ADD COLUMN effective_num_positions numeric(10, 2);
ALTER TABLE portfolio_snapshots ADD COLUMN top_3_concentration numeric(8, 4);
ALTER TABLE portfolio_snapshots ADD COLUMN top_10_concentration numeric(8, 4);
ALTER TABLE portfolio_snapshots ADD CONSTRAINT ck_portfolio_snapshots_hhi_range CHECK (hhi IS NULL OR (hhi >= 0 AND hhi <= 10000));

-- +downgrade
ALTER TABLE portfolio_snapshots DROP CONSTRAINT ck_portfolio_snapshots_hhi_range;
ALTER TABLE portfolio_snapshots DROP COLUMN top_10_concentration;
ALTER TABLE portfolio_snapshots DROP COLUMN top_3_concentration;
ALTER TABLE portfolio_snapshots DROP COLUMN effective_num_positions;
ALTER TABLE portfolio_snapshots DROP COLUMN hhi;
