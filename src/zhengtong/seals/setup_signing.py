"""Registrations made when the app is ready (navigation, panels, audit actions, receivers, demo)."""


def ready() -> None:
    pass
