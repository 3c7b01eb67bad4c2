"""backfill from a query result (needs a live connection)

Revision ID: bb0000000001
Revises: aa0000000001
Create Date: 2025-02-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "bb0000000001"
down_revision = "aa0000000001"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    highest = bind.execute(sa.text("SELECT max(n) FROM counters")).scalar()
    op.execute(f"INSERT INTO counters VALUES (1, {highest or 0})")


def downgrade():
    op.execute("DELETE FROM counters WHERE id = 1")
