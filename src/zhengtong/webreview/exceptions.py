"""Typed errors raised by webreview services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class ReviewPermissionDenied(PermissionDenied):
    """Somebody outside a step's group tried to decide it, or to submit a page they may not submit."""


class ReviewStateError(ValidationError):
    """The step is no longer waiting for a decision (already decided, cancelled)."""


class ScreeningFailed(ValidationError):
    """The content holds forbidden words or a classification marking (seed 003 第十九条)."""

    def __init__(self, message, matches):
        super().__init__(message)
        self.matches = matches
