"""The process engine's place in the office portal: navigation and home-page panels."""


def register_office() -> None:
    pass
