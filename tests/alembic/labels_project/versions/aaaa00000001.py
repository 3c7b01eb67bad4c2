"""trunk base

Revision ID: aaaa00000001
"""
revision = "aaaa00000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
