"""plugin base

Revision ID: cccc00000001
"""
revision = "cccc00000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
