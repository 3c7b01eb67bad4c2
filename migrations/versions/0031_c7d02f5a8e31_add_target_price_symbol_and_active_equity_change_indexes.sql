-- revision: c7d02f5a8e31
-- down_revision: 4b1e8d6f2c73
-- message: add target price symbol and active equity change indexes
-- create_date: 2025-11-07 16:20:00

-- +upgrade
CREATE INDEX ix_target_prices_symbol ON target_prices (symbol);
CREATE INDEX ix_equity_changes_active ON equity_changes (portfolio_id) WHERE deleted_at IS NULL;

-- +downgrade
DROP INDEX ix_equity_changes_active;
DROP INDEX ix_target_prices_symbol;
