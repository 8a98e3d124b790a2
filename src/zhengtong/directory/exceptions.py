"""Typed errors raised by directory services."""

from django.core.exceptions import PermissionDenied


class DirectoryPermissionDenied(PermissionDenied):
    """The actor may not manage this unit or person."""
