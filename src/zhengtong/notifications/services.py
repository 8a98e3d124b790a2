"""Notifications (通知提醒): queue in-portal notices, e-mail and SMS; send them; preferences; reading.

Seed 001 第十六条 (SMS reminders to the registered mobile number), seed 002 第八条 (urgent notices are
pushed by SMS), seed 004 要求 2. Other apps call :func:`notify` or :func:`notify_role`; the e-mail and
SMS are sent after the transaction commits by a background task, retried with exponential backoff
(1, 2, 4… minutes, ``settings.NOTIFY_MAX_ATTEMPTS`` attempts) and logged in :class:`Message`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.notifications.models import Message, Notice, Preference

log = logging.getLogger(__name__)

CHANNELS = ("portal", "email", "sms")
# Messages waiting for the worker: the periodic task picks up what the on-commit dispatch missed.
PENDING = (Message.Status.QUEUED, Message.Status.HELD, Message.Status.RETRYING)
# A message being sent is "leased" for this long, so that two workers never send it twice.
LEASE = dt.timedelta(minutes=5)
# When the on-commit dispatch did not run (worker down), the periodic task sends the message after this.
PICKUP_DELAY = dt.timedelta(minutes=2)
SMS_MAX_CHARS = 335  # five concatenated UCS-2 parts of 67 characters


class NotAllowed(PermissionDenied):
    """The person may not do this with notifications."""


# --- queueing ------------------------------------------------------------------------------------

def _recipient_filter(recipients) -> Q:
    if isinstance(recipients, QuerySet):
        return Q(pk__in=recipients.values("pk"))
    ids = {getattr(r, "pk", r) for r in recipients if r is not None}
    return Q(pk__in=[int(i) for i in ids])


def in_quiet_hours(preference: Preference | None, at: dt.datetime) -> dt.datetime | None:
    """When ``at`` falls inside the person's quiet hours, the moment they end (aware); else None."""
    if preference is None or preference.quiet_start is None or preference.quiet_end is None:
        return None
    start, end = preference.quiet_start, preference.quiet_end
    if start == end:
        return None
    local = timezone.localtime(at)
    now = local.time()
    inside = (start <= now < end) if start < end else (now >= start or now < end)
    if not inside:
        return None
    end_day = local.date() if now < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(end_day, end), timezone.get_current_timezone())


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return settings.PUBLIC_BASE_URL + url
    return url


def _email_text(title: str, body: str, url: str) -> str:
    parts = [title]
    if body:
        parts.append(body)
    if url:
        parts.append(_("Open: %(url)s") % {"url": _absolute(url)})
    parts.append("—\n" + _("This message was sent by Zhengtong. You can change your notification "
                           "preferences in the office portal."))
    return "\n\n".join(parts)


def _sms_text(title: str, body: str, urgent: bool) -> str:
    text = title + ("：" + body if body else "")
    prefix = _("[Zhengtong]") + (_("[Urgent]") if urgent else "")
    text = prefix + text
    return text if len(text) <= SMS_MAX_CHARS else text[:SMS_MAX_CHARS - 1] + "…"


def _subject(title: str, urgent: bool) -> str:
    subject = (_("[Urgent] ") + title) if urgent else title
    return subject[:200]


@transaction.atomic
def notify(*, recipients, category: str, title: str, body: str = "", url: str = "", urgent: bool = False,
           unit=None, key: str = "", channels: Sequence[str] = CHANNELS) -> int:
    """Notify people: in-portal notices plus e-mail and SMS per their preferences, in a few bulk queries.

    ``recipients`` are people (User objects, ids or a QuerySet of users); people who have left are
    skipped. With a non-empty ``key`` and the portal channel, people who still have an UNREAD notice
    with that key get nothing new (no repeats). E-mail goes to people with an e-mail address, SMS to
    people with a mobile number, unless they switched the channel off or muted the category (urgent
    items ignore muted categories); in quiet hours non-urgent messages are HELD until the quiet hours
    end. Messages are sent after commit by a background task. Returns the number of notices created
    (without the portal channel: the number of people a message was queued for).
    """
    from zhengtong.directory.models import User

    unknown = set(channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"unknown notification channels: {sorted(unknown)}")
    people = list(User.objects.filter(_recipient_filter(recipients)).exclude(status=User.Status.LEFT)
                  .order_by("pk").values_list("pk", "email", "mobile"))
    if not people:
        return 0
    title = title[:200]
    key = key[:80]
    url = url[:300]
    now = timezone.now()
    if key and "portal" in channels:
        already = set(Notice.objects.filter(recipient_id__in=[p[0] for p in people], key=key,
                                            read_at__isnull=True).values_list("recipient_id", flat=True))
        people = [p for p in people if p[0] not in already]
        if not people:
            return 0
    notice_of: dict[int, Notice] = {}
    if "portal" in channels:
        notices = Notice.objects.bulk_create(
            [Notice(recipient_id=pk, unit=unit, category=category[:40], title=title, body=body, url=url,
                    urgent=urgent, key=key, created_at=now) for pk, _email, _mobile in people],
            batch_size=500)
        notice_of = {n.recipient_id: n for n in notices}
    messages = _queue_messages(people, notice_of=notice_of, category=category, title=title, body=body,
                               url=url, urgent=urgent, channels=channels, now=now)
    if messages:
        ids = [m.pk for m in messages if m.status == Message.Status.QUEUED]
        if ids:
            transaction.on_commit(lambda: _dispatch_later(ids))
    if "portal" in channels:
        return len(notice_of)
    return len({m.recipient_id for m in messages})


def _queue_messages(people, *, notice_of, category, title, body, url, urgent, channels, now) -> list[Message]:
    wanted = [c for c in ("email", "sms") if c in channels]
    if not wanted:
        return []
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=[pk for pk, _e, _m in people])}
    subject = _subject(title, urgent)
    email_text = _email_text(title, body, url) if "email" in wanted else ""
    sms_text = _sms_text(title, body, urgent) if "sms" in wanted else ""
    rows = []
    for pk, email, mobile in people:
        preference = preferences.get(pk)
        if preference is not None and not urgent and category in (preference.muted_categories or []):
            continue
        held_until = None if urgent else in_quiet_hours(preference, now)
        status = Message.Status.HELD if held_until else Message.Status.QUEUED
        next_at = held_until or now + PICKUP_DELAY
        notice = notice_of.get(pk)
        if "email" in wanted and email and (preference is None or preference.email_enabled):
            rows.append(Message(notice=notice, recipient_id=pk, channel=Message.Channel.EMAIL, address=email,
                                subject=subject, body=email_text, urgent=urgent, status=status,
                                next_attempt_at=next_at, created_at=now))
        if "sms" in wanted and mobile and (preference is None or preference.sms_enabled):
            rows.append(Message(notice=notice, recipient_id=pk, channel=Message.Channel.SMS, address=mobile,
                                subject=subject, body=sms_text, urgent=urgent, status=status,
                                next_attempt_at=next_at, created_at=now))
    if not rows:
        return []
    return Message.objects.bulk_create(rows, batch_size=500)


DISPATCH_CHUNK = 200


def _dispatch_later(ids: list[int]) -> None:
    from zhengtong.notifications.tasks import send_messages

    for start in range(0, len(ids), DISPATCH_CHUNK):
        send_messages(ids[start:start + DISPATCH_CHUNK])


def notify_role(*, unit, role_code: str, **kwargs) -> int:
    """Notify the holders of a role in a unit (``unit=None``: the holders anywhere, e.g. platform roles).

    Takes the same keyword arguments as :func:`notify`; the notices are filed under ``unit``.
    """
    return notify(recipients=role_holders(unit=unit, role_code=role_code), unit=unit, **kwargs)


def role_holders(*, unit, role_code: str) -> QuerySet:
    """The active people holding ``role_code`` in ``unit`` (any active unit when ``unit`` is None)."""
    from zhengtong.directory.models import Unit, User

    if unit is None:
        return (User.objects.filter(role_assignments__role__code=role_code,
                                    role_assignments__unit__status=Unit.Status.ACTIVE)
                .exclude(status=User.Status.LEFT).distinct())
    return (User.objects.filter(role_assignments__unit=unit, role_assignments__role__code=role_code,
                                memberships__unit=unit, memberships__is_active=True)
            .exclude(status=User.Status.LEFT).distinct())


# --- sending -------------------------------------------------------------------------------------

def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next attempt after ``attempts`` failed ones: 1, 2, 4, 8… minutes (max a day)."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 24 * 60))


def _claim(message: Message, *, now: dt.datetime, due_only: bool) -> bool:
    """Take the message for sending (one worker only): bump attempts and lease it."""
    qs = Message.objects.filter(pk=message.pk, attempts=message.attempts, status__in=PENDING)
    if due_only:
        qs = qs.filter(next_attempt_at__lte=now)
    else:  # the on-commit dispatch sends queued messages at once, never held or retrying ones
        qs = qs.filter(status=Message.Status.QUEUED)
    claimed = qs.update(attempts=message.attempts + 1, next_attempt_at=now + LEASE)
    if claimed:
        message.attempts += 1
    return bool(claimed)


def send_message(message: Message, *, due_only: bool = False, now: dt.datetime | None = None,
                 mail_session=None) -> str:
    """Send one e-mail or SMS now and record the outcome; returns the new status.

    A failure is retried after :func:`backoff`; after ``settings.NOTIFY_MAX_ATTEMPTS`` attempts the
    message is FAILED. A channel that is not configured makes the message SKIPPED with the reason.
    """
    from zhengtong.notifications import gateways

    now = now or timezone.now()
    if not _claim(message, now=now, due_only=due_only):
        return message.status
    fields = {"next_attempt_at": None}
    try:
        if message.channel == Message.Channel.EMAIL:
            gateway_name, reference = gateways.send_email(message, session=mail_session)
        else:
            gateway_name, reference = gateways.send_sms(message)
    except gateways.NotConfigured as exc:
        fields.update(status=Message.Status.SKIPPED, last_error=str(exc))
    except Exception as exc:  # noqa: BLE001 — any gateway error is retried, and logged on the message
        log.warning("notification message %s failed (attempt %s): %s", message.pk, message.attempts, exc)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            fields.update(status=Message.Status.FAILED, last_error=error)
        else:
            fields.update(status=Message.Status.RETRYING, last_error=error,
                          next_attempt_at=now + backoff(message.attempts))
    else:
        fields.update(status=Message.Status.SENT, sent_at=timezone.now(), gateway=gateway_name,
                      external_id=str(reference or "")[:100], last_error="")
    Message.objects.filter(pk=message.pk).update(**fields)
    for name, value in fields.items():
        setattr(message, name, value)
    return message.status


def send_messages(*, ids: Iterable[int]) -> int:
    """Send the queued messages among ``ids`` (the on-commit dispatch); returns how many were sent."""
    from zhengtong.notifications.gateways import MailSession

    sent = 0
    with MailSession() as mail:  # one SMTP connection for the whole batch
        for message in Message.objects.filter(pk__in=list(ids), status=Message.Status.QUEUED).order_by("pk"):
            if send_message(message, mail_session=mail) == Message.Status.SENT:
                sent += 1
    return sent


def send_due_messages(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Send every message whose time has come: held after quiet hours, retries, missed dispatches."""
    from zhengtong.notifications.gateways import MailSession

    now = now or timezone.now()
    sent = 0
    due = (Message.objects.filter(status__in=PENDING, next_attempt_at__lte=now)
           .order_by("-urgent", "next_attempt_at", "pk")[:limit])
    with MailSession() as mail:
        for message in list(due):
            if send_message(message, due_only=True, now=now, mail_session=mail) == Message.Status.SENT:
                sent += 1
    return sent


# --- reading and preferences ----------------------------------------------------------------------

@transaction.atomic
def mark_read(*, actor, notice: Notice) -> Notice:
    """Mark one of the person's own notices read (someone else's: refused)."""
    if notice.recipient_id != actor.pk:
        raise NotAllowed(_("This notice is not yours."))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)
    return notice


@transaction.atomic
def mark_all_read(*, actor) -> int:
    """Mark all the person's unread notices read; returns how many."""
    return Notice.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def save_preferences(*, actor, email_enabled: bool, sms_enabled: bool, muted_categories: list[str],
                     quiet_start: dt.time | None, quiet_end: dt.time | None) -> Preference:
    """Save the person's own notification preferences (audited)."""
    from zhengtong.audit import services as audit

    if (quiet_start is None) != (quiet_end is None):
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Give both the start and the end of the quiet hours, or neither."))
    preference, _created = Preference.objects.get_or_create(user=actor)
    before = {"email_enabled": preference.email_enabled, "sms_enabled": preference.sms_enabled,
              "muted_categories": list(preference.muted_categories or []),
              "quiet_start": preference.quiet_start.isoformat() if preference.quiet_start else None,
              "quiet_end": preference.quiet_end.isoformat() if preference.quiet_end else None}
    preference.email_enabled = email_enabled
    preference.sms_enabled = sms_enabled
    preference.muted_categories = sorted(set(muted_categories))
    preference.quiet_start = quiet_start
    preference.quiet_end = quiet_end
    preference.save()
    after = {"email_enabled": email_enabled, "sms_enabled": sms_enabled,
             "muted_categories": preference.muted_categories,
             "quiet_start": quiet_start.isoformat() if quiet_start else None,
             "quiet_end": quiet_end.isoformat() if quiet_end else None}
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    audit.record(actor=actor, action="notifications.preference.update", obj=preference, unit=None,
                 summary=_("Changed notification preferences"), changes=changes)
    return preference
