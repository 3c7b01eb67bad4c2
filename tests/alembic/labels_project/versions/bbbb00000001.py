"""side branch start

Revision ID: bbbb00000001
"""
revision = "bbbb00000001"
down_revision = "aaaa00000007"
branch_labels = ("side",)
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
