-- check: side-effect
-- description: must be refused

SELECT pg_terminate_backend(pid) FROM pg_stat_activity;
