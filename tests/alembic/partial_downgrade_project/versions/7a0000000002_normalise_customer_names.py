"""normalise customer names (cannot be undone)

Revision ID: 7a0000000002
Revises: 7a0000000001
Create Date: 2025-02-05 09:00:00.000000

"""
from alembic import op

revision = '7a0000000002'
down_revision = '7a0000000001'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE customers SET name = btrim(name)")


def downgrade():
    raise NotImplementedError("the names' original spacing is gone: restore from a backup")
