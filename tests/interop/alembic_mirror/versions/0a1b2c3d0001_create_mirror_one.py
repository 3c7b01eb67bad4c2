"""create mirror_one

Revision ID: 0a1b2c3d0001
Revises: 
Create Date: 2025-03-01 10:00:00

Mirrors tests/data/runner/mirror/versions/0001_0a1b2c3d0001_create_mirror_one.sql
(the same statements, byte for byte).
"""
from alembic import op

revision = "0a1b2c3d0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """CREATE TABLE mirror_one (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT 'one'
)"""
    )


def downgrade():
    op.execute("DROP TABLE mirror_one")
