-- check: short-interest-inactive
-- description: The retired 'Short Interest' factor is inactive

-- A left join from the expected name, so a missing row is reported as missing
-- instead of yielding no rows.
SELECT 'Short Interest inactive' AS "check",
       'is_active = false' AS expected,
       CASE
           WHEN f.name IS NULL THEN 'missing'
           ELSE 'is_active = ' || f.is_active::text
       END AS actual,
       coalesce(NOT f.is_active, false) AS ok
FROM (VALUES ('Short Interest')) AS wanted(name)
LEFT JOIN factor_definitions AS f ON f.name = wanted.name;
