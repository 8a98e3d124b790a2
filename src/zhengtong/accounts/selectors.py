"""Reads of a person's own sign-in record and password state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from zhengtong.accounts import services
from zhengtong.accounts.models import SignInAttempt

#: Days before expiry from which the home page warns about the password.
EXPIRY_WARNING_DAYS = 14


def sign_in_history(user, *, limit: int = 20) -> QuerySet[SignInAttempt]:
    """The person's own latest sign-in attempts, newest first (only their own account's)."""
    return SignInAttempt.objects.filter(user=user).order_by("-occurred_at", "-id")[:limit]


@dataclass(frozen=True)
class SecuritySummary:
    """What the person should know about their account's security right now."""

    previous_sign_in: SignInAttempt | None
    failures_since: int
    password_set_at: datetime
    password_age_days: int
    expires_at: datetime | None
    days_left: int | None

    @property
    def expiry_warning(self) -> bool:
        return self.days_left is not None and self.days_left < EXPIRY_WARNING_DAYS


def security_summary(user, *, current_sign_in_id: int | None = None) -> SecuritySummary:
    """The last sign-in before this session, failed attempts since, and the password's age."""
    successes = SignInAttempt.objects.filter(user=user, outcome=SignInAttempt.Outcome.SUCCESS)
    if current_sign_in_id is not None:
        successes = successes.exclude(pk=current_sign_in_id)
    previous = successes.order_by("-occurred_at", "-id").first()
    failures = SignInAttempt.objects.filter(user=user).exclude(outcome=SignInAttempt.Outcome.SUCCESS)
    if previous is not None:
        failures = failures.filter(occurred_at__gt=previous.occurred_at)
    now = timezone.now()
    set_at = services.password_age_start(user)
    expires = services.password_expires_at(user)
    return SecuritySummary(
        previous_sign_in=previous,
        failures_since=failures.count(),
        password_set_at=set_at,
        password_age_days=max(0, (now - set_at).days),
        expires_at=expires,
        days_left=max(0, (expires - now).days) if expires is not None else None,
    )
