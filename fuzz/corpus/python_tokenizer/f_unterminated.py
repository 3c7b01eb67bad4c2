"""an unterminated string"""
revision = 'fff'
down_revision = 'aaa
