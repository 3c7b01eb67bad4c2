-- revision: 8c3b0e6a4f19
-- down_revision: 2a8d5f1c7e94
-- message: create ai insight templates
-- create_date: 2025-10-28 13:45:00

-- +upgrade
CREATE TABLE ai_insight_templates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(100) NOT NULL,
    insight_type insight_type NOT NULL,
    prompt_template text NOT NULL,
    system_prompt text,
    model_name varchar(50) NOT NULL DEFAULT 'default',
    max_tokens integer NOT NULL DEFAULT 2000,
    version integer NOT NULL DEFAULT 1,
    is_active boolean NOT NULL DEFAULT TRUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_ai_insight_templates_name_version UNIQUE (name, version),
    CONSTRAINT ck_ai_insight_templates_max_tokens CHECK (max_tokens > 0 AND max_tokens <= 32000),
    CONSTRAINT ck_ai_insight_templates_version_positive CHECK (version >= 1)
);

-- +downgrade
DROP TABLE ai_insight_templates;
