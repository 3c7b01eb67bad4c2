"""merge

Revision ID: aaaa00000006
"""
revision = "aaaa00000006"
down_revision = ("aaaa00000004", "aaaa00000005")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
