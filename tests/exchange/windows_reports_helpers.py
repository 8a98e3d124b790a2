"""Exchange rows for the windows, report and ledger tests, on real 2026 working days (Asia/Shanghai)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from zhengtong.documents.models import Document
from zhengtong.exchange.models import Delivery, Dispatch

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hhmm: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=SHANGHAI)


def dispatch(cast, *, sender=None, sent_at, category=Dispatch.Category.DOCUMENT, title="关于做好2026年秋冬种工作的通知",
             number="鹤政办〔2026〕12号", urgency="normal") -> Dispatch:
    """A sent dispatch (its document and PDF are stand-ins: these tests read receipt records only)."""
    sender = sender or cast.other_unit
    document = Document.objects.create(unit=sender, direction=Document.Direction.OUTGOING, kind="notice",
                                       status=Document.Status.NUMBERED, title=title, drafter=cast.outsider)
    return Dispatch.objects.create(sender_unit=sender, document=document, category=category, title=title,
                                   number=number, urgency=urgency, pdf="exchange/2026/10/test.pdf", sha256="0" * 64,
                                   sent_by=cast.outsider, sent_at=sent_at, exchange_day=sent_at.date(),
                                   recipient_count=1)


def delivery(dispatch_: Dispatch, unit, *, due_at, **fields) -> Delivery:
    fields.setdefault("delivered_at", dispatch_.sent_at)
    return Delivery.objects.create(dispatch=dispatch_, unit=unit, due_at=due_at, copies_allowed=2, **fields)
