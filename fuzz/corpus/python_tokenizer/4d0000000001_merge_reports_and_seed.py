"""merge reports and seed

Revision ID: 4d0000000001
Revises: 2b0000000001, 3c0000000001
Create Date: 2025-01-14 09:00:00.000000

"""
revision = '4d0000000001'
down_revision = ('2b0000000001', '3c0000000001')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
