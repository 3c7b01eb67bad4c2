-- revision: 5f0e9a3c8d12
-- down_revision: b61d8f2e4a70
-- message: add provider 1 year beta to portfolio snapshots
-- create_date: 2025-10-02 09:50:00

-- +upgrade
ALTER TABLE portfolio_snapshots ADD COLUMN beta_provider_1y numeric(10, 6);

-- +downgrade
ALTER TABLE portfolio_snapshots DROP COLUMN beta_provider_1y;
