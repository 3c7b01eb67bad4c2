"""nested"""
revision = "n1"
down_revision = ((((("a",),),),),)
