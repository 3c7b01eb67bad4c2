-- revision: 2f6b8d0e5a74
-- down_revision: c94d3a7b2e61
-- message: create target prices
-- create_date: 2025-07-30 13:55:00

-- +upgrade
CREATE TABLE target_prices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    portfolio_id uuid NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    position_id uuid REFERENCES positions (id) ON DELETE CASCADE,
    symbol varchar(20) NOT NULL,
    target_price_eoy numeric(18, 6),
    target_price_next_year numeric(18, 6),
    downside_target_price numeric(18, 6),
    current_price numeric(18, 6),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_target_prices_portfolio_symbol UNIQUE (portfolio_id, symbol),
    CONSTRAINT ck_target_prices_nonneg CHECK (
        (target_price_eoy IS NULL OR target_price_eoy >= 0)
        AND (target_price_next_year IS NULL OR target_price_next_year >= 0)
        AND (downside_target_price IS NULL OR downside_target_price >= 0))
);
CREATE INDEX ix_target_prices_position_id ON target_prices (position_id);

-- +downgrade
DROP INDEX ix_target_prices_position_id;
DROP TABLE target_prices;
