-- revision: f7a18c3e5d60
-- down_revision: 6e2d9c4f0b17
-- message: add target price returns to portfolio snapshots
-- create_date: 2025-10-23 14:25:00

-- +upgrade
ALTER TABLE portfolio_snapshots ADD COLUMN target_price_return_eoy numeric(12, 6);
ALTER TABLE portfolio_snapshots ADD COLUMN target_price_return_next_year numeric(12, 6);
ALTER TABLE portfolio_snapshots ADD COLUMN target_price_downside_return numeric(12, 6);
ALTER TABLE portfolio_snapshots ADD COLUMN target_price_coverage_pct numeric(6, 2);
ALTER TABLE portfolio_snapshots ADD COLUMN target_price_positions_count integer;
ALTER TABLE portfolio_snapshots ADD CONSTRAINT ck_portfolio_snapshots_target_price_coverage CHECK (target_price_coverage_pct IS NULL OR (target_price_coverage_pct >= 0 AND target_price_coverage_pct <= 100));

-- +downgrade
ALTER TABLE portfolio_snapshots DROP CONSTRAINT ck_portfolio_snapshots_target_price_coverage;
ALTER TABLE portfolio_snapshots DROP COLUMN target_price_positions_count;
ALTER TABLE portfolio_snapshots DROP COLUMN target_price_coverage_pct;
ALTER TABLE portfolio_snapshots DROP COLUMN target_price_downside_return;
ALTER TABLE portfolio_snapshots DROP COLUMN target_price_return_next_year;
ALTER TABLE portfolio_snapshots DROP COLUMN target_price_return_eoy;
