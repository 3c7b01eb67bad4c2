"""down_revision from a function call"""
import os

revision = 'bbb'
down_revision = os.environ.get("PARENT")
