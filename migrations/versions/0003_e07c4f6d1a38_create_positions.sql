-- revision: e07c4f6d1a38
-- down_revision: 5d8e2b4a9c17
-- message: create positions
-- create_date: 2025-06-24 09:05:00

-- +upgrade
CREATE TABLE positions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    portfolio_id uuid NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    symbol varchar(20) NOT NULL,
    position_type varchar(10) NOT NULL DEFAULT 'LONG',
    quantity numeric(20, 6) NOT NULL,
    entry_price numeric(18, 6) NOT NULL,
    entry_date date NOT NULL,
    exit_price numeric(18, 6),
    exit_date date,
    last_price numeric(18, 6),
    market_value numeric(20, 2),
    unrealized_pnl numeric(20, 2),
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_positions_position_type CHECK (position_type IN ('LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP')),
    CONSTRAINT ck_positions_entry_price_nonneg CHECK (entry_price >= 0),
    CONSTRAINT ck_positions_exit_after_entry CHECK (exit_date IS NULL OR exit_date >= entry_date)
);
CREATE INDEX ix_positions_portfolio_id ON positions (portfolio_id);
CREATE INDEX ix_positions_symbol ON positions (symbol);

-- +downgrade
DROP INDEX ix_positions_symbol;
DROP INDEX ix_positions_portfolio_id;
DROP TABLE positions;
