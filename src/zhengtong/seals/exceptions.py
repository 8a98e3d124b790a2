"""Typed errors of the seals services; their messages are shown to people as they are (translated)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class SealPermissionDenied(PermissionDenied):
    """The person may not do this with the seal or the seal application."""


class SealInvalid(ValidationError):
    """The input was refused and nothing changed; ``messages`` says why, in the active language."""

    def __str__(self) -> str:
        return "；".join(str(message) for message in self.messages)
