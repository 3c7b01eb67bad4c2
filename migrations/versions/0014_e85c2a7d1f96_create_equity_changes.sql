-- revision: e85c2a7d1f96
-- down_revision: f2c8a5d17e09
-- message: create equity changes
-- create_date: 2025-09-22 11:30:00

-- +upgrade
CREATE TABLE equity_changes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    portfolio_id uuid NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    change_type varchar(20) NOT NULL,
    amount numeric(20, 2) NOT NULL,
    change_date date NOT NULL,
    notes text,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    deleted_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_equity_changes_change_type CHECK (change_type IN ('CONTRIBUTION', 'WITHDRAWAL', 'FEE', 'DIVIDEND_PAYOUT')),
    CONSTRAINT ck_equity_changes_amount_positive CHECK (amount > 0)
);
CREATE INDEX ix_equity_changes_portfolio_date ON equity_changes (portfolio_id, change_date);

-- +downgrade
DROP INDEX ix_equity_changes_portfolio_date;
DROP TABLE equity_changes;
