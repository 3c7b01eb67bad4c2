"""side branch tip

Revision ID: bbbb00000002
"""
revision = "bbbb00000002"
down_revision = "bbbb00000001"
branch_labels = None
depends_on = ("aaaa00000005",)


def upgrade():
    pass


def downgrade():
    pass
