-- revision: 0d5c7b9e3a42
-- down_revision: e4f69a2d0c58
-- message: seed ai insight templates
-- create_date: 2025-11-04 15:30:00

-- +upgrade
INSERT INTO ai_insight_templates (name, insight_type, prompt_template, system_prompt, max_tokens) VALUES
    ('Daily Portfolio Summary', 'daily_summary',
     'Summarize the day for portfolio {portfolio_name}: total value {total_value}, daily return {daily_return}, top movers {top_movers}.',
     'You are a concise portfolio analyst. Use plain language and cite numbers.', 1500),
    ('Volatility Review', 'volatility_analysis',
     'Review volatility for {portfolio_name}: realized 21d {realized_volatility_21d}, expected 21d {expected_volatility_21d}, trend {volatility_trend}.',
     'You are a risk analyst focused on volatility regimes.', 2000),
    ('Concentration Check', 'concentration_risk',
     'Assess concentration for {portfolio_name}: HHI {hhi}, effective positions {effective_num_positions}, top 3 weight {top_3_concentration}.',
     'You are a risk analyst focused on diversification.', 1500),
    ('Factor Exposure Brief', 'factor_exposure',
     'Explain the factor exposures of {portfolio_name}: {factor_exposures}. Highlight anything beyond one standard deviation.',
     'You are a quantitative analyst explaining factor models to a portfolio manager.', 2500);

-- +downgrade
DELETE FROM ai_insight_templates WHERE (name, version) IN (
    ('Daily Portfolio Summary', 1),
    ('Volatility Review', 1),
    ('Concentration Check', 1),
    ('Factor Exposure Brief', 1)
);
