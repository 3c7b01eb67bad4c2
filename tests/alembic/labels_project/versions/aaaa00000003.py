"""labelled

Revision ID: aaaa00000003
"""
revision = "aaaa00000003"
down_revision = "aaaa00000002"
branch_labels = ("feature",)
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
