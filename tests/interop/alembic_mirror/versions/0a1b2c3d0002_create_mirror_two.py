"""create mirror_two

Revision ID: 0a1b2c3d0002
Revises: 0a1b2c3d0001
Create Date: 2025-03-02 10:00:00

Mirrors tests/data/runner/mirror/versions/0002_0a1b2c3d0002_create_mirror_two.sql
(the same statements, byte for byte).
"""
from alembic import op

revision = "0a1b2c3d0002"
down_revision = "0a1b2c3d0001"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """CREATE TABLE mirror_two (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT 'two'
)"""
    )


def downgrade():
    op.execute("DROP TABLE mirror_two")
