"""Sign-in, sign-out and password changes, each recorded and audited (seed 001 第十五条)."""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import login, logout, password_validation, update_session_auth_hash
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.accounts.models import PasswordHistory, SignInAttempt
from zhengtong.audit import services as audit
from zhengtong.core.middleware import client_ip
from zhengtong.directory.models import User

#: The session key holding the id of the sign-in that started this session.
SIGN_IN_SESSION_KEY = "zhengtong_sign_in_id"
#: Outcomes that count against an address: guesses, not refusals the platform itself made.
_GUESSES = (SignInAttempt.Outcome.BAD_PASSWORD, SignInAttempt.Outcome.UNKNOWN_USER)
#: Earlier password hashes kept per person (the validator's ``history`` option reads at most this many).
PASSWORD_HISTORY_KEPT = 10


class SignInFailed(Exception):
    """A sign-in did not succeed; ``message`` is safe to show (it never says which part was wrong)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_locked(user: User, now: datetime | None = None) -> bool:
    """Locked by an administrator, or for a while after too many wrong passwords."""
    now = now or timezone.now()
    return user.status == User.Status.LOCKED or (user.locked_until is not None and user.locked_until > now)


def _generic_failure() -> str:
    # The same words whether the username exists or not, so that nobody can probe for accounts.
    return _("The username or password is wrong. After %(count)d wrong passwords in a row an account is "
             "locked for %(minutes)d minutes.") % {"count": settings.LOGIN_MAX_FAILURES,
                                                   "minutes": settings.LOCKOUT_MINUTES}


def _locked_now() -> str:
    return (_("Too many failed sign-ins: the account is locked for %(minutes)d minutes.")
            % {"minutes": settings.LOCKOUT_MINUTES})


def _still_locked() -> str:
    return _("This account is locked after too many failed sign-ins. Try again later or ask your unit's "
             "system administrator to unlock it.")


def sign_in(*, request, username: str, password: str) -> User:
    """Check the password, apply the lockout rules, record the attempt, and start a session.

    After ``LOGIN_MAX_FAILURES`` wrong passwords in a row the account is locked for
    ``LOCKOUT_MINUTES``; an address with ``LOGIN_MAX_FAILURES_PER_ADDRESS`` failures within
    that time (whatever the usernames) is refused until they age out. Every attempt is
    recorded and audited. An unknown username is answered exactly as a real one would be.
    """
    username = (username or "").strip().lower()[:150]
    ip = client_ip(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    now = timezone.now()
    window_start = now - timedelta(minutes=settings.LOCKOUT_MINUTES)
    attempt = None
    # The deliberately slow hash check runs before the transaction: on SQLite the transaction holds
    # the database's write lock, which no one else should wait ~0.1 s for at every sign-in.
    candidate = User.objects.filter(username=username).values_list("password", flat=True).first() \
        if username else None
    rehash: list[bool] = []
    if candidate is None:
        make_password(password)  # spend the time a real check would take
        password_ok = False
    else:
        password_ok = check_password(password, candidate, setter=lambda raw: rehash.append(True))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first() if username else None
        if user is not None and user.password != candidate:  # changed meanwhile: check again, rarely
            rehash.clear()
            password_ok = check_password(password, user.password, setter=lambda raw: rehash.append(True))
        if ip and SignInAttempt.objects.filter(ip_address=ip, outcome__in=_GUESSES,
                                               occurred_at__gte=window_start).count() \
                >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS:
            _attempt(username, user, SignInAttempt.Outcome.THROTTLED, ip, agent)
            audit.record(actor=user, actor_name=username, action="accounts.sign_in_throttled", obj=user,
                         summary=_("Sign-in refused: too many failed sign-ins from this address"))
            failure = (_("Too many failed sign-ins from this address. Try again in %(minutes)d minutes.")
                       % {"minutes": settings.LOCKOUT_MINUTES})
        elif user is None:
            _attempt(username, None, SignInAttempt.Outcome.UNKNOWN_USER, ip, agent)
            audit.record(actor=None, actor_name=username, action="accounts.sign_in_failed",
                         summary=_("Sign-in with an unknown username"))
            guesses = SignInAttempt.objects.filter(username=username, user=None,
                                                   outcome=SignInAttempt.Outcome.UNKNOWN_USER,
                                                   occurred_at__gte=window_start).count()
            if guesses == settings.LOGIN_MAX_FAILURES:
                failure = _locked_now()
            elif guesses > settings.LOGIN_MAX_FAILURES:
                failure = _still_locked()
            else:
                failure = _generic_failure()
        elif is_locked(user, now):
            _attempt(username, user, SignInAttempt.Outcome.LOCKED, ip, agent)
            audit.record(actor=user, action="accounts.sign_in_failed", obj=user,
                         summary=_("Sign-in to a locked account"))
            failure = _still_locked()
        elif not user.is_active:
            # Only someone who knows the password learns that the account was disabled.
            knows = password_ok
            _attempt(username, user, SignInAttempt.Outcome.INACTIVE, ip, agent)
            audit.record(actor=user, action="accounts.sign_in_failed", obj=user,
                         summary=_("Sign-in to a disabled account"))
            failure = (_("This account has been disabled. Ask your unit's system administrator.") if knows
                       else _generic_failure())
        elif not password_ok:
            user.failed_sign_ins += 1
            locked_now = user.failed_sign_ins >= settings.LOGIN_MAX_FAILURES
            if locked_now:
                user.locked_until = now + timedelta(minutes=settings.LOCKOUT_MINUTES)
                user.failed_sign_ins = 0
            user.save(update_fields=["failed_sign_ins", "locked_until"])
            _attempt(username, user, SignInAttempt.Outcome.BAD_PASSWORD, ip, agent)
            audit.record(actor=user, action="accounts.sign_in_failed", obj=user,
                         summary=_("Wrong password; account locked") if locked_now else _("Wrong password"),
                         changes={"failed_sign_ins": user.failed_sign_ins,
                                  "locked_until": user.locked_until})
            failure = _locked_now() if locked_now else _generic_failure()
        else:
            failure = None
            user.failed_sign_ins = 0
            user.locked_until = None
            fields = ["failed_sign_ins", "locked_until"]
            if rehash:  # stored with an older hasher or parameters: upgrade it now
                user.set_password(password)
                fields.append("password")
            user.save(update_fields=fields)
            attempt = _attempt(username, user, SignInAttempt.Outcome.SUCCESS, ip, agent)
            audit.record(actor=user, action="accounts.sign_in", obj=user, summary=_("Signed in"))
    if failure is not None:
        raise SignInFailed(failure)
    login(request, user, backend="zhengtong.accounts.backends.AccountBackend")
    request.session[SIGN_IN_SESSION_KEY] = attempt.pk
    return user


def sign_out(*, request) -> None:
    """End this session (audited)."""
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        with transaction.atomic():
            audit.record(actor=user, action="accounts.sign_out", obj=user, summary=_("Signed out"))
    logout(request)


def sign_out_everywhere(*, request) -> None:
    """End every session of this person on every device, this one included.

    The session generation is part of ``User.get_session_auth_hash``: raising it makes every
    session's stored hash stale, so each one ends at its next request.
    """
    user = request.user
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.session_generation += 1
        locked.save(update_fields=["session_generation"])
        audit.record(actor=user, action="accounts.sign_out_everywhere", obj=user,
                     summary=_("Signed out on every device"))
    logout(request)


def password_age_start(user: User) -> datetime:
    """When the current password's age is counted from: its change, else the account's creation."""
    return user.password_changed_at or user.date_joined


def password_expires_at(user: User) -> datetime | None:
    """When the password expires (``PASSWORD_MAX_AGE_DAYS`` after it was set), or None if never."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days:
        return None
    return password_age_start(user) + timedelta(days=days)


def password_expired(user: User, now: datetime | None = None) -> bool:
    """The password is older than ``PASSWORD_MAX_AGE_DAYS`` (0 turns expiry off)."""
    expires = password_expires_at(user)
    return expires is not None and (now or timezone.now()) >= expires


def must_change_password(user: User, now: datetime | None = None) -> bool:
    """A one-time password (new account, reset) or an expired one: no page but the change page."""
    return bool(user.must_change_password) or password_expired(user, now)


def change_password(*, request, old_password: str, new_password: str) -> None:
    """Change one's own password: check the old one and the policy; keep this session signed in.

    Every other session of the person ends (the password is part of the session hash).
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=request.user.pk)
        if not user.check_password(old_password):
            raise ValidationError({"old_password": _("The current password is wrong.")})
        if old_password == new_password:
            raise ValidationError({"new_password1": _("The new password must differ from the current one.")})
        try:
            password_validation.validate_password(new_password, user)
        except ValidationError as exc:
            raise ValidationError({"new_password1": exc.messages}) from exc
        was_forced = must_change_password(user)
        remember_current_password(user=user)
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        audit.record(actor=user, action="accounts.password_change", obj=user, summary=_("Changed password"),
                     changes={"forced": was_forced})
    update_session_auth_hash(request, user)


def remember_current_password(*, user: User) -> None:
    """Keep the hash of the person's current password before it is replaced (by them or a reset).

    ``NotRecentPasswordValidator`` refuses these, so a reset does not let an old password back in.
    """
    if not user.has_usable_password():
        return
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[PASSWORD_HISTORY_KEPT:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


def clear_expired_sessions() -> None:
    """Delete the sessions that timed out (nightly housekeeping, whatever the session engine)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


def _attempt(username, user, outcome, ip, agent) -> SignInAttempt:
    return SignInAttempt.objects.create(username=username[:150], user=user, outcome=outcome, ip_address=ip,
                                        user_agent=agent)
