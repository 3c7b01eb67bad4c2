"""create factors, the branch point

Revision ID: 1a0000000003
Revises: 1a0000000002
Create Date: 2025-01-12 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '1a0000000003'
down_revision = '1a0000000002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'factors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('factor_type', sa.String(length=20), nullable=False),
        sa.Column('is_active', sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name', name='uq_factors_name'),
    )


def downgrade():
    op.drop_table('factors')
