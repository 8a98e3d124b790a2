"""State-changing services of the exchange app: one module per part (sending, receiving, printing, windows).

The typed errors every part raises live here, so a view catches them without importing a part:

* ``ExchangeRefused`` — bad input or a state that forbids the action; nothing changed and the
  message (in Chinese) says why;
* ``ExchangePermissionDenied`` — the person may not do this (views answer 403 or 404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class ExchangeRefused(ValidationError):
    """The input was refused and nothing changed; ``messages`` says why, in the active language."""

    def __str__(self) -> str:
        return "；".join(str(message) for message in self.messages)


class ExchangePermissionDenied(PermissionDenied):
    """The person may not send, receive or track this dispatch or delivery."""


__all__ = ["ExchangePermissionDenied", "ExchangeRefused"]
