-- check: syntax

SELECT (1 FROM
