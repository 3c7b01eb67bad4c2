-- check: two

SELECT 1;
SELECT 2;
