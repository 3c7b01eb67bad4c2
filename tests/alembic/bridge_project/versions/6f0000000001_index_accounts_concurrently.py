"""index accounts by name, concurrently (non-transactional)

Revision ID: 6f0000000001
Revises: 5e0000000001
Create Date: 2025-01-16 09:00:00.000000

"""
from alembic import op

revision = '6f0000000001'
down_revision = '5e0000000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index(
            'ix_accounts_name', 'accounts', ['name'], postgresql_concurrently=True
        )


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index('ix_accounts_name', table_name='accounts', postgresql_concurrently=True)
