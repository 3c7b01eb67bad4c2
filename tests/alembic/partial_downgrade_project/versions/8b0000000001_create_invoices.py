"""create invoices (the base of the 'billing' branch)

Revision ID: 8b0000000001
Revises:
Create Date: 2025-02-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '8b0000000001'
down_revision = None
branch_labels = ('billing',)
depends_on = None


def upgrade():
    op.create_table(
        'invoices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Numeric(12, 2), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('invoices')
