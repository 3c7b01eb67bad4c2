-- revision: e4f69a2d0c58
-- down_revision: 8c3b0e6a4f19
-- message: create ai insights
-- create_date: 2025-11-03 11:15:00

-- +upgrade
CREATE TABLE ai_insights (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    portfolio_id uuid NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    template_id uuid REFERENCES ai_insight_templates (id) ON DELETE SET NULL,
    insight_type insight_type NOT NULL,
    title varchar(200) NOT NULL,
    summary text NOT NULL,
    full_analysis text,
    severity varchar(10) NOT NULL DEFAULT 'info',
    data_as_of date,
    tokens_used integer,
    cost_usd numeric(10, 6),
    user_rating smallint,
    is_dismissed boolean NOT NULL DEFAULT FALSE,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_ai_insights_severity CHECK (severity IN ('info', 'normal', 'elevated', 'warning', 'critical')),
    CONSTRAINT ck_ai_insights_user_rating CHECK (user_rating IS NULL OR user_rating BETWEEN 1 AND 5),
    CONSTRAINT ck_ai_insights_tokens_nonneg CHECK (tokens_used IS NULL OR tokens_used >= 0)
);

-- +downgrade
DROP TABLE ai_insights;
