"""Receiving (seed 001 第三十三条–第三十八条): open, 核对, 签收 → 收文, 退回, receive time, ended units."""

from __future__ import annotations

import pytest

from zhengtong.audit.models import AuditRecord
from zhengtong.documents.models import Document
from zhengtong.exchange import selectors
from zhengtong.exchange.models import Delivery, WindowAttendance
from zhengtong.exchange.services import ExchangePermissionDenied, ExchangeRefused, receiving, sending
from zhengtong.notifications.models import Notice

try:
    from .core_helpers import at, more_units, sealed_document
except ImportError:
    from core_helpers import at, more_units, sealed_document

pytestmark = pytest.mark.django_db


def _delivery(cast, **kwargs):
    kwargs.setdefault("at", at("2026-03-10", "09:00"))
    dispatch = sending.send_document(actor=cast.clerk, document=sealed_document(cast, attachment=True),
                                     main_units=[cast.other_unit], **kwargs)
    return dispatch.deliveries.get()


def test_open_check_and_sign_for_starts_the_units_shouwen(cast):
    delivery = _delivery(cast)
    receiving.open_delivery(actor=cast.outsider, delivery=delivery, at=at("2026-03-10", "10:05"))
    receiving.open_delivery(actor=cast.outsider, delivery=delivery, at=at("2026-03-10", "10:07"))
    delivery.refresh_from_db()
    assert delivery.opened_at == at("2026-03-10", "10:05") and delivery.opened_by == cast.outsider
    assert AuditRecord.objects.filter(action="exchange.delivery.open").count() == 1  # first opening only
    receiving.check_delivery(actor=cast.outsider, delivery=delivery, at=at("2026-03-10", "10:08"))
    document = receiving.sign_for(actor=cast.outsider, delivery=delivery, at=at("2026-03-10", "10:10"))
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SIGNED and delivery.signed_by == cast.outsider
    assert delivery.incoming_document == document
    # A 收文 of the receiving unit, numbered in its register, with the sealed PDF and attachments.
    assert document.unit == cast.other_unit and document.direction == Document.Direction.INCOMING
    assert document.source_unit_name == cast.unit.name and document.source_number == "鹤农〔2026〕8号"
    assert document.incoming_number.endswith("0001") and document.copies == delivery.copies_allowed
    assert sorted(a.name for a in document.attachments.all()) == ["附件1 统计表.xlsx", "鹤农〔2026〕8号.pdf"]
    assert document.status == Document.Status.IN_HANDLING  # the shouwen process started (初审 next)
    # Received inside the morning window: the unit attended it (seed 000).
    assert WindowAttendance.objects.filter(unit=cast.other_unit, attended_at=at("2026-03-10", "10:05")).exists()
    with pytest.raises(ExchangeRefused):
        receiving.sign_for(actor=cast.outsider, delivery=delivery)


def test_returning_needs_a_reason_and_tells_the_sender(cast, django_capture_on_commit_callbacks):
    delivery = _delivery(cast)
    with pytest.raises(ExchangeRefused):
        receiving.return_delivery(actor=cast.outsider, delivery=delivery, reason="  ")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        receiving.return_delivery(actor=cast.outsider, delivery=delivery, reason="附件缺页")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.RETURNED and delivery.return_reason == "附件缺页"
    assert Notice.objects.filter(recipient=cast.clerk, category="exchange.return").exists()
    with pytest.raises(ExchangeRefused):
        receiving.sign_for(actor=cast.outsider, delivery=delivery)


def test_the_receive_time_is_the_first_print_download_or_api_read(cast):
    """第三十七条: set once, by the first of them."""
    delivery = _delivery(cast)
    assert receiving.note_received(actor=cast.outsider, delivery=delivery, via="print", at=at("2026-03-10", "16:01"))
    assert not receiving.note_received(actor=cast.outsider, delivery=delivery, via="api", at=at("2026-03-10", "16:20"))
    delivery.refresh_from_db()
    assert delivery.received_at == at("2026-03-10", "16:01") and delivery.opened_at == at("2026-03-10", "16:01")
    assert AuditRecord.objects.get(action="exchange.delivery.receive").changes["via"] == "print"
    with pytest.raises(ValueError):
        receiving.note_received(actor=cast.outsider, delivery=delivery, via="fax")


def test_nobody_but_the_receiving_units_clerks_receives(cast):
    delivery = _delivery(cast)
    (town, town_clerk), = more_units(1)
    for someone in (cast.clerk, cast.admin, town_clerk):
        for action in (receiving.open_delivery, receiving.check_delivery, receiving.sign_for):
            with pytest.raises(ExchangePermissionDenied):
                action(actor=someone, delivery=delivery)
        with pytest.raises(ExchangePermissionDenied):
            receiving.return_delivery(actor=someone, delivery=delivery, reason="x")
    delivery.refresh_from_db()
    assert delivery.opened_at is None and delivery.status == Delivery.Status.PENDING
    # Their inboxes show nothing of it either.
    assert not selectors.inbox(cast.clerk, cast.other_unit).exists()
    assert not selectors.inbox(town_clerk, town).exists()
    assert selectors.inbox(cast.outsider, cast.other_unit).get() == delivery


def test_the_inbox_puts_urgent_items_and_notices_first(cast):
    normal = _delivery(cast, at=at("2026-03-10", "08:00"))
    notice = _delivery(cast, category="notice", at=at("2026-03-10", "09:00"))
    document = sealed_document(cast, urgency="very_urgent", number="鹤农〔2026〕9号")
    urgent = sending.send_document(actor=cast.clerk, document=document, main_units=[cast.other_unit],
                                   at=at("2026-03-10", "09:30")).deliveries.get()
    assert list(selectors.inbox(cast.outsider, cast.other_unit)) == [urgent, notice, normal]
    assert selectors.pending_count(cast.other_unit) == 3
    page = selectors.page_of(selectors.inbox(cast.outsider, cast.other_unit), 1, size=2)
    assert page.has_next and len(page.rows) == 2


def test_a_merged_units_pending_items_move_to_its_successor(cast, django_capture_on_commit_callbacks):
    from zhengtong.directory import services as directory

    (town, town_clerk), (successor, successor_clerk) = more_units(2)
    first = sending.send_document(actor=cast.clerk, document=sealed_document(cast), main_units=[town])
    both = sending.send_document(actor=cast.clerk, document=sealed_document(cast, number="鹤农〔2026〕10号"),
                                 main_units=[town, successor])
    signed = sending.send_document(actor=cast.clerk, document=sealed_document(cast, number="鹤农〔2026〕11号"),
                                   main_units=[town])
    receiving.sign_for(actor=town_clerk, delivery=signed.deliveries.get())
    with django_capture_on_commit_callbacks(execute=True):
        directory.merge_units(actor=cast.operator, units=[town, successor], continuing=successor, end_note="并入")
    moved = Delivery.objects.get(dispatch=first)
    assert moved.unit == successor and moved.moved_from == town and moved.status == Delivery.Status.PENDING
    assert Delivery.objects.get(dispatch=both, unit=town).status == Delivery.Status.WITHDRAWN  # no double delivery
    assert Delivery.objects.get(dispatch=signed).unit == town  # what was signed for stays
    assert AuditRecord.objects.filter(action="exchange.delivery.hand_over").exists()


def test_a_dissolved_units_pending_items_are_withdrawn(cast, django_capture_on_commit_callbacks):
    from zhengtong.directory import services as directory

    (town, _clerk), = more_units(1)
    dispatch = sending.send_document(actor=cast.clerk, document=sealed_document(cast), main_units=[town])
    with django_capture_on_commit_callbacks(execute=True):
        directory.dissolve_unit(actor=cast.operator, unit=town, end_note="撤销")
    assert dispatch.deliveries.get().status == Delivery.Status.WITHDRAWN


def test_a_huge_inbox_is_read_oldest_first_from_the_index(cast):
    older = _delivery(cast, at=at("2026-03-10", "08:00"))
    document = sealed_document(cast, urgency="very_urgent", number="鹤农〔2026〕12号")
    urgent = sending.send_document(actor=cast.clerk, document=document, main_units=[cast.other_unit],
                                   at=at("2026-03-10", "09:30")).deliveries.get()
    assert list(selectors.inbox(cast.outsider, cast.other_unit, prioritise=False)) == [older, urgent]
    assert list(selectors.inbox(cast.outsider, cast.other_unit)) == [urgent, older]
