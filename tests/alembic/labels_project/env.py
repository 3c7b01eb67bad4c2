# Never run: `alembic history` and `dbops --alembic` read the scripts only.
raise SystemExit("this project is for history only")
