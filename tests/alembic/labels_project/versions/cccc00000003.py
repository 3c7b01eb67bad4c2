"""plugin tip

Revision ID: cccc00000003
"""
revision = "cccc00000003"
down_revision = "cccc00000002"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
