"""create mirror_three

Revision ID: 0a1b2c3d0003
Revises: 0a1b2c3d0002
Create Date: 2025-03-03 10:00:00

Mirrors tests/data/runner/mirror/versions/0003_0a1b2c3d0003_create_mirror_three.sql
(the same statements, byte for byte).
"""
from alembic import op

revision = "0a1b2c3d0003"
down_revision = "0a1b2c3d0002"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """CREATE TABLE mirror_three (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT 'three'
)"""
    )


def downgrade():
    op.execute("DROP TABLE mirror_three")
