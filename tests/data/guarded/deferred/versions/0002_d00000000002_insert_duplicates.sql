-- revision: d00000000002
-- down_revision: d00000000001
-- message: insert two equal ids: the deferred constraint fails at COMMIT
-- create_date: 2026-12-06 10:01:00

-- +upgrade
INSERT INTO pairs (id) VALUES (1), (1);

-- +downgrade
DELETE FROM pairs;
