-- revision: 1c6f3e8a9d27
-- down_revision: d08c4b7e2f5a
-- message: add realized volatility to portfolio snapshots
-- create_date: 2025-10-14 11:05:00

-- +upgrade
ALTER TABLE portfolio_snapshots ADD COLUMN realized_volatility_21d numeric(10, 6);
ALTER TABLE portfolio_snapshots ADD COLUMN realized_volatility_63d numeric(10, 6);

-- +downgrade
ALTER TABLE portfolio_snapshots DROP COLUMN realized_volatility_63d;
ALTER TABLE portfolio_snapshots DROP COLUMN realized_volatility_21d;
