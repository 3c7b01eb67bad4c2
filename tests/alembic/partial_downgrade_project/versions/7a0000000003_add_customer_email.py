"""add customers.email

Revision ID: 7a0000000003
Revises: 7a0000000002
Create Date: 2025-02-06 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '7a0000000003'
down_revision = '7a0000000002'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('customers', sa.Column('email', sa.Text(), nullable=True))


def downgrade():
    op.drop_column('customers', 'email')
