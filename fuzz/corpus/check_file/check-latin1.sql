-- check: latin1

SELECT é
