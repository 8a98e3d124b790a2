"""Sending sealed documents (seed 001 第二十七条–第三十二条): recipients, copies, cutoff, refusals, groups."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengtong.audit.models import AuditRecord
from zhengtong.directory import roles
from zhengtong.directory.models import Unit, UnitCategory
from zhengtong.exchange import selectors
from zhengtong.exchange.models import Delivery, Dispatch, ExchangeSettings, RecipientGroup
from zhengtong.exchange.services import ExchangePermissionDenied, ExchangeRefused, sending
from zhengtong.notifications.models import Message, Notice

try:
    from .core_helpers import at, more_units, pdf_bytes, person, sealed_document
except ImportError:
    from core_helpers import at, more_units, pdf_bytes, person, sealed_document

pytestmark = pytest.mark.django_db


def test_send_to_main_and_copy_units_with_copies_each(cast, django_capture_on_commit_callbacks):
    (town1, clerk1), (town2, clerk2) = more_units(2)
    document = sealed_document(cast, attachment=True)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = sending.send_document(actor=cast.clerk, document=document, main_units=[cast.other_unit, town1],
                                         copy_units=[town2.pk], copies={town1.pk: 5}, note="请按时报送",
                                         contact="张三 3888001", at=at("2026-03-10", "09:20"))
    rows = {row.unit_id: row for row in dispatch.deliveries.all()}
    assert set(rows) == {cast.other_unit.pk, town1.pk, town2.pk}
    assert rows[town2.pk].role == Delivery.Role.COPY and rows[town1.pk].role == Delivery.Role.MAIN
    assert rows[town1.pk].copies_allowed == 5
    assert rows[cast.other_unit.pk].copies_allowed == ExchangeSettings.load().default_copies
    assert dispatch.recipient_count == 3 and dispatch.number == "鹤农〔2026〕8号"
    # The PDF as sent is an immutable copy with its hash; attachments travel with it.
    assert dispatch.pdf.read() == pdf_bytes()
    assert dispatch.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()
    assert [a.name for a in dispatch.attachments.all()] == ["附件1 统计表.xlsx"]
    # Sent before 15:00 on a working day: exchanged today, due at the end of the afternoon window.
    assert dispatch.exchange_day == datetime.date(2026, 3, 10)
    assert rows[town1.pk].due_at == at("2026-03-10", "16:30")
    # One audit record for the dispatch, and every recipient clerk notified.
    assert AuditRecord.objects.filter(action="exchange.dispatch.send").count() == 1
    notified = set(Notice.objects.filter(category="exchange.delivery").values_list("recipient_id", flat=True))
    assert notified == {cast.outsider.pk, clerk1.pk, clerk2.pk}


@pytest.mark.parametrize(("sent", "day", "due"), [
    (("2026-03-10", "14:59"), datetime.date(2026, 3, 10), ("2026-03-10", "16:30")),
    (("2026-03-10", "15:00"), datetime.date(2026, 3, 11), ("2026-03-11", "16:30")),
    (("2026-03-13", "16:00"), datetime.date(2026, 3, 16), ("2026-03-16", "16:30")),  # Friday → Monday
    (("2026-10-01", "10:00"), datetime.date(2026, 10, 8), ("2026-10-08", "16:30")),  # 国庆 1–7 Oct → the 8th
])
def test_the_15_oclock_cutoff_decides_the_exchange_day(cast, sent, day, due):
    """seed 001 第三十条: sent before 15:00 on a working day counts that day, else the next working day."""
    dispatch = sending.send_document(actor=cast.clerk, document=sealed_document(cast),
                                     main_units=[cast.other_unit], at=at(*sent))
    assert dispatch.exchange_day == day
    assert dispatch.deliveries.get().due_at == at(*due)


def test_a_notice_is_due_ten_minutes_after_delivery(cast):
    """seed 002 第八条: notices are opened within 10 minutes."""
    sent = at("2026-03-10", "10:02")
    dispatch = sending.send_document(actor=cast.clerk, document=sealed_document(cast), main_units=[cast.other_unit],
                                     category=Dispatch.Category.NOTICE, at=sent)
    assert dispatch.deliveries.get().due_at == sent + datetime.timedelta(minutes=10)


def _refused(cast, document, **kwargs):
    before = Dispatch.objects.count(), Delivery.objects.count()
    kwargs.setdefault("main_units", [cast.other_unit])
    with pytest.raises(ExchangeRefused) as refusal:
        sending.send_document(actor=cast.clerk, document=document, **kwargs)
    assert (Dispatch.objects.count(), Delivery.objects.count()) == before
    record = AuditRecord.objects.filter(action="exchange.dispatch.refuse").order_by("-seq").first()
    assert record is not None and record.changes["reasons"]
    return " ".join(str(m) for m in refusal.value.messages)


def test_an_unsealed_document_is_refused(cast):
    assert "盖章" in _refused(cast, sealed_document(cast, sealed=False)) or "seal" in _refused(
        cast, sealed_document(cast, sealed=False)).lower()


def test_a_classified_document_is_refused(cast):
    from zhengtong.documents.models import Document

    document = sealed_document(cast)
    Document.objects.filter(pk=document.pk).update(classification="secret")
    document.refresh_from_db()
    assert "第四条" in _refused(cast, document)


def test_urgent_documents_follow_the_platform_setting(cast, django_capture_on_commit_callbacks):
    config = ExchangeSettings.load()
    config.allow_urgent = False
    config.save()
    document = sealed_document(cast, urgency="very_urgent")
    assert "第四条" in _refused(cast, document)
    config.allow_urgent = True
    config.save()
    cast.outsider.mobile = "13800138000"
    cast.outsider.save()
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_document(actor=cast.clerk, document=document, main_units=[cast.other_unit])
    # Default: allowed, with SMS urging (seed 004).
    assert Message.objects.filter(recipient=cast.outsider, channel="sms").exists()
    assert Notice.objects.filter(recipient=cast.outsider, urgent=True).exists()


def test_a_dissolved_or_merged_unit_is_refused_with_its_name(cast):
    (town, _clerk), = more_units(1)
    Unit.objects.filter(pk=town.pk).update(status=Unit.Status.DISSOLVED)
    message = _refused(cast, sealed_document(cast), main_units=[cast.other_unit, town])
    assert town.name in message


@pytest.mark.parametrize("case", ["own", "twice", "none", "copies"])
def test_bad_recipients_are_refused(cast, case):
    document = sealed_document(cast)
    kwargs = {
        "own": {"main_units": [cast.unit, cast.other_unit]},
        "twice": {"main_units": [cast.other_unit], "copy_units": [cast.other_unit]},
        "none": {"main_units": []},
        "copies": {"copies": 0},
    }[case]
    assert _refused(cast, document, **kwargs)


def test_only_the_units_clerk_or_seal_keeper_sends(cast):
    document = sealed_document(cast)
    for someone in (cast.section_chief, cast.leader, cast.outsider):
        with pytest.raises(ExchangePermissionDenied):
            sending.send_document(actor=someone, document=document, main_units=[cast.other_unit])
    keeper = person(cast.unit, "印章员", [roles.SEAL_KEEPER])
    assert sending.send_document(actor=keeper, document=document, main_units=[cast.other_unit]).pk
    assert Dispatch.objects.count() == 1


def test_sending_to_a_thousand_units_takes_a_bounded_number_of_queries(cast, django_capture_on_commit_callbacks):
    category = UnitCategory.objects.get(code="xiangzhen")
    Unit.objects.bulk_create([Unit(name=f"测试单位{i:04d}", code=f"BULK{i:04d}", category=category)
                              for i in range(1000)])
    ids = list(Unit.objects.filter(code__startswith="BULK").values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        dispatch = sending.send_document(actor=cast.clerk, document=sealed_document(cast), main_units=ids[:900],
                                         copy_units=ids[900:])
    assert dispatch.deliveries.count() == 1000
    assert len(queries.captured_queries) < 80, len(queries.captured_queries)


def test_saved_groups_and_categories(cast):
    towns = more_units(3)
    xiangzhen = UnitCategory.objects.get(code="xiangzhen")
    group = sending.create_group(actor=cast.clerk, owner_unit=cast.unit, name="全部乡镇街道",
                                 categories=[xiangzhen], units=[cast.other_unit])
    assert selectors.group_unit_ids(group) == sorted([cast.other_unit.pk, *[t.pk for t, _c in towns]])
    Unit.objects.filter(pk=towns[0][0].pk).update(status=Unit.Status.MERGED)
    assert towns[0][0].pk not in selectors.group_unit_ids(group)
    # Another unit's clerk neither sees nor changes it; only operators keep platform groups.
    assert group not in selectors.groups_for(cast.outsider, cast.other_unit)
    with pytest.raises(ExchangePermissionDenied):
        sending.update_group(actor=cast.outsider, group=group, name="改名", units=[cast.unit])
    with pytest.raises(ExchangePermissionDenied):
        sending.create_group(actor=cast.clerk, owner_unit=None, name="全区", categories=[xiangzhen])
    platform = sending.create_group(actor=cast.operator, owner_unit=None, name="全区", categories=[xiangzhen])
    assert platform in selectors.groups_for(cast.outsider, cast.other_unit)
    with pytest.raises(ExchangeRefused):
        sending.create_group(actor=cast.clerk, owner_unit=cast.unit, name="", units=[])
    sending.delete_group(actor=cast.clerk, group=group)
    assert not RecipientGroup.objects.filter(pk=group.pk).exists()


def test_settings_are_the_operators(cast):
    with pytest.raises(ExchangePermissionDenied):
        sending.update_settings(actor=cast.admin, allow_urgent=False)
    with pytest.raises(ExchangeRefused):
        sending.update_settings(actor=cast.operator, notice_alert_minutes=9, notice_sms_minutes=8)
    config = sending.update_settings(actor=cast.operator, allow_urgent=False, notice_overdue_minutes=15)
    assert not config.allow_urgent and config.notice_overdue_minutes == 15
    assert AuditRecord.objects.filter(action="exchange.settings.update").count() == 1


def test_urging_a_waiting_unit(cast, django_capture_on_commit_callbacks):
    dispatch = sending.send_document(actor=cast.clerk, document=sealed_document(cast), main_units=[cast.other_unit])
    delivery = dispatch.deliveries.get()
    with django_capture_on_commit_callbacks(execute=True):
        sending.urge(actor=cast.clerk, delivery=delivery)
    assert Notice.objects.filter(recipient=cast.outsider, category="exchange.urge", urgent=True).exists()
    delivery.refresh_from_db()
    assert delivery.urge_count == 1
    with pytest.raises(ExchangeRefused):  # again within five minutes
        sending.urge(actor=cast.clerk, delivery=delivery)
    with pytest.raises(ExchangePermissionDenied):  # the receiving side does not urge itself
        sending.urge(actor=cast.outsider, delivery=delivery)
