"""Drafting side of the documents app: audit actions, navigation."""


def ready() -> None:
    pass
