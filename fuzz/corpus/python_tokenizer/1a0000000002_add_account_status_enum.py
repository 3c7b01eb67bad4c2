"""add account status enum

Revision ID: 1a0000000002
Revises: 1a0000000001
Create Date: 2025-01-11 09:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic (the newer template, with annotations).
revision: str = "1a0000000002"
down_revision: Union[str, None] = "1a0000000001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

account_status = postgresql.ENUM("active", "suspended", "closed", name="account_status")


def upgrade() -> None:
    account_status.create(op.get_bind())
    op.add_column(
        "accounts",
        sa.Column("status", account_status, nullable=False, server_default="active"),
    )


def downgrade() -> None:
    op.drop_column("accounts", "status")
    account_status.drop(op.get_bind())
