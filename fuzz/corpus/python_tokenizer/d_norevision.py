"""no revision at all"""
down_revision = 'aaa'


def upgrade():
    revision = 'inside a function does not count'
