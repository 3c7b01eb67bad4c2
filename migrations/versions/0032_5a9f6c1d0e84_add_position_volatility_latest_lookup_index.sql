-- revision: 5a9f6c1d0e84
-- down_revision: c7d02f5a8e31
-- message: add position volatility latest lookup index
-- create_date: 2025-11-10 12:40:00

-- +upgrade
CREATE INDEX ix_position_volatility_position_latest ON position_volatility (position_id, calculation_date DESC);

-- +downgrade
DROP INDEX ix_position_volatility_position_latest;
