"""Audit actions of the process engine and the default processes it ships."""


def register_audit_actions() -> None:
    pass
