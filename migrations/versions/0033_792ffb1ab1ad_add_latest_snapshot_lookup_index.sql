-- revision: 792ffb1ab1ad
-- down_revision: 5a9f6c1d0e84
-- message: add latest snapshot lookup index
-- create_date: 2025-11-12 15:49:00

-- +upgrade
CREATE INDEX ix_portfolio_snapshots_portfolio_latest ON portfolio_snapshots (portfolio_id, snapshot_date DESC);

-- +downgrade
DROP INDEX ix_portfolio_snapshots_portfolio_latest;
