-- Sample data for the demo database `portfolio` (scripts/demo.sh).
--
-- Loaded with psql right after `dbops upgrade 19c513d3bf90`, so it matches
-- the tables and columns as they stand at that revision (the production
-- revision in migrations/README.md).  factor_definitions is not touched: the
-- migration 19c513d3bf90 seeded its 12 rows, 'Short Interest' still active.
--
-- Everything is derived from a few fixed inputs, so every run loads the same
-- shapes: 3 users, 4 portfolios, 17 positions (one closed), 30 weekdays of
-- prices for 18 symbols, one snapshot per portfolio and weekday computed from
-- those prices, target prices and factor exposures.  Dates are relative to
-- the day the demo runs, so the latest snapshot is always yesterday's.

\set ON_ERROR_STOP on

-- Users ------------------------------------------------------------------
INSERT INTO users (id, email, full_name, hashed_password, is_active, is_admin, created_at, updated_at) VALUES
    ('0a11ce00-0000-4000-8000-000000000001', 'alice.chen@example.com', 'Alice Chen',
     '$2b$12$demoDemoDemoDemoDemoDeuF1Qx9bC0mJ6rY8kT2vW4nH7pL3sA5e', TRUE, TRUE,
     now() - interval '200 days', now() - interval '3 days'),
    ('0b0b0000-0000-4000-8000-000000000002', 'ben.okafor@example.com', 'Ben Okafor',
     '$2b$12$demoDemoDemoDemoDemoDeK8mN2pQ5rS7tU9vW1xY3zA4bC6dE8f', TRUE, FALSE,
     now() - interval '150 days', now() - interval '10 days'),
    ('0ca71a00-0000-4000-8000-000000000003', 'carla.ruiz@example.com', 'Carla Ruiz',
     '$2b$12$demoDemoDemoDemoDemoDeG1hJ3kL5mN7pQ9rS2tU4vW6xY8zA0b', TRUE, FALSE,
     now() - interval '90 days', now() - interval '1 day');

-- Portfolios -------------------------------------------------------------
INSERT INTO portfolios (id, user_id, name, description, base_currency, benchmark_symbol, inception_date, created_at, updated_at) VALUES
    ('9f000000-0000-4000-8000-000000000001', '0a11ce00-0000-4000-8000-000000000001', 'Core Growth',
     'Large-cap US growth, long only', 'USD', 'SPY', current_date - 180, now() - interval '180 days', now() - interval '1 day'),
    ('9f000000-0000-4000-8000-000000000002', '0a11ce00-0000-4000-8000-000000000001', 'Dividend Income',
     'Dividend payers and staples', 'USD', 'VYM', current_date - 160, now() - interval '160 days', now() - interval '1 day'),
    ('9f000000-0000-4000-8000-000000000003', '0b0b0000-0000-4000-8000-000000000002', 'Long/Short Tech',
     'Long semis and platforms, short legacy hardware and EV', 'USD', 'QQQ', current_date - 140, now() - interval '140 days', now() - interval '1 day'),
    ('9f000000-0000-4000-8000-000000000004', '0ca71a00-0000-4000-8000-000000000003', 'Balanced Multi-Asset',
     'Equities, duration and gold', 'USD', 'AOR', current_date - 85, now() - interval '85 days', now() - interval '1 day');

-- Companies and prices ---------------------------------------------------
INSERT INTO company_profiles (symbol, company_name, sector, industry, exchange, country, market_cap, shares_outstanding, is_etf) VALUES
    ('AAPL', 'Apple Inc.', 'Technology', 'Consumer Electronics', 'NASDAQ', 'United States', 3450000000000, 15120000000, FALSE),
    ('MSFT', 'Microsoft Corporation', 'Technology', 'Software - Infrastructure', 'NASDAQ', 'United States', 3120000000000, 7430000000, FALSE),
    ('NVDA', 'NVIDIA Corporation', 'Technology', 'Semiconductors', 'NASDAQ', 'United States', 3300000000000, 24500000000, FALSE),
    ('AMZN', 'Amazon.com, Inc.', 'Consumer Cyclical', 'Internet Retail', 'NASDAQ', 'United States', 2010000000000, 10500000000, FALSE),
    ('GOOGL', 'Alphabet Inc.', 'Communication Services', 'Internet Content & Information', 'NASDAQ', 'United States', 2090000000000, 12200000000, FALSE),
    ('AMD', 'Advanced Micro Devices, Inc.', 'Technology', 'Semiconductors', 'NASDAQ', 'United States', 255000000000, 1620000000, FALSE),
    ('INTC', 'Intel Corporation', 'Technology', 'Semiconductors', 'NASDAQ', 'United States', 97000000000, 4310000000, FALSE),
    ('TSLA', 'Tesla, Inc.', 'Consumer Cyclical', 'Auto Manufacturers', 'NASDAQ', 'United States', 800000000000, 3210000000, FALSE),
    ('JPM', 'JPMorgan Chase & Co.', 'Financial Services', 'Banks - Diversified', 'NYSE', 'United States', 620000000000, 2800000000, FALSE),
    ('XOM', 'Exxon Mobil Corporation', 'Energy', 'Oil & Gas Integrated', 'NYSE', 'United States', 505000000000, 4400000000, FALSE),
    ('JNJ', 'Johnson & Johnson', 'Healthcare', 'Drug Manufacturers - General', 'NYSE', 'United States', 372000000000, 2410000000, FALSE),
    ('KO', 'The Coca-Cola Company', 'Consumer Defensive', 'Beverages - Non-Alcoholic', 'NYSE', 'United States', 271000000000, 4310000000, FALSE),
    ('PG', 'The Procter & Gamble Company', 'Consumer Defensive', 'Household & Personal Products', 'NYSE', 'United States', 390000000000, 2360000000, FALSE),
    ('VZ', 'Verizon Communications Inc.', 'Communication Services', 'Telecom Services', 'NYSE', 'United States', 172000000000, 4210000000, FALSE),
    ('SPY', 'SPDR S&P 500 ETF Trust', NULL, NULL, 'NYSE Arca', 'United States', NULL, NULL, TRUE),
    ('TLT', 'iShares 20+ Year Treasury Bond ETF', NULL, NULL, 'NASDAQ', 'United States', NULL, NULL, TRUE),
    ('GLD', 'SPDR Gold Shares', NULL, NULL, 'NYSE Arca', 'United States', NULL, NULL, TRUE),
    ('VYM', 'Vanguard High Dividend Yield ETF', NULL, NULL, 'NYSE Arca', 'United States', NULL, NULL, TRUE);

-- (symbol, price 30 weekdays ago, drift per day, phase of a gentle wave)
CREATE TEMP TABLE demo_symbols (symbol varchar(20), base_price numeric, drift numeric, phase numeric) ON COMMIT DROP;
INSERT INTO demo_symbols VALUES
    ('AAPL', 226.40, 0.0012, 0.3), ('MSFT', 417.10, 0.0009, 1.1), ('NVDA', 128.30, 0.0030, 2.0),
    ('AMZN', 186.90, 0.0015, 0.7), ('GOOGL', 166.20, 0.0011, 2.6), ('AMD', 152.70, 0.0004, 1.8),
    ('INTC', 22.60, -0.0025, 0.9), ('TSLA', 251.30, -0.0010, 2.9), ('JPM', 218.50, 0.0007, 0.1),
    ('XOM', 116.80, -0.0006, 1.4), ('JNJ', 154.20, 0.0002, 2.2), ('KO', 62.90, 0.0003, 0.5),
    ('PG', 166.40, 0.0001, 1.6), ('VZ', 41.30, 0.0005, 2.4), ('SPY', 561.80, 0.0008, 0.8),
    ('TLT', 94.70, -0.0004, 1.2), ('GLD', 238.90, 0.0010, 2.8), ('VYM', 124.60, 0.0004, 0.2);

-- The last 30 weekdays before today, numbered 1..30.
CREATE TEMP TABLE demo_days ON COMMIT DROP AS
SELECT day::date AS day, row_number() OVER (ORDER BY day) AS n
FROM (
    SELECT day
    FROM generate_series(current_date - 60, current_date - 1, interval '1 day') AS day
    WHERE extract(isodow FROM day) < 6
    ORDER BY day DESC
    LIMIT 30
) AS weekdays;

INSERT INTO market_data_cache (symbol, price_date, open, high, low, close, volume, data_source, fetched_at)
SELECT s.symbol, d.day,
       round(p.close * (1 - 0.004 * cos(d.n + s.phase)::numeric), 6),
       round(p.close * 1.011, 6),
       round(p.close * 0.989, 6),
       round(p.close, 6),
       (2000000 + 1000000 * (s.phase * 10)::int + 150000 * d.n)::bigint,
       'polygon',
       d.day + time '21:15'
FROM demo_symbols AS s
CROSS JOIN demo_days AS d
CROSS JOIN LATERAL (SELECT s.base_price * (1 + s.drift * d.n + 0.025 * sin(d.n / 2.5 + s.phase)::numeric) AS close) AS p;

-- Positions --------------------------------------------------------------
-- Entered before the price window; last_price, market_value and
-- unrealized_pnl are filled in from the latest close below.
INSERT INTO positions (portfolio_id, symbol, position_type, quantity, entry_price, entry_date, exit_price, exit_date, notes) VALUES
    ('9f000000-0000-4000-8000-000000000001', 'AAPL', 'LONG', 400, 189.25, current_date - 170, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000001', 'MSFT', 'LONG', 220, 402.10, current_date - 170, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000001', 'NVDA', 'LONG', 600, 104.80, current_date - 120, NULL, NULL, 'Added on the May pullback'),
    ('9f000000-0000-4000-8000-000000000001', 'AMZN', 'LONG', 350, 178.35, current_date - 150, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000001', 'GOOGL', 'LONG', 300, 158.90, current_date - 95, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000002', 'JNJ', 'LONG', 260, 149.60, current_date - 155, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000002', 'KO', 'LONG', 900, 60.15, current_date - 155, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000002', 'PG', 'LONG', 240, 161.05, current_date - 150, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000002', 'VZ', 'LONG', 1100, 39.80, current_date - 140, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000002', 'XOM', 'LONG', 300, 112.40, current_date - 130, 121.75, current_date - 70, 'Trimmed energy: closed'),
    ('9f000000-0000-4000-8000-000000000003', 'NVDA', 'LONG', 900, 98.60, current_date - 135, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000003', 'AMD', 'LONG', 500, 147.20, current_date - 110, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000003', 'INTC', 'SHORT', 3000, 30.40, current_date - 120, NULL, NULL, 'Pair against AMD'),
    ('9f000000-0000-4000-8000-000000000003', 'TSLA', 'SHORT', 250, 262.00, current_date - 90, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000004', 'SPY', 'LONG', 120, 541.30, current_date - 80, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000004', 'TLT', 'LONG', 500, 97.85, current_date - 80, NULL, NULL, NULL),
    ('9f000000-0000-4000-8000-000000000004', 'GLD', 'LONG', 150, 221.40, current_date - 75, NULL, NULL, NULL);

UPDATE positions AS p
SET last_price = m.close,
    market_value = round(CASE WHEN p.position_type = 'SHORT' THEN -1 ELSE 1 END * p.quantity * m.close, 2),
    unrealized_pnl = round(CASE WHEN p.position_type = 'SHORT' THEN p.entry_price - m.close ELSE m.close - p.entry_price END * p.quantity, 2),
    updated_at = now() - interval '1 day'
FROM market_data_cache AS m
WHERE m.symbol = p.symbol
  AND m.price_date = (SELECT max(day) FROM demo_days)
  AND p.exit_date IS NULL;

-- Snapshots --------------------------------------------------------------
-- One per portfolio and weekday, valued at that day's close.
CREATE TEMP TABLE demo_cash (portfolio_id uuid, cash numeric) ON COMMIT DROP;
INSERT INTO demo_cash VALUES
    ('9f000000-0000-4000-8000-000000000001', 25000.00),
    ('9f000000-0000-4000-8000-000000000002', 40250.00),
    ('9f000000-0000-4000-8000-000000000003', 180000.00),
    ('9f000000-0000-4000-8000-000000000004', 12500.00);

INSERT INTO portfolio_snapshots (portfolio_id, snapshot_date, total_value, cash_value, long_value, short_value,
                                 gross_exposure, net_exposure, daily_pnl, daily_return, cumulative_pnl,
                                 cumulative_return, num_positions, created_at)
WITH valued AS (
    SELECT c.portfolio_id, d.day, c.cash,
           coalesce(sum(p.quantity * m.close) FILTER (WHERE p.position_type = 'LONG'), 0) AS long_value,
           -coalesce(sum(p.quantity * m.close) FILTER (WHERE p.position_type = 'SHORT'), 0) AS short_value,
           count(p.id) AS num_positions
    FROM demo_cash AS c
    CROSS JOIN demo_days AS d
    LEFT JOIN positions AS p ON p.portfolio_id = c.portfolio_id AND p.exit_date IS NULL
    LEFT JOIN market_data_cache AS m ON m.symbol = p.symbol AND m.price_date = d.day
    GROUP BY c.portfolio_id, d.day, c.cash
), totals AS (
    SELECT v.*, v.cash + v.long_value + v.short_value AS total_value
    FROM valued AS v
), returns AS (
    SELECT t.*,
           lag(t.total_value) OVER w AS previous_total,
           first_value(t.total_value) OVER w AS first_total
    FROM totals AS t
    WINDOW w AS (PARTITION BY t.portfolio_id ORDER BY t.day)
)
SELECT portfolio_id, day,
       round(total_value, 2), round(cash, 2), round(long_value, 2), round(short_value, 2),
       round(long_value - short_value, 2), round(long_value + short_value, 2),
       round(total_value - previous_total, 2),
       round((total_value - previous_total) / previous_total, 8),
       round(total_value - first_total, 2),
       round((total_value - first_total) / first_total, 8),
       num_positions,
       day + time '22:05'
FROM returns;

-- Target prices and factor exposures ---------------------------------------
INSERT INTO target_prices (portfolio_id, position_id, symbol, target_price_eoy, target_price_next_year,
                           downside_target_price, current_price, created_by)
SELECT p.portfolio_id, p.id, p.symbol,
       round(p.last_price * t.eoy, 2), round(p.last_price * t.next_year, 2), round(p.last_price * t.downside, 2),
       p.last_price, pf.user_id
FROM positions AS p
JOIN portfolios AS pf ON pf.id = p.portfolio_id
JOIN (VALUES ('AAPL', 1.08, 1.17, 0.86), ('MSFT', 1.10, 1.21, 0.88), ('NVDA', 1.15, 1.32, 0.75),
             ('AMZN', 1.12, 1.25, 0.84), ('AMD', 1.18, 1.30, 0.72), ('INTC', 0.85, 0.80, 0.65),
             ('TSLA', 0.82, 0.78, 0.60), ('JNJ', 1.05, 1.09, 0.92), ('KO', 1.04, 1.08, 0.94))
     AS t(symbol, eoy, next_year, downside) ON t.symbol = p.symbol
WHERE p.exit_date IS NULL;

INSERT INTO factor_exposures (portfolio_id, factor_id, calculation_date, exposure_value, exposure_dollar, t_stat)
SELECT s.portfolio_id, f.id, s.snapshot_date,
       round(e.value, 6), round(e.value * s.gross_exposure, 2), round(e.value * 6.5, 4)
FROM portfolio_snapshots AS s
CROSS JOIN factor_definitions AS f
CROSS JOIN LATERAL (SELECT ((abs(hashtext(s.portfolio_id::text || f.name)) % 2000) - 1000) / 1000.0 * 0.8 AS value) AS e
WHERE f.is_active
  AND s.snapshot_date IN (SELECT day FROM demo_days WHERE n IN (20, 25, 30));

ANALYZE;
