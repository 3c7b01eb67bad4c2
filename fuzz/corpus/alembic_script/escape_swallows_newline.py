"""doc"""
revision = "r\x4
"
down_revision = None
