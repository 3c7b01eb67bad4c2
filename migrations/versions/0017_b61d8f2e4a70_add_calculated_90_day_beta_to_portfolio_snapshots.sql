-- revision: b61d8f2e4a70
-- down_revision: 9e4a0c6b3f58
-- message: add calculated 90 day beta to portfolio snapshots
-- create_date: 2025-09-30 13:40:00

-- +upgrade
ALTER TABLE portfolio_snapshots ADD COLUMN beta_calculated_90d numeric(10, 6);
ALTER TABLE portfolio_snapshots ADD COLUMN beta_calculated_90d_r_squared numeric(10, 6);
ALTER TABLE portfolio_snapshots ADD COLUMN beta_calculated_90d_observations integer;
ALTER TABLE portfolio_snapshots ADD CONSTRAINT ck_portfolio_snapshots_beta_90d_r_squared CHECK (beta_calculated_90d_r_squared IS NULL OR (beta_calculated_90d_r_squared >= 0 AND beta_calculated_90d_r_squared <= 1));

-- +downgrade
ALTER TABLE portfolio_snapshots DROP CONSTRAINT ck_portfolio_snapshots_beta_90d_r_squared;
ALTER TABLE portfolio_snapshots DROP COLUMN beta_calculated_90d_observations;
ALTER TABLE portfolio_snapshots DROP COLUMN beta_calculated_90d_r_squared;
ALTER TABLE portfolio_snapshots DROP COLUMN beta_calculated_90d;
