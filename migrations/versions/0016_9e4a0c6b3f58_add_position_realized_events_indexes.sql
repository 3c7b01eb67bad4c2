-- revision: 9e4a0c6b3f58
-- down_revision: 3d9b6e0f7a21
-- message: add position realized events indexes
-- create_date: 2025-09-26 10:15:00

-- +upgrade
CREATE INDEX ix_position_realized_events_position_id ON position_realized_events (position_id);
CREATE INDEX ix_position_realized_events_portfolio_date ON position_realized_events (portfolio_id, trade_date);

-- +downgrade
DROP INDEX ix_position_realized_events_portfolio_date;
DROP INDEX ix_position_realized_events_position_id;
