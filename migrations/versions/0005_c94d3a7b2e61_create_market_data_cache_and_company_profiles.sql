-- revision: c94d3a7b2e61
-- down_revision: 8b2a6e1f4d90
-- message: create market data cache and company profiles
-- create_date: 2025-07-16 11:20:00

-- +upgrade
CREATE TABLE market_data_cache (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    symbol varchar(20) NOT NULL,
    price_date date NOT NULL,
    open numeric(18, 6),
    high numeric(18, 6),
    low numeric(18, 6),
    close numeric(18, 6) NOT NULL,
    volume bigint,
    data_source varchar(30) NOT NULL DEFAULT 'polygon',
    fetched_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_market_data_cache_symbol_date UNIQUE (symbol, price_date),
    CONSTRAINT ck_market_data_cache_close_positive CHECK (close > 0)
);
CREATE TABLE company_profiles (
    symbol varchar(20) PRIMARY KEY,
    company_name varchar(255),
    sector varchar(100),
    industry varchar(150),
    exchange varchar(20),
    country varchar(60),
    market_cap numeric(22, 2),
    shares_outstanding numeric(20, 0),
    is_etf boolean NOT NULL DEFAULT FALSE,
    description text,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_company_profiles_sector ON company_profiles (sector);

-- +downgrade
DROP INDEX ix_company_profiles_sector;
DROP TABLE company_profiles;
DROP TABLE market_data_cache;
