-- revision: 7b5e1f9a0c36
-- down_revision: c3a72d5e1b84
-- message: seed spread factor definitions
-- create_date: 2025-10-07 10:30:00

-- +upgrade
INSERT INTO spread_factor_definitions (name, long_symbol, short_symbol, description, display_order) VALUES
    ('Growth vs Value', 'VUG', 'VTV', 'Long large-cap growth, short large-cap value', 1),
    ('Momentum vs Market', 'MTUM', 'SPY', 'Long momentum factor ETF, short the market', 2),
    ('Size Spread', 'IWM', 'SPY', 'Long small caps, short large caps', 3),
    ('Quality Spread', 'QUAL', 'SPY', 'Long quality factor ETF, short the market', 4);

-- +downgrade
DELETE FROM spread_factor_definitions WHERE name IN (
    'Growth vs Value',
    'Momentum vs Market',
    'Size Spread',
    'Quality Spread'
);
