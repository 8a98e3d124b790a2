"""Sign-in, sign-out and password changes, each audited."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth import password_validation
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.accounts.models import SignInAttempt
from zhengtong.audit import services as audit
from zhengtong.core.middleware import client_ip
from zhengtong.directory.models import User


class SignInFailed(Exception):
    """A sign-in did not succeed; ``message`` is safe to show (it never says which part was wrong)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_locked(user: User, now=None) -> bool:
    now = now or timezone.now()
    return user.status == User.Status.LOCKED or (user.locked_until is not None and user.locked_until > now)


def sign_in(*, request, username: str, password: str) -> User:
    """Check the password, apply the lockout rule, record the attempt, and start a session.

    After ``LOGIN_MAX_FAILURES`` wrong passwords in a row the account is locked for
    ``LOCKOUT_MINUTES``; every attempt is recorded and audited.
    """
    username = (username or "").strip().lower()
    ip = client_ip(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    generic = _("The username or password is wrong.")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            _attempt(username, None, SignInAttempt.Outcome.UNKNOWN_USER, ip, agent)
            audit.record(actor=None, actor_name=username, action="accounts.sign_in_failed",
                         summary=_("Sign-in with an unknown username"))
            failure = generic
        elif not user.is_active:
            _attempt(username, user, SignInAttempt.Outcome.INACTIVE, ip, agent)
            audit.record(actor=user, action="accounts.sign_in_failed", obj=user,
                         summary=_("Sign-in to a disabled account"))
            failure = _("This account has been disabled. Ask your unit's system administrator.")
        elif is_locked(user):
            _attempt(username, user, SignInAttempt.Outcome.LOCKED, ip, agent)
            audit.record(actor=user, action="accounts.sign_in_failed", obj=user,
                         summary=_("Sign-in to a locked account"))
            failure = _("This account is locked after too many failed sign-ins. Try again later or ask "
                        "your unit's system administrator to unlock it.")
        elif authenticate(request, username=username, password=password) is None:
            user.failed_sign_ins += 1
            locked_now = user.failed_sign_ins >= settings.LOGIN_MAX_FAILURES
            if locked_now:
                user.locked_until = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
                user.failed_sign_ins = 0
            user.save(update_fields=["failed_sign_ins", "locked_until"])
            _attempt(username, user, SignInAttempt.Outcome.BAD_PASSWORD, ip, agent)
            audit.record(actor=user, action="accounts.sign_in_failed", obj=user,
                         summary=_("Wrong password; account locked") if locked_now else _("Wrong password"))
            failure = (_("Too many failed sign-ins: the account is locked for %(minutes)d minutes.")
                       % {"minutes": settings.LOCKOUT_MINUTES}) if locked_now else generic
        else:
            failure = None
            user.failed_sign_ins = 0
            user.locked_until = None
            user.save(update_fields=["failed_sign_ins", "locked_until"])
            _attempt(username, user, SignInAttempt.Outcome.SUCCESS, ip, agent)
            audit.record(actor=user, action="accounts.sign_in", obj=user, summary=_("Signed in"))
    if failure is not None:
        raise SignInFailed(failure)
    login(request, user, backend="zhengtong.accounts.backends.AccountBackend")
    return user


def sign_out(*, request) -> None:
    """End this session (audited)."""
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        with transaction.atomic():
            audit.record(actor=user, action="accounts.sign_out", obj=user, summary=_("Signed out"))
    logout(request)


@transaction.atomic
def sign_out_everywhere(*, request) -> None:
    """End every session of this person on every device, this one included."""
    user = request.user
    User.objects.filter(pk=user.pk).update(session_generation=user.session_generation + 1)
    audit.record(actor=user, action="accounts.sign_out_everywhere", obj=user,
                 summary=_("Signed out on every device"))
    transaction.on_commit(lambda: logout(request))


def password_expired(user: User, now=None) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or user.password_changed_at is None:
        return False
    return (now or timezone.now()) - user.password_changed_at > timedelta(days=days)


@transaction.atomic
def change_password(*, request, old_password: str, new_password: str) -> None:
    """Change one's own password: check the old one and the policy; keep this session signed in."""
    from django.core.exceptions import ValidationError

    user = User.objects.select_for_update().get(pk=request.user.pk)
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("The current password is wrong.")})
    if old_password == new_password:
        raise ValidationError({"new_password1": _("The new password must differ from the current one.")})
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit.record(actor=user, action="accounts.password_change", obj=user, summary=_("Changed password"))
    update_session_auth_hash(request, user)


def _attempt(username, user, outcome, ip, agent) -> None:
    SignInAttempt.objects.create(username=username[:150], user=user, outcome=outcome, ip_address=ip,
                                 user_agent=agent)
