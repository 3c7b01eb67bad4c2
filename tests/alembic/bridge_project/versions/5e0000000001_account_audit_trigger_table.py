"""link accounts to the audit log (depends on the audit branch)

Revision ID: 5e0000000001
Revises: 4d0000000001
Create Date: 2025-01-15 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '5e0000000001'
down_revision = '4d0000000001'
branch_labels = None
depends_on = ['audit']


def upgrade():
    op.add_column('audit_log', sa.Column('account_id', sa.Integer(), nullable=True))
    op.create_foreign_key('fk_audit_log_account', 'audit_log', 'accounts', ['account_id'], ['id'])


def downgrade():
    op.drop_constraint('fk_audit_log_account', 'audit_log', type_='foreignkey')
    op.drop_column('audit_log', 'account_id')
