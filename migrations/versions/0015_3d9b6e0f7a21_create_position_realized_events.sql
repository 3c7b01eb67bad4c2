-- revision: 3d9b6e0f7a21
-- down_revision: e85c2a7d1f96
-- message: create position realized events
-- create_date: 2025-09-25 15:05:00

-- +upgrade
CREATE TABLE position_realized_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    position_id uuid NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
    portfolio_id uuid NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    trade_date date NOT NULL,
    quantity_closed numeric(20, 6) NOT NULL,
    close_price numeric(18, 6) NOT NULL,
    realized_pnl numeric(20, 2) NOT NULL,
    fees numeric(12, 2) NOT NULL DEFAULT 0,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_position_realized_events_quantity_positive CHECK (quantity_closed > 0),
    CONSTRAINT ck_position_realized_events_price_nonneg CHECK (close_price >= 0),
    CONSTRAINT ck_position_realized_events_fees_nonneg CHECK (fees >= 0)
);

-- +downgrade
DROP TABLE position_realized_events;
