"""create mirror_four

Revision ID: 0a1b2c3d0004
Revises: 0a1b2c3d0003
Create Date: 2025-03-04 10:00:00

Mirrors tests/data/runner/mirror/versions/0004_0a1b2c3d0004_create_mirror_four.sql
(the same statements, byte for byte).
"""
from alembic import op

revision = "0a1b2c3d0004"
down_revision = "0a1b2c3d0003"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """CREATE TABLE mirror_four (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT 'four'
)"""
    )


def downgrade():
    op.execute("DROP TABLE mirror_four")
