"""Processing side of the documents app: workflow hooks, home panels, demo loader."""


def ready() -> None:
    pass
