"""trunk tip

Revision ID: bbbb00000003
"""
revision = "bbbb00000003"
down_revision = "aaaa00000007"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
