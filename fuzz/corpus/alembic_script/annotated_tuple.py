"""Merge two heads: a "quoted" message

Revision ID: cc00
Revises: aa00, bb00
Create Date: 2024-05-01 12:00:00.123456

"""
from typing import Sequence, Union

revision: str = 'cc' "00"
down_revision: Union[str, Sequence[str], None] = ('aa00', "bb00",)
branch_labels = ["reports", 'billing']
depends_on = 'dd00'
