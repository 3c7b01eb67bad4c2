"""An environment that never finishes in time: DbOps must stop it (timeout)."""
import time

from alembic import context

time.sleep(60)

context.configure(dialect_name="postgresql", literal_binds=True)
with context.begin_transaction():
    context.run_migrations()
