"""Each unit's 公文通知接收登记表 (seed 000 二.2: 打印纸质文件, 填写《…公文通知接收登记表》).

The register is filled by itself from the receipt records: one line per document or notice the unit
received (opened and printed, downloaded, read through the interface or signed for) or returned,
in the order they arrived. Shown as a page and exported to Excel and PDF (A4 landscape).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import BinaryIO

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhengtong.directory import roles
from zhengtong.directory.selectors import role_codes_in
from zhengtong.documents.models import Urgency
from zhengtong.exchange.models import Delivery
from zhengtong.exchange.reports import period_bounds, table_pdf, write_table

LEDGER_ROLES = frozenset({roles.CLERK, roles.UNIT_ADMIN, roles.PRINCIPAL_LEADER, roles.DEPUTY_LEADER})


def may_see_ledger(user, unit) -> bool:
    """The unit's own clerks, unit admins and leaders see its receiving register."""
    return unit is not None and bool(role_codes_in(user, unit) & LEDGER_ROLES)


def ledger_unit_for(user, unit):
    """``unit`` when ``user`` may see its register, else 404 (someone else's register does not exist)."""
    if not may_see_ledger(user, unit):
        raise Http404
    return unit


def received_deliveries(unit, *, start: datetime.date, end: datetime.date) -> QuerySet[Delivery]:
    """The lines of the register: what arrived in [start, end] and was received or returned, oldest first."""
    since, until = period_bounds(start, end)
    return (Delivery.objects.filter(unit=unit, delivered_at__gte=since, delivered_at__lt=until)
            .filter(Q(received_at__isnull=False) | Q(signed_at__isnull=False) | Q(opened_at__isnull=False)
                    | Q(status=Delivery.Status.RETURNED))
            .exclude(status=Delivery.Status.WITHDRAWN)
            .select_related("dispatch__sender_unit", "signed_by", "incoming_document")
            .order_by("delivered_at", "pk"))


@dataclass(frozen=True)
class LedgerLine:
    index: int
    delivery: Delivery
    received_at: datetime.datetime | None
    sender: str
    number: str
    title: str
    urgency: str
    copies: str
    signed_by: str
    signed_at: datetime.datetime | None
    handling: str
    state: str  # "signed", "received", "returned", "opened": the badge on the page


def _receipt(delivery: Delivery) -> datetime.datetime | None:
    moments = [m for m in (delivery.received_at, delivery.signed_at) if m is not None]
    if delivery.dispatch.is_notice and delivery.opened_at is not None:
        moments.append(delivery.opened_at)
    if moments:
        return min(moments)
    return delivery.opened_at


def _urgency(code: str) -> str:
    if not code or code == Urgency.NORMAL:
        return ""
    try:
        return str(Urgency(code).label)
    except ValueError:
        return code


def _handling(delivery: Delivery) -> tuple[str, str]:
    if delivery.status == Delivery.Status.RETURNED:
        return _("Returned: %(reason)s") % {"reason": delivery.return_reason}, "returned"
    if delivery.status == Delivery.Status.SIGNED:
        document = delivery.incoming_document
        if document is not None and document.incoming_number:
            return _("Signed for; registered as incoming %(number)s") % {"number": document.incoming_number}, "signed"
        return _("Signed for"), "signed"
    if delivery.received_at is not None:
        return _("Received, not yet signed for"), "received"
    if delivery.dispatch.is_notice:
        return _("Notice read"), "received"  # seed 002 第八条: a notice is received by opening it
    return _("Opened, not yet received"), "opened"


def ledger_lines(deliveries) -> list[LedgerLine]:
    lines = []
    for index, delivery in enumerate(deliveries, 1):
        dispatch = delivery.dispatch
        handling, state = _handling(delivery)
        lines.append(LedgerLine(
            index=index, delivery=delivery, received_at=_receipt(delivery),
            sender=dispatch.sender_unit.name, number=dispatch.number, title=dispatch.title,
            urgency=_urgency(dispatch.urgency),
            copies=f"{delivery.copies_printed} / {delivery.copies_allowed}",
            signed_by=getattr(delivery.signed_by, "name", ""), signed_at=delivery.signed_at,
            handling=handling, state=state))
    return lines


def ledger_columns() -> list[tuple[str, float]]:
    """The paper form's columns (seed 000 《公文通知接收登记表》)."""
    c = "receiving register"
    return [(pgettext(c, "No."), 6), (pgettext(c, "Received at"), 14), (pgettext(c, "Sending unit"), 20),
            (pgettext(c, "Document number"), 22), (pgettext(c, "Title"), 36), (pgettext(c, "Urgency"), 8),
            (pgettext(c, "Copies (printed/allowed)"), 10), (pgettext(c, "Signed for by"), 12),
            (pgettext(c, "Signed for at"), 14), (pgettext(c, "Handling"), 22)]


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def ledger_cells(line: LedgerLine) -> list:
    return [line.index, _time(line.received_at), line.sender, line.number, line.title, line.urgency, line.copies,
            line.signed_by, _time(line.signed_at), line.handling]


def ledger_title(unit) -> str:
    return _("%(unit)s register of received documents and notices") % {"unit": unit.name}


def ledger_subtitle(start: datetime.date, end: datetime.date) -> str:
    return _("Period: %(start)s to %(end)s (filled from the exchange's receipt records)") % {
        "start": start.isoformat(), "end": end.isoformat()}


def write_ledger(lines: list[LedgerLine], stream: BinaryIO, *, unit, start: datetime.date,
                 end: datetime.date) -> int:
    """公文通知接收登记表 as Excel: 序号, 收到时间, 来文单位, 文号, 标题, 紧急程度, 份数, 签收人, 签收时间, 处理情况."""
    return write_table(stream, title=ledger_title(unit), subtitle=ledger_subtitle(start, end),
                       sheet_name=_("Receiving register"), columns=ledger_columns(),
                       rows=(ledger_cells(line) for line in lines))


def ledger_pdf(lines: list[LedgerLine], *, unit, start: datetime.date, end: datetime.date) -> bytes:
    """公文通知接收登记表 as a PDF for printing and filing."""
    made = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return table_pdf(title=ledger_title(unit), subtitle=ledger_subtitle(start, end), columns=ledger_columns(),
                     rows=[ledger_cells(line) for line in lines],
                     note=_("%(count)s lines · made on %(time)s") % {"count": len(lines), "time": made})
