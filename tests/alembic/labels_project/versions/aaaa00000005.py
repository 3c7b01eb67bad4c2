"""other side

Revision ID: aaaa00000005
"""
revision = "aaaa00000005"
down_revision = "aaaa00000001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
