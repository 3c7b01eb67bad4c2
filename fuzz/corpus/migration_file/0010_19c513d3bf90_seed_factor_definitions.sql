-- revision: 19c513d3bf90
-- down_revision: 4c9f1b8e7d26
-- message: seed factor definitions
-- create_date: 2025-09-09 17:00:00

-- +upgrade
INSERT INTO factor_definitions (name, factor_type, description, is_active) VALUES
    ('Market Beta', 'style', 'Sensitivity to broad equity market returns', TRUE),
    ('Momentum', 'style', 'Trailing 12-1 month price momentum', TRUE),
    ('Value', 'style', 'Cheapness on book-to-price and earnings yield', TRUE),
    ('Growth', 'style', 'Sales and earnings growth', TRUE),
    ('Quality', 'style', 'Profitability, leverage and earnings stability', TRUE),
    ('Size', 'style', 'Log market capitalization', TRUE),
    ('Low Volatility', 'style', 'Low realized volatility names', TRUE),
    ('Short Interest', 'style', 'Short interest as a fraction of float', TRUE),
    ('Interest Rate Sensitivity', 'macro', 'Sensitivity to 10Y treasury yield changes', TRUE),
    ('Oil Price Sensitivity', 'macro', 'Sensitivity to WTI crude oil returns', TRUE),
    ('Technology Sector', 'sector', 'Membership in the technology sector', TRUE),
    ('Dividend Yield', 'style', 'Trailing dividend yield (retired)', FALSE);

-- +downgrade
DELETE FROM factor_definitions WHERE name IN (
    'Market Beta',
    'Momentum',
    'Value',
    'Growth',
    'Quality',
    'Size',
    'Low Volatility',
    'Short Interest',
    'Interest Rate Sensitivity',
    'Oil Price Sensitivity',
    'Technology Sector',
    'Dividend Yield'
);
