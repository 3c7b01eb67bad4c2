-- check: ok

WITH x AS (SELECT 1 AS a) SELECT 😀 FROM x -- emoji
