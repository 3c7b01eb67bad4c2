def helper():
    return get_revision()
