-- revision: 71e5c2a9f0d3
-- down_revision: 2f6b8d0e5a74
-- message: create factor definitions
-- create_date: 2025-08-07 10:40:00

-- +upgrade
CREATE TABLE factor_definitions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(100) NOT NULL UNIQUE,
    factor_type varchar(20) NOT NULL,
    description text,
    is_active boolean NOT NULL DEFAULT TRUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_factor_definitions_factor_type CHECK (factor_type IN ('style', 'macro', 'sector', 'industry'))
);

-- +downgrade
DROP TABLE factor_definitions;
