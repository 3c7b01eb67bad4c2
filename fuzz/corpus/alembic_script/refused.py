"""bad"""
revision = "a b"
down_revision = None
branch_labels += ("x",)
depends_on, other = None, None
