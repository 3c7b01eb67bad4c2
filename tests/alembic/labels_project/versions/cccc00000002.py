"""plugin labelled

Revision ID: cccc00000002
"""
revision = "cccc00000002"
down_revision = "cccc00000001"
branch_labels = ("plugin", "addon")
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
