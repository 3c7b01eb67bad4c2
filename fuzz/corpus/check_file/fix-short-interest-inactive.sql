-- fix: short-interest-inactive
-- description: Retire the 'Short Interest' factor: set is_active = false
-- repairs: short-interest-inactive

-- +change
-- "AND is_active" makes a second run a no-op that leaves updated_at alone.
UPDATE factor_definitions
SET is_active = FALSE,
    updated_at = now()
WHERE name = 'Short Interest'
  AND is_active;

-- +postcondition
SELECT NOT EXISTS (
    SELECT 1 FROM factor_definitions WHERE name = 'Short Interest' AND is_active
);
