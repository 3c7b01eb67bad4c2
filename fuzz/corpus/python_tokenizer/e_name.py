"""a name and a list with a call"""
revision = 'eee'
down_revision = PARENT
branch_labels = [
    'ok',
    label(),
]
