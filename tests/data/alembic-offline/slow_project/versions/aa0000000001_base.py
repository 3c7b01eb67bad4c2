"""create counters

Revision ID: aa0000000001
Revises:
Create Date: 2025-02-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "aa0000000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE counters (id integer PRIMARY KEY, n integer NOT NULL)")


def downgrade():
    op.execute("DROP TABLE counters")
