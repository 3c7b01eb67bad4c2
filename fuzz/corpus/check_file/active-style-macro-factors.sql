-- check: active-style-macro-factors
-- description: Exactly 9 style and macro factors are active (the risk model's factor set after the Short Interest retirement)

-- The actual column names the active factors, so a wrong count shows which ones.
SELECT 'active style/macro factors' AS "check",
       '9 active' AS expected,
       count(*) || ' active: ' || coalesce(string_agg(name, ', ' ORDER BY name), '(none)') AS actual,
       count(*) = 9 AS ok
FROM factor_definitions
WHERE is_active
  AND factor_type IN ('style', 'macro');
