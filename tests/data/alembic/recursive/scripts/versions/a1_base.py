"""the base

Revision ID: a1
Revises:
Create Date: 2024-03-01 10:00:00.000000

"""
revision = 'a1'
down_revision = None
branch_labels = ('core',)
depends_on = None
