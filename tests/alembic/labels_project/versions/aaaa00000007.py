"""depends on a label, as written

Revision ID: aaaa00000007
"""
revision = "aaaa00000007"
down_revision = "aaaa00000006"
branch_labels = None
depends_on = "feature"


def upgrade():
    pass


def downgrade():
    pass
