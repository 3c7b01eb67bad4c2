-- revision: 6a1f4c8e9b03
-- down_revision: 0b7e3d9a2c45
-- message: create batch run tracking
-- create_date: 2025-09-16 14:20:00

-- +upgrade
CREATE TABLE batch_run_tracking (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    job_name varchar(100) NOT NULL,
    run_date date NOT NULL,
    status batch_run_status NOT NULL DEFAULT 'pending',
    portfolio_id uuid REFERENCES portfolios (id) ON DELETE CASCADE,
    triggered_by uuid REFERENCES users (id) ON DELETE SET NULL,
    started_at timestamptz,
    completed_at timestamptz,
    duration_ms integer,
    records_processed integer NOT NULL DEFAULT 0,
    error_message text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_batch_run_tracking_duration_nonneg CHECK (duration_ms IS NULL OR duration_ms >= 0),
    CONSTRAINT ck_batch_run_tracking_records_nonneg CHECK (records_processed >= 0),
    CONSTRAINT ck_batch_run_tracking_completed_after_start CHECK (completed_at IS NULL OR started_at IS NULL OR completed_at >= started_at)
);

-- +downgrade
DROP TABLE batch_run_tracking;
