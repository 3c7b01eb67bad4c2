-- revision: d3a07e6c4b19
-- down_revision: 71e5c2a9f0d3
-- message: create factor exposures
-- create_date: 2025-08-21 15:10:00

-- +upgrade
CREATE TABLE factor_exposures (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    portfolio_id uuid NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    factor_id uuid NOT NULL REFERENCES factor_definitions (id) ON DELETE CASCADE,
    calculation_date date NOT NULL,
    exposure_value numeric(12, 6) NOT NULL,
    exposure_dollar numeric(20, 2),
    t_stat numeric(10, 4),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_factor_exposures_portfolio_factor_date UNIQUE (portfolio_id, factor_id, calculation_date)
);
CREATE INDEX ix_factor_exposures_factor_id ON factor_exposures (factor_id);

-- +downgrade
DROP INDEX ix_factor_exposures_factor_id;
DROP TABLE factor_exposures;
