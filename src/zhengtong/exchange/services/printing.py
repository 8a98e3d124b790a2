"""Controlled printing, 脱密下载 and copy requests (验证印章, seed 001 第三十四条–第三十八条).

A receiving unit's clerk prints at most the copies the sender allowed. The quota is checked under a
row lock on the delivery (``select_for_update``; on SQLite the IMMEDIATE transaction serialises
writers), so two prints racing for the last copy cannot both succeed. The marked PDF is drawn
before the lock is taken (it takes a few hundred milliseconds) and checked against the locked row:
if another print got in between, it is drawn again with the new number.

The first print or 脱密下载 is the receipt time (第三十七条); when copies run out or receipt failed
the receiver asks the sender for more copies or a resend (第三十八条), and the sender decides.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.core.middleware import current_request_info
from zhengtong.directory.models import User
from zhengtong.exchange import printmarks, selectors
from zhengtong.exchange.models import CopyRequest, Delivery, Dispatch, PrintRecord
from zhengtong.exchange.services import ExchangePermissionDenied, ExchangeRefused

MAX_COPIES = 99
REASON_LENGTH = 500
_ATTEMPTS = 10  # re-draws when another print took the number meanwhile (each means one copy fewer left)


class PrintQuotaExhausted(ExchangeRefused):
    """Every copy the sender allowed has been printed (打印份数已用完)."""


class _NumberTaken(Exception):
    """Another print committed between drawing the copy and locking the delivery: draw again."""


def _notify(**kwargs) -> None:
    from zhengtong.notifications.services import notify

    notify(**kwargs)


def _client_address() -> str | None:
    info = current_request_info()
    return getattr(info, "ip_address", None) if info is not None else None


def verify_url(token: str) -> str:
    """The public address printed as the QR code of a copy."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("verify:copy", args=[token])


def _receiving_clerk_or_deny(actor, delivery: Delivery) -> None:
    # seed 001 第三十五条: printing is done by the unit's exchange staff (交换人员)
    if not selectors.may_receive(actor, delivery.unit):
        raise ExchangePermissionDenied(_("Only the receiving unit's clerks may print or download this document."))


def _printable_or_refuse(delivery: Delivery) -> None:
    if (delivery.status not in (Delivery.Status.PENDING, Delivery.Status.SIGNED)
            or delivery.dispatch.status == Dispatch.Status.WITHDRAWN):
        raise ExchangeRefused(_("This document was returned or withdrawn: it can no longer be printed or "
                                "downloaded."))
    if delivery.status == Delivery.Status.PENDING and delivery.checked_at is None:
        # seed 001 第三十四条: 认真核对，确认无误后方可进行打印和脱密下载操作
        raise ExchangeRefused(_("Check the document first (核对): it may be printed or downloaded only once it "
                                "has been found correct (第三十四条)."))


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def copy_mark(record: PrintRecord) -> printmarks.CopyMark:
    """What a copy carries on every page; always in Chinese, as the paper stays in the unit's files."""
    delivery = record.delivery
    with translation.override("zh-hans"):
        person = record.printed_by.name or record.printed_by.username
        if record.kind == PrintRecord.Kind.DECLASSIFIED:
            return printmarks.CopyMark(
                headline=_("Declassified copy — equivalent to a photocopy"),
                lines=(delivery.unit.name,
                       _("Downloaded by %(person)s at %(time)s") % {"person": person,
                                                                    "time": _local(record.printed_at)}),
                verify_url=verify_url(record.token), declassified=True,
                hint=_("Scan the QR code to verify this copy"), watermark=_("Declassified copy"))
        return printmarks.CopyMark(
            headline=_("Copy %(number)s of %(total)s") % {"number": record.copy_number,
                                                          "total": record.copies_total},
            lines=(delivery.unit.name,
                   _("Printed by %(person)s at %(time)s") % {"person": person, "time": _local(record.printed_at)}),
            verify_url=verify_url(record.token), hint=_("Scan the QR code to verify this copy"))


def _draw(record: PrintRecord) -> bytes:
    with record.delivery.dispatch.pdf.open("rb") as handle:
        original = handle.read()
    return printmarks.mark_pdf(original, copy_mark(record))


def _note_received(*, actor, delivery: Delivery, via: str, at: datetime.datetime) -> None:
    from zhengtong.exchange.services import receiving

    receiving.note_received(actor=actor, delivery=delivery, via=via, at=at)


def _fresh(delivery: Delivery) -> Delivery:
    return (Delivery.objects.select_related("dispatch", "dispatch__sender_unit", "unit")
            .get(pk=delivery.pk))


def print_copy(*, actor: User, delivery: Delivery,
               at: datetime.datetime | None = None) -> tuple[PrintRecord, bytes]:
    """Print one controlled copy (打印, 第三十五条): the sealed PDF marked 第 n 份/共 m 份 with a QR code.

    Only the receiving unit's clerks, after checking (第三十四条), within the copies allowed. A
    refusal changes nothing and is audited; the first print is the receipt time (第三十七条).
    ``at`` (the demo, tests) dates the print; by default it is now.
    """
    delivery = _fresh(delivery)
    _receiving_clerk_or_deny(actor, delivery)
    try:
        _printable_or_refuse(delivery)
        for _attempt in range(_ATTEMPTS):
            if delivery.copies_printed >= delivery.copies_allowed:
                raise PrintQuotaExhausted(_("No copies left to print (打印份数已用完): ask the sender for more "
                                            "copies."))
            record = PrintRecord(delivery=delivery, kind=PrintRecord.Kind.PRINT,
                                 copy_number=delivery.copies_printed + 1, copies_total=delivery.copies_allowed,
                                 printed_by=actor, printed_at=at or timezone.now(), ip_address=_client_address())
            pdf = _draw(record)
            try:
                _commit_print(actor=actor, record=record, pdf=pdf)
            except _NumberTaken:
                delivery = _fresh(delivery)
                continue
            return record, pdf
        raise ExchangeRefused(_("Too many prints at the same moment: please try again."))
    except ExchangeRefused as refusal:
        _record_refusal(actor=actor, delivery=_fresh(delivery), what="print", refusal=refusal)
        raise


@transaction.atomic
def _commit_print(*, actor, record: PrintRecord, pdf: bytes) -> None:
    locked = (Delivery.objects.select_for_update().select_related("dispatch", "unit")
              .get(pk=record.delivery_id))
    _printable_or_refuse(locked)
    if locked.copies_printed >= locked.copies_allowed:
        raise PrintQuotaExhausted(_("No copies left to print (打印份数已用完): ask the sender for more copies."))
    if locked.copies_printed + 1 != record.copy_number or locked.copies_allowed != record.copies_total:
        raise _NumberTaken
    record.delivery = locked
    record.sha256 = hashlib.sha256(pdf).hexdigest()
    record.save()
    Delivery.objects.filter(pk=locked.pk).update(copies_printed=F("copies_printed") + 1)
    locked.copies_printed += 1
    _note_received(actor=actor, delivery=locked, via="print", at=record.printed_at)  # the receipt time, once
    audit.record(actor=actor, action="exchange.copy.print", obj=record, unit=locked.unit,
                 summary=_("Printed copy %(number)s of %(total)s: %(title)s") % {
                     "number": record.copy_number, "total": record.copies_total, "title": locked.dispatch.title},
                 changes={"delivery": locked.pk, "copy_number": record.copy_number,
                          "copies_allowed": record.copies_total, "sha256": record.sha256})


def _record_refusal(*, actor, delivery: Delivery, what: str, refusal: ExchangeRefused) -> None:
    """A refused print or download is audited in its own transaction (nothing else changed)."""
    with transaction.atomic():
        audit.record(actor=actor, action="exchange.copy.refuse", obj=delivery, unit=delivery.unit,
                     summary=_("Print or download refused: %(title)s") % {"title": delivery.dispatch.title},
                     changes={"delivery": delivery.pk, "what": what,
                              "copies_allowed": delivery.copies_allowed, "copies_printed": delivery.copies_printed,
                              "reasons": [str(message) for message in refusal.messages]})


def declassified_copy(*, actor: User, delivery: Delivery,
                      at: datetime.datetime | None = None) -> tuple[PrintRecord, bytes]:
    """脱密下载 (第三十六条): a copy marked 脱密件 that carries no valid seal; it counts as receipt.

    The seals' pictures stay on the pages like on a photocopy, but the signatures are removed, so
    the file is a copy, never an original. It is not counted against the copies to print.
    """
    delivery = _fresh(delivery)
    _receiving_clerk_or_deny(actor, delivery)
    try:
        _printable_or_refuse(delivery)
    except ExchangeRefused as refusal:
        _record_refusal(actor=actor, delivery=delivery, what="declassified", refusal=refusal)
        raise
    record = PrintRecord(delivery=delivery, kind=PrintRecord.Kind.DECLASSIFIED, printed_by=actor,
                         printed_at=at or timezone.now(), ip_address=_client_address())
    pdf = _draw(record)
    with transaction.atomic():
        locked = Delivery.objects.select_for_update().select_related("dispatch", "unit").get(pk=delivery.pk)
        _printable_or_refuse(locked)
        record.delivery = locked
        record.sha256 = hashlib.sha256(pdf).hexdigest()
        record.save()
        _note_received(actor=actor, delivery=locked, via="declassified", at=record.printed_at)
        audit.record(actor=actor, action="exchange.copy.declassify", obj=record, unit=locked.unit,
                     summary=_("Downloaded a declassified copy: %(title)s") % {"title": locked.dispatch.title},
                     changes={"delivery": locked.pk, "sha256": record.sha256})
    return record, pdf


# --- copy requests (第三十八条) -----------------------------------------------------------------

def _requests_url() -> str:
    return reverse("exchange:copy-requests")


@transaction.atomic
def request_copies(*, actor: User, delivery: Delivery, kind: str, copies: int = 1, reason: str) -> CopyRequest:
    """Ask the sender for more copies or a resend (第三十八条: 说明原因，请求重发或追加打印份数)."""
    delivery = Delivery.objects.select_for_update().select_related("dispatch", "unit").get(pk=delivery.pk)
    if not selectors.may_receive(actor, delivery.unit):
        raise ExchangePermissionDenied(_("Only the receiving unit's clerks may ask the sender."))
    reason = (reason or "").strip()
    problems = []
    if kind not in CopyRequest.Kind.values:
        problems.append(_("Choose more copies or a resend."))
    if not reason:
        problems.append(_("Give the reason for the request."))
    elif len(reason) > REASON_LENGTH:
        problems.append(_("The reason is too long (at most 500 characters)."))
    if kind == CopyRequest.Kind.MORE_COPIES:
        try:
            copies = int(copies)
        except (TypeError, ValueError):
            copies = 0
        if not 1 <= copies <= MAX_COPIES:
            problems.append(_("The number of copies must be a whole number from 1 to 99."))
    else:
        copies = 0
    if delivery.status == Delivery.Status.WITHDRAWN or delivery.dispatch.status == Dispatch.Status.WITHDRAWN:
        problems.append(_("The sender withdrew this document."))
    elif kind == CopyRequest.Kind.RESEND and delivery.status == Delivery.Status.SIGNED:
        problems.append(_("The document has been signed for: ask for more copies instead of a resend."))
    if delivery.copy_requests.filter(status=CopyRequest.Status.PENDING).exists():
        problems.append(_("A request for this document is already waiting for the sender."))
    if problems:
        raise ExchangeRefused(problems)
    request = CopyRequest.objects.create(delivery=delivery, kind=kind, copies=copies, reason=reason,
                                         requested_by=actor, requested_at=timezone.now())
    audit.record(actor=actor, action="exchange.copies.request", obj=request, unit=delivery.unit,
                 summary=_("%(unit)s asked for %(request)s: %(title)s") % {
                     "unit": delivery.unit.name, "request": request.get_kind_display(),
                     "title": delivery.dispatch.title},
                 changes={"delivery": delivery.pk, "kind": kind, "copies": copies, "reason": reason})
    dispatch = delivery.dispatch
    recipients = list(selectors.senders_of(dispatch))
    title = (_("%(unit)s asks for %(copies)s more copies: %(title)s")
             % {"unit": delivery.unit.name, "copies": copies, "title": dispatch.title}
             if kind == CopyRequest.Kind.MORE_COPIES else
             _("%(unit)s asks for a resend: %(title)s") % {"unit": delivery.unit.name, "title": dispatch.title})
    transaction.on_commit(lambda: _notify(recipients=recipients, category="exchange.copies", title=title,
                                          body=reason, url=_requests_url(), unit=dispatch.sender_unit,
                                          key=f"exchange.copies.{request.pk}"))
    return request


@transaction.atomic
def decide_copy_request(*, actor: User, request: CopyRequest, grant: bool, note: str = "") -> CopyRequest:
    """The sender's clerk grants or refuses a request; granting more copies raises copies_allowed,
    granting a resend delivers the document afresh (back to 待收 with a new time limit)."""
    request = (CopyRequest.objects.select_for_update()
               .select_related("delivery", "delivery__dispatch", "delivery__unit").get(pk=request.pk))
    dispatch = request.delivery.dispatch
    if not selectors.may_send(actor, dispatch.sender_unit):
        raise ExchangePermissionDenied(_("Only the sending unit's clerk or seal keeper decides on requests."))
    note = (note or "").strip()
    if request.status != CopyRequest.Status.PENDING:
        raise ExchangeRefused(_("This request has already been decided."))
    if not grant and not note:
        raise ExchangeRefused(_("Say why the request is refused."))
    if len(note) > REASON_LENGTH:
        raise ExchangeRefused(_("The note is too long (at most 500 characters)."))
    delivery = Delivery.objects.select_for_update().get(pk=request.delivery_id)
    if grant and delivery.status == Delivery.Status.WITHDRAWN:
        raise ExchangeRefused(_("The document was withdrawn from this unit."))
    if grant and request.kind == CopyRequest.Kind.RESEND and delivery.status == Delivery.Status.SIGNED:
        raise ExchangeRefused(_("The unit has signed for the document meanwhile: a resend is no longer needed."))
    changes: dict = {"delivery": delivery.pk, "kind": request.kind, "granted": grant, "note": note}
    if grant and request.kind == CopyRequest.Kind.MORE_COPIES:
        if delivery.copies_allowed + request.copies > MAX_COPIES:
            raise ExchangeRefused(_("A unit may be allowed at most 99 copies."))
        changes["copies_allowed"] = [delivery.copies_allowed, delivery.copies_allowed + request.copies]
        Delivery.objects.filter(pk=delivery.pk).update(copies_allowed=F("copies_allowed") + request.copies)
    elif grant:
        changes.update(_resend(delivery))
    request.status = CopyRequest.Status.GRANTED if grant else CopyRequest.Status.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    action = "exchange.copies.grant" if grant else "exchange.copies.refuse"
    audit.record(actor=actor, action=action, obj=request, unit=dispatch.sender_unit,
                 summary=(_("Granted the request of %(unit)s: %(title)s") if grant
                          else _("Refused the request of %(unit)s: %(title)s")) % {
                     "unit": request.delivery.unit.name, "title": dispatch.title},
                 changes=changes)
    recipients = list(selectors.clerks_of([delivery.unit_id]))
    if request.requested_by_id not in {person.pk for person in recipients}:
        recipients.append(request.requested_by)
    if grant and request.kind == CopyRequest.Kind.MORE_COPIES:
        title = _("%(copies)s more copies allowed: %(title)s") % {"copies": request.copies, "title": dispatch.title}
    elif grant:
        title = _("Sent again: %(title)s") % {"title": dispatch.title}
    else:
        title = _("Request refused: %(title)s") % {"title": dispatch.title}
    url = reverse("exchange:printing", args=[delivery.pk])
    urgent = grant and request.kind == CopyRequest.Kind.RESEND and dispatch.urgency in selectors.URGENT
    transaction.on_commit(lambda: _notify(recipients=recipients, category="exchange.copies", title=title,
                                          body=note, url=url, unit=delivery.unit, urgent=urgent,
                                          key=f"exchange.copies.decided.{request.pk}"))
    return request


def _resend(delivery: Delivery) -> dict:
    """Deliver the same sealed document afresh: waiting again, to be checked again, a new time limit."""
    from zhengtong.exchange.models import ExchangeSettings
    from zhengtong.exchange.services.sending import due_at_for
    from zhengtong.workdays import selectors as workdays

    now = timezone.now()
    dispatch = delivery.dispatch
    day = workdays.exchange_day(now)
    due = due_at_for(category=dispatch.category, sent_at=now, exchange_day=day, config=ExchangeSettings.load())
    before = {"status": delivery.status, "delivered_at": delivery.delivered_at, "due_at": delivery.due_at,
              "returned_at": delivery.returned_at, "return_reason": delivery.return_reason}
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING, delivered_at=now, due_at=due, checked_at=None, checked_by=None,
        returned_at=None, returned_by=None, return_reason="", alerted_at=None, sms_sent_at=None)
    return {"resent": True, "before": before, "delivered_at": now, "due_at": due}
