"""create customers (the base of the 'customers' branch)

Revision ID: 7a0000000001
Revises:
Create Date: 2025-02-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '7a0000000001'
down_revision = None
branch_labels = ('customers',)
depends_on = None


def upgrade():
    op.create_table(
        'customers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('customers')
