-- revision: d08c4b7e2f5a
-- down_revision: 7b5e1f9a0c36
-- message: create position volatility
-- create_date: 2025-10-10 16:15:00

-- +upgrade
CREATE TABLE position_volatility (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    position_id uuid NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
    calculation_date date NOT NULL,
    realized_vol_21d numeric(10, 6),
    realized_vol_63d numeric(10, 6),
    expected_vol_21d numeric(10, 6),
    vol_trend varchar(20),
    observations integer,
    model_type varchar(20) NOT NULL DEFAULT 'HAR',
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_position_volatility_position_date UNIQUE (position_id, calculation_date),
    CONSTRAINT ck_position_volatility_nonneg CHECK (
        (realized_vol_21d IS NULL OR realized_vol_21d >= 0)
        AND (realized_vol_63d IS NULL OR realized_vol_63d >= 0)
        AND (expected_vol_21d IS NULL OR expected_vol_21d >= 0)),
    CONSTRAINT ck_position_volatility_vol_trend CHECK (vol_trend IS NULL OR vol_trend IN ('increasing', 'decreasing', 'stable'))
);

-- +downgrade
DROP TABLE position_volatility;
