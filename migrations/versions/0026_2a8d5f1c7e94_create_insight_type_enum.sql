-- revision: 2a8d5f1c7e94
-- down_revision: f7a18c3e5d60
-- message: create insight type enum
-- create_date: 2025-10-27 09:10:00

-- +upgrade
CREATE TYPE insight_type AS ENUM ('daily_summary', 'volatility_analysis', 'concentration_risk', 'factor_exposure', 'performance_attribution', 'custom');

-- +downgrade
DROP TYPE insight_type;
