"""Typed errors raised by quotas services."""

from django.core.exceptions import PermissionDenied


class QuotasPermissionDenied(PermissionDenied):
    """Only the platform operator edits the update quotas and computes the scores."""
