-- revision: 4c9f1b8e7d26
-- down_revision: d3a07e6c4b19
-- message: add snapshot and market data date indexes
-- create_date: 2025-09-01 09:25:00

-- +upgrade
CREATE INDEX ix_portfolio_snapshots_snapshot_date ON portfolio_snapshots (snapshot_date);
CREATE INDEX ix_market_data_cache_price_date ON market_data_cache (price_date);
CREATE INDEX ix_positions_portfolio_open ON positions (portfolio_id) WHERE exit_date IS NULL;

-- +downgrade
DROP INDEX ix_positions_portfolio_open;
DROP INDEX ix_market_data_cache_price_date;
DROP INDEX ix_portfolio_snapshots_snapshot_date;
