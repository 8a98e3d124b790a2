"""Typed errors raised by workdays services."""

from django.core.exceptions import PermissionDenied


class WorkdaysPermissionDenied(PermissionDenied):
    """Only the platform operator may change the calendar, the windows or the cutoff."""
