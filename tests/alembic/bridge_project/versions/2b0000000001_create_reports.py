"""create reports (the reports branch)

Revision ID: 2b0000000001
Revises: 1a0000000003
Create Date: 2025-01-13 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '2b0000000001'
down_revision = '1a0000000003'
branch_labels = ('reports',)
depends_on = None


def upgrade():
    op.create_table(
        'reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name='fk_reports_account'),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('reports')
