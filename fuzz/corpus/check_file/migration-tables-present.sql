-- check: migration-tables-present
-- description: Every table the migrations create exists (the 9 base tables and the 7 added after 19c513d3bf90)

-- to_regclass follows the search path, as the migrations do, and needs no
-- privilege on the table itself, so a SELECT-only role sees the truth.
SELECT 'table ' || t.name AS "check",
       'present' AS expected,
       CASE WHEN to_regclass(t.name) IS NULL THEN 'missing' ELSE 'present' END AS actual,
       to_regclass(t.name) IS NOT NULL AS ok
FROM unnest(ARRAY[
    'users',
    'portfolios',
    'positions',
    'portfolio_snapshots',
    'market_data_cache',
    'company_profiles',
    'target_prices',
    'factor_definitions',
    'factor_exposures',
    'batch_run_tracking',
    'equity_changes',
    'position_realized_events',
    'spread_factor_definitions',
    'position_volatility',
    'ai_insight_templates',
    'ai_insights'
]) WITH ORDINALITY AS t(name, position)
ORDER BY t.position;
