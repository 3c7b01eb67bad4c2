-- revision: c3a72d5e1b84
-- down_revision: 5f0e9a3c8d12
-- message: create spread factor definitions
-- create_date: 2025-10-06 14:00:00

-- +upgrade
CREATE TABLE spread_factor_definitions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(100) NOT NULL,
    long_symbol varchar(20) NOT NULL,
    short_symbol varchar(20) NOT NULL,
    description text,
    display_order integer NOT NULL DEFAULT 0,
    is_active boolean NOT NULL DEFAULT TRUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_spread_factor_definitions_name UNIQUE (name),
    CONSTRAINT uq_spread_factor_definitions_legs UNIQUE (long_symbol, short_symbol),
    CONSTRAINT ck_spread_factor_definitions_distinct_legs CHECK (long_symbol <> short_symbol)
);

-- +downgrade
DROP TABLE spread_factor_definitions;
