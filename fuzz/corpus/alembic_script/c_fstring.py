"""an f-string revision"""
PREFIX = "cc"


revision = f"{PREFIX}c"
down_revision = 'aaa'
