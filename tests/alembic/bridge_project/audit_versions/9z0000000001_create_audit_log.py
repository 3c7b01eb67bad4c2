"""create audit log (a second base, in its own version location)

Revision ID: 9z0000000001
Revises:
Create Date: 2025-01-09 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '9z0000000001'
down_revision = None
branch_labels = ('audit',)
depends_on = None


def upgrade():
    op.create_table(
        'audit_log',
        sa.Column('id', sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column('happened_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('audit_log')
