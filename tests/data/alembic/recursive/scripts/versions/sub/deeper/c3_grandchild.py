"""the grandchild, two directories down"""
revision = 'c3'
down_revision = 'b2'
