-- revision: 8b2a6e1f4d90
-- down_revision: e07c4f6d1a38
-- message: create portfolio snapshots
-- create_date: 2025-07-02 16:45:00

-- +upgrade
CREATE TABLE portfolio_snapshots (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    portfolio_id uuid NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    snapshot_date date NOT NULL,
    total_value numeric(20, 2) NOT NULL,
    cash_value numeric(20, 2) NOT NULL DEFAULT 0,
    long_value numeric(20, 2),
    short_value numeric(20, 2),
    gross_exposure numeric(20, 2),
    net_exposure numeric(20, 2),
    daily_pnl numeric(20, 2),
    daily_return numeric(12, 8),
    cumulative_pnl numeric(20, 2),
    cumulative_return numeric(12, 8),
    num_positions integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_portfolio_snapshots_portfolio_date UNIQUE (portfolio_id, snapshot_date),
    CONSTRAINT ck_portfolio_snapshots_num_positions CHECK (num_positions >= 0)
);

-- +downgrade
DROP TABLE portfolio_snapshots;
