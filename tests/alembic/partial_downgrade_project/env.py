"""Alembic environment of the partial-downgrade project.

Online: the URL comes from $DBOPS_ALEMBIC_URL (psycopg2).  Offline (--sql): no
URL is needed; the PostgreSQL dialect renders literal values inline.
"""
import os

from alembic import context
from sqlalchemy import create_engine, pool


def run_migrations_offline():
    context.configure(
        dialect_name="postgresql",
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    url = os.environ.get("DBOPS_ALEMBIC_URL")
    if not url:
        raise SystemExit("env.py: set DBOPS_ALEMBIC_URL to the database URL (postgresql://...)")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
