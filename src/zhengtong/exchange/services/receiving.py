"""Receiving deliveries (电子公文的接收, seed 001 第三十三条–第三十八条; seed 000 接收程序).

The receiving unit's clerk opens a delivery, checks it (核对, 第三十四条), then signs for it (签收),
which registers it as the unit's 收文 and starts the shouwen process, or returns it (退回) with a
reason. The receive time (第三十七条) is the first print, 脱密下载 or read through the API
(``note_received``). Every receiving action counts for the receiving window it falls in.

Also here: the notices' 10-minute rule (seed 002 第八条) and what happens to the pending deliveries
of a merged or dissolved unit (seed 001 第九条).
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory.models import Unit, User
from zhengtong.documents.models import Document
from zhengtong.exchange import selectors
from zhengtong.exchange.models import Delivery, Dispatch, ExchangeSettings
from zhengtong.exchange.services import ExchangePermissionDenied, ExchangeRefused
from zhengtong.exchange.services.sending import notify

logger = logging.getLogger(__name__)

RECEIVED_VIA = {"print": "print", "declassified": "declassified", "api": "api"}
REASON_LENGTH = 500


def _note_window(*, unit: Unit, user: User, at: datetime.datetime) -> None:
    from zhengtong.exchange.services.windows import note_receiving

    note_receiving(unit=unit, user=user, at=at)


def _locked(delivery: Delivery, actor: User) -> Delivery:
    """The delivery, locked, after checking that ``actor`` is a clerk of the receiving unit."""
    row = (Delivery.objects.select_for_update(of=("self",))
           .select_related("dispatch", "dispatch__sender_unit", "unit").get(pk=delivery.pk))
    if not selectors.may_receive(actor, row.unit):
        raise ExchangePermissionDenied(_("Only the receiving unit's clerks receive this document."))
    return row


def _require_state(delivery: Delivery, *states: str) -> None:
    if delivery.status in states:
        return
    if delivery.status == Delivery.Status.SIGNED:
        raise ExchangeRefused(_("It has already been signed for."))
    if delivery.status == Delivery.Status.RETURNED:
        raise ExchangeRefused(_("It has been returned to the sender."))
    raise ExchangeRefused(_("The sender withdrew it."))


def _first_open(delivery: Delivery, actor: User, now: datetime.datetime) -> bool:
    if delivery.opened_at is not None:
        return False
    delivery.opened_at, delivery.opened_by = now, actor
    return True


@transaction.atomic
def open_delivery(*, actor: User, delivery: Delivery, at: datetime.datetime | None = None) -> Delivery:
    """The clerk opens a delivery: the first opening is recorded (a notice then counts as received in time)."""
    delivery = _locked(delivery, actor)
    now = at or timezone.now()
    if delivery.status != Delivery.Status.WITHDRAWN and _first_open(delivery, actor, now):
        delivery.save(update_fields=["opened_at", "opened_by"])
        audit.record(actor=actor, action="exchange.delivery.open", obj=delivery, unit=delivery.unit,
                     summary=_("Opened %(title)s from %(sender)s") % {
                         "title": delivery.dispatch.title, "sender": delivery.dispatch.sender_unit.name},
                     changes={"dispatch": delivery.dispatch_id, "late": delivery.due_at < now})
    _note_window(unit=delivery.unit, user=actor, at=now)
    return delivery


@transaction.atomic
def check_delivery(*, actor: User, delivery: Delivery, at: datetime.datetime | None = None) -> Delivery:
    """核对 (第三十四条): the clerk confirms the document is complete and meant for the unit."""
    delivery = _locked(delivery, actor)
    _require_state(delivery, Delivery.Status.PENDING)
    now = at or timezone.now()
    fields = ["checked_at", "checked_by"]
    if _first_open(delivery, actor, now):
        fields += ["opened_at", "opened_by"]
    if delivery.checked_at is None:
        delivery.checked_at, delivery.checked_by = now, actor
        delivery.save(update_fields=fields)
        audit.record(actor=actor, action="exchange.delivery.check", obj=delivery, unit=delivery.unit,
                     summary=_("Checked %(title)s") % {"title": delivery.dispatch.title},
                     changes={"dispatch": delivery.dispatch_id})
    _note_window(unit=delivery.unit, user=actor, at=now)
    return delivery


@transaction.atomic
def sign_for(*, actor: User, delivery: Delivery, at: datetime.datetime | None = None) -> Document:
    """签收: the clerk accepts the delivery; it becomes the unit's 收文 and its shouwen process starts.

    Signing confirms the check (第三十四条) when it was not recorded separately.
    """
    from zhengtong.documents.services.exchanged import register_exchanged_document

    delivery = _locked(delivery, actor)
    _require_state(delivery, Delivery.Status.PENDING)
    now = at or timezone.now()
    _first_open(delivery, actor, now)
    if delivery.checked_at is None:
        delivery.checked_at, delivery.checked_by = now, actor
    delivery.status = Delivery.Status.SIGNED
    delivery.signed_at, delivery.signed_by = now, actor
    delivery.save(update_fields=["opened_at", "opened_by", "checked_at", "checked_by", "status", "signed_at",
                                 "signed_by"])
    document = register_exchanged_document(actor=actor, unit=delivery.unit, dispatch=delivery.dispatch,
                                           delivery=delivery)
    delivery.incoming_document = document
    delivery.save(update_fields=["incoming_document"])
    audit.record(actor=actor, action="exchange.delivery.sign", obj=delivery, unit=delivery.unit,
                 summary=_("Signed for %(title)s from %(sender)s as %(number)s") % {
                     "title": delivery.dispatch.title, "sender": delivery.dispatch.sender_unit.name,
                     "number": document.incoming_number},
                 changes={"dispatch": delivery.dispatch_id, "document": document.pk,
                          "late": delivery.due_at < now})
    _note_window(unit=delivery.unit, user=actor, at=now)
    return document


@transaction.atomic
def return_delivery(*, actor: User, delivery: Delivery, reason: str,
                    at: datetime.datetime | None = None) -> Delivery:
    """退回 (第三十四条): what the check found wrong goes back to the sender, with the reason."""
    delivery = _locked(delivery, actor)
    _require_state(delivery, Delivery.Status.PENDING)
    reason = (reason or "").strip()
    if not reason:
        raise ExchangeRefused(_("Give the reason for returning it, so the sender can put it right."))
    if len(reason) > REASON_LENGTH:
        raise ExchangeRefused(_("The reason is too long (at most 500 characters)."))
    now = at or timezone.now()
    _first_open(delivery, actor, now)
    delivery.status = Delivery.Status.RETURNED
    delivery.returned_at, delivery.returned_by, delivery.return_reason = now, actor, reason
    delivery.save(update_fields=["opened_at", "opened_by", "status", "returned_at", "returned_by",
                                 "return_reason"])
    dispatch = delivery.dispatch
    audit.record(actor=actor, action="exchange.delivery.return", obj=delivery, unit=delivery.unit,
                 summary=_("Returned %(title)s to %(sender)s") % {"title": dispatch.title,
                                                                  "sender": dispatch.sender_unit.name},
                 changes={"dispatch": dispatch.pk, "reason": reason})
    _note_window(unit=delivery.unit, user=actor, at=now)
    title = _("%(unit)s returned %(title)s") % {"unit": delivery.unit.name, "title": dispatch.title}
    url = reverse("exchange:tracking", args=[dispatch.pk])
    transaction.on_commit(lambda: notify(recipients=selectors.senders_of(dispatch), category="exchange.return",
                                         title=title, body=reason, url=url, urgent=False,
                                         unit=dispatch.sender_unit, channels=("portal", "email")))
    return delivery


@transaction.atomic
def note_received(*, actor: User, delivery: Delivery, via: str, at: datetime.datetime | None = None) -> bool:
    """第三十七条: the first print, 脱密下载 or read through the API is the receive time (set once).

    Returns True when this call set it. The printing part calls it inside its own transaction.
    """
    if via not in RECEIVED_VIA:
        raise ValueError(via)
    delivery = _locked(delivery, actor)
    if delivery.status in (Delivery.Status.RETURNED, Delivery.Status.WITHDRAWN):
        _require_state(delivery, Delivery.Status.PENDING)
    now = at or timezone.now()
    first = delivery.received_at is None
    if first:
        delivery.received_at = now
        _first_open(delivery, actor, now)
        delivery.save(update_fields=["received_at", "opened_at", "opened_by"])
        audit.record(actor=actor, action="exchange.delivery.receive", obj=delivery, unit=delivery.unit,
                     summary=_("Received %(title)s (%(via)s)") % {"title": delivery.dispatch.title,
                                                                  "via": _via_label(via)},
                     changes={"dispatch": delivery.dispatch_id, "via": via, "late": delivery.due_at < now})
    _note_window(unit=delivery.unit, user=actor, at=now)
    return first


def _via_label(via: str) -> str:
    return {"print": _("first print"), "declassified": _("download without seal"),
            "api": _("read through the interface")}[via]


# --- notices: the 10-minute rule (seed 002 第八条) -----------------------------------------------

def escalate_unopened_notices(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """seed 002 第八条 (通知类 within 10 minutes): unopened notices alert the unit's clerks in the portal,
    then by SMS; past ``due_at`` they show as overdue to the sender (tracking page, inbox in red).

    Runs every minute; each step happens once per delivery (``alerted_at``, ``sms_sent_at``).
    """
    now = now or timezone.now()
    config = ExchangeSettings.load()
    waiting = Delivery.objects.filter(status=Delivery.Status.PENDING, opened_at__isnull=True,
                                      dispatch__category=Dispatch.Category.NOTICE,
                                      delivered_at__gt=now - datetime.timedelta(days=2))
    alerted = _escalate(waiting.filter(alerted_at__isnull=True,
                                       delivered_at__lte=now - datetime.timedelta(minutes=config.notice_alert_minutes)),
                        field="alerted_at", now=now, channels=("portal",))
    texted = _escalate(waiting.filter(sms_sent_at__isnull=True,
                                      delivered_at__lte=now - datetime.timedelta(minutes=config.notice_sms_minutes)),
                       field="sms_sent_at", now=now, channels=("sms",))
    return {"alerted": alerted, "sms": texted}


def _escalate(rows, *, field: str, now: datetime.datetime, channels: tuple[str, ...]) -> int:
    found = list(rows.select_related("dispatch", "dispatch__sender_unit", "unit")[:2000])
    if not found:
        return 0
    with transaction.atomic():
        claimed = Delivery.objects.filter(pk__in=[row.pk for row in found], **{f"{field}__isnull": True}).update(
            **{field: now})
        if claimed:
            audit.record(action=f"exchange.notice.{'alert' if field == 'alerted_at' else 'sms'}",
                         actor_name=_("System"),
                         summary=_("%(count)d unopened notices: the receiving clerks were reminded") % {
                             "count": claimed},
                         changes={"deliveries": [row.pk for row in found][:200], "channels": list(channels)})
        for row in found:
            minutes = int((now - row.delivered_at).total_seconds() // 60)
            title = _("Unopened notice for %(minutes)d minutes: %(title)s") % {"minutes": minutes,
                                                                            "title": row.dispatch.title}
            url = reverse("exchange:delivery", args=[row.pk])
            transaction.on_commit(lambda row=row, title=title, url=url: notify(
                recipients=selectors.clerks_of([row.unit_id]), category="exchange.notice", title=title,
                body=_("From %(sender)s; notices are opened within 10 minutes (seed 002 第八条).") % {
                    "sender": row.dispatch.sender_unit.name},
                url=url, urgent=True, unit=row.unit, key=f"exchange.notice.{field}.{row.pk}", channels=channels))
    return claimed


# --- merged and dissolved units (seed 001 第九条) -------------------------------------------------

@transaction.atomic
def hand_over_deliveries(*, unit: Unit, successor: Unit | None, actor: User | None = None) -> dict[str, int]:
    """A merged unit's pending deliveries move to the unit that continues it; a dissolved unit's are withdrawn.

    A delivery whose dispatch the successor already has is withdrawn instead of moved (nobody
    receives a document twice).
    """
    pending = Delivery.objects.select_for_update().filter(unit=unit, status=Delivery.Status.PENDING)
    moved = withdrawn = 0
    if successor is not None and successor.status == Unit.Status.ACTIVE:
        taken = set(Delivery.objects.filter(unit=successor).values_list("dispatch_id", flat=True))
        movable = [row.pk for row in pending if row.dispatch_id not in taken]
        moved = Delivery.objects.filter(pk__in=movable).update(unit=successor, moved_from=unit,
                                                               opened_at=None, opened_by=None,
                                                               checked_at=None, checked_by=None)
        withdrawn = Delivery.objects.filter(unit=unit, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.WITHDRAWN)
    else:
        withdrawn = pending.update(status=Delivery.Status.WITHDRAWN)
    if moved or withdrawn:
        audit.record(actor=actor, action="exchange.delivery.hand_over", obj=unit, unit=unit,
                     actor_name="" if actor else _("System"),
                     summary=_("%(unit)s ended: %(moved)d pending deliveries moved to %(successor)s, "
                               "%(withdrawn)d withdrawn") % {
                         "unit": unit.name, "moved": moved, "withdrawn": withdrawn,
                         "successor": successor.name if successor else "—"},
                     changes={"successor": getattr(successor, "pk", None), "moved": moved, "withdrawn": withdrawn})
        if moved:
            transaction.on_commit(lambda: notify(
                recipients=selectors.clerks_of([successor.pk]), category="exchange.delivery",
                title=_("%(count)d documents of %(unit)s are now waiting for you") % {"count": moved,
                                                                                    "unit": unit.name},
                url=reverse("exchange:inbox"), unit=successor, channels=("portal",)))
    return {"moved": moved, "withdrawn": withdrawn}


def on_unit_dissolved(sender, *, unit, successor=None, reason="", actor=None, **kwargs) -> None:
    """Receiver of ``directory.signals.unit_dissolved`` (runs after the directory's commit)."""
    hand_over_deliveries(unit=unit, successor=successor if reason == "merged" else None, actor=actor)


__all__ = ["check_delivery", "escalate_unopened_notices", "hand_over_deliveries", "note_received",
           "open_delivery", "return_delivery", "sign_for"]
