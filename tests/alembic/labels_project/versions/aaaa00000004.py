"""after the label

Revision ID: aaaa00000004
"""
revision = "aaaa00000004"
down_revision = "aaaa00000003"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
