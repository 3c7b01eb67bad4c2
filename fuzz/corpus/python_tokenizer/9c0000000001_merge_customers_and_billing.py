"""merge customers and billing: invoices belong to customers

Revision ID: 9c0000000001
Revises: 7a0000000001, 8b0000000001
Create Date: 2025-02-04 09:00:00.000000

"""
from alembic import op

revision = '9c0000000001'
down_revision = ('7a0000000001', '8b0000000001')
branch_labels = None
depends_on = None


def upgrade():
    op.create_foreign_key('fk_invoices_customer', 'invoices', 'customers', ['customer_id'], ['id'])


def downgrade():
    op.drop_constraint('fk_invoices_customer', 'invoices', type_='foreignkey')
