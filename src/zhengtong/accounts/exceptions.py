from django.core.exceptions import PermissionDenied


class AccountLocked(PermissionDenied):
    """Too many failed sign-ins: the account is locked for a while."""
