from alembic import context
context.configure(version_table=TABLE_NAME)
