-- revision: a49e2b0d6c83
-- down_revision: 1c6f3e8a9d27
-- message: add expected volatility and trend to portfolio snapshots
-- create_date: 2025-10-15 15:35:00

-- +upgrade
ALTER TABLE portfolio_snapshots ADD COLUMN expected_volatility_21d numeric(10, 6);
ALTER TABLE portfolio_snapshots ADD COLUMN volatility_trend varchar(20);
ALTER TABLE portfolio_snapshots ADD COLUMN volatility_percentile numeric(6, 4);
ALTER TABLE portfolio_snapshots ADD CONSTRAINT ck_portfolio_snapshots_volatility_trend CHECK (volatility_trend IS NULL OR volatility_trend IN ('increasing', 'decreasing', 'stable'));
ALTER TABLE portfolio_snapshots ADD CONSTRAINT ck_portfolio_snapshots_volatility_percentile CHECK (volatility_percentile IS NULL OR (volatility_percentile >= 0 AND volatility_percentile <= 1));

-- +downgrade
ALTER TABLE portfolio_snapshots DROP CONSTRAINT ck_portfolio_snapshots_volatility_percentile;
ALTER TABLE portfolio_snapshots DROP CONSTRAINT ck_portfolio_snapshots_volatility_trend;
ALTER TABLE portfolio_snapshots DROP COLUMN volatility_percentile;
ALTER TABLE portfolio_snapshots DROP COLUMN volatility_trend;
ALTER TABLE portfolio_snapshots DROP COLUMN expected_volatility_21d;
