from alembic import context


def run_migrations_online():
    context.configure(
        connection=None,
        version_table="custom_versions",
        version_table_schema='ops',
    )
