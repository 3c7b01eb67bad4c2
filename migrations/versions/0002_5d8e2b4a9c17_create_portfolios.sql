-- revision: 5d8e2b4a9c17
-- down_revision: a3f1c9e07b52
-- message: create portfolios
-- create_date: 2025-06-11 14:30:00

-- +upgrade
CREATE TABLE portfolios (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name varchar(100) NOT NULL,
    description text,
    base_currency char(3) NOT NULL DEFAULT 'USD',
    benchmark_symbol varchar(20) DEFAULT 'SPY',
    inception_date date,
    is_archived boolean NOT NULL DEFAULT FALSE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_portfolios_user_name UNIQUE (user_id, name),
    CONSTRAINT ck_portfolios_base_currency CHECK (base_currency ~ '^[A-Z]{3}$')
);
CREATE INDEX ix_portfolios_user_id ON portfolios (user_id);

-- +downgrade
DROP INDEX ix_portfolios_user_id;
DROP TABLE portfolios;
