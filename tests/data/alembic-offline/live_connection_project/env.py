"""Offline-only environment for the DbOps offline-mode fixtures."""
from alembic import context


def run_migrations_offline():
    context.configure(dialect_name="postgresql", literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    raise SystemExit("env.py: this fixture project only runs in offline mode (--sql)")
