"""before the label

Revision ID: aaaa00000002
"""
revision = "aaaa00000002"
down_revision = "aaaa00000001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
