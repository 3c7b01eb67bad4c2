revision = 'not_a_revision'
