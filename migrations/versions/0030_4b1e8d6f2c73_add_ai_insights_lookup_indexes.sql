-- revision: 4b1e8d6f2c73
-- down_revision: 0d5c7b9e3a42
-- message: add ai insights lookup indexes
-- create_date: 2025-11-06 10:05:00

-- +upgrade
CREATE INDEX ix_ai_insights_portfolio_created ON ai_insights (portfolio_id, created_at DESC);
CREATE INDEX ix_ai_insights_type ON ai_insights (insight_type);
CREATE INDEX ix_ai_insights_template_id ON ai_insights (template_id);

-- +downgrade
DROP INDEX ix_ai_insights_template_id;
DROP INDEX ix_ai_insights_type;
DROP INDEX ix_ai_insights_portfolio_created;
