"""seed factors (a data migration)

Revision ID: 3c0000000001
Revises: 1a0000000003
Create Date: 2025-01-13 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "3c0000000001"
down_revision = "1a0000000003"
branch_labels = None
depends_on = None

factors = sa.table(
    "factors",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("factor_type", sa.String),
    sa.column("is_active", sa.Boolean),
)


def upgrade():
    op.bulk_insert(
        factors,
        [
            {"id": 1, "name": "Value", "factor_type": "style", "is_active": True},
            {"id": 2, "name": "Momentum", "factor_type": "style", "is_active": True},
            {"id": 3, "name": "Short Interest", "factor_type": "style", "is_active": False},
            {"id": 4, "name": "Interest Rate", "factor_type": "macro", "is_active": True},
        ],
    )


def downgrade():
    op.execute("DELETE FROM factors WHERE id IN (1, 2, 3, 4)")
