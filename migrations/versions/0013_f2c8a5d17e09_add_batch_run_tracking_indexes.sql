-- revision: f2c8a5d17e09
-- down_revision: 6a1f4c8e9b03
-- message: add batch run tracking indexes
-- create_date: 2025-09-18 09:45:00

-- +upgrade
CREATE INDEX ix_batch_run_tracking_job_run_date ON batch_run_tracking (job_name, run_date DESC);
CREATE INDEX ix_batch_run_tracking_active ON batch_run_tracking (status) WHERE status IN ('pending', 'running');
CREATE UNIQUE INDEX uq_batch_run_tracking_job_portfolio_date ON batch_run_tracking (job_name, run_date, portfolio_id) WHERE status = 'succeeded';

-- +downgrade
DROP INDEX uq_batch_run_tracking_job_portfolio_date;
DROP INDEX ix_batch_run_tracking_active;
DROP INDEX ix_batch_run_tracking_job_run_date;
