'''another base in the second location, depending on the core branch'''
revision = "d4"
down_revision = None
branch_labels = "extra"
depends_on = ["core"]
