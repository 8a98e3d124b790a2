"""The demo seals and exchange (`zhengtong demo`): seals made through the procedure, sealed documents that
verify, and dispatches with receipts in every state on real working days.

Loads the district, the documents, the seals and the exchange once for the module (the website's demo
loaders are not needed here) inside a transaction that is rolled back at the end.
"""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from zhengtong.demo import data

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOADERS = ("documents", "seals", "exchange")


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    from zhengtong.demo.registry import demo_loaders
    from zhengtong.demo.services import load_demo_district
    from zhengtong.directory.defaults import load_defaults
    from zhengtong.directory.models import Role, UnitCategory

    lines: list[str] = []
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=str(media)):
        with transaction.atomic():
            load_defaults(Role, UnitCategory)
            result = load_demo_district()
            for loader in demo_loaders():
                if loader.key in LOADERS:
                    loader.load(result=result, stdout=lines.append)
            yield "\n".join(lines)
            transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def _unit(name):
    from zhengtong.directory.models import Unit

    return Unit.objects.get(name=name)


def test_the_loaders_run_in_order_after_the_documents_and_report_in_chinese(demo):
    from zhengtong.demo.registry import demo_loaders

    order = {loader.key: loader.order for loader in demo_loaders()}
    assert order["documents"] < order["seals"] == 80 < order["exchange"] == 85
    assert "电子印章：" in demo and "PIN 码为 258036" in demo
    assert "公文交换：" in demo


def test_the_sending_units_have_seals_made_by_two_different_confirmations(demo):
    from zhengtong.seals.demo import SEALING_UNITS
    from zhengtong.seals.models import Seal, SealApplication

    for name in SEALING_UNITS:
        seal = Seal.objects.get(unit__name=name, seal_type=Seal.Type.OFFICIAL, status=Seal.Status.ACTIVE)
        application = SealApplication.objects.get(result_seal=seal)
        assert application.status == SealApplication.Status.DONE
        assert application.head_decided_by and application.operator_decided_by
        assert application.custodian_confirmed_by_id != application.operator_confirmed_by_id
        assert seal.image and seal.key_file and seal.name == name
    # an application waits at every step of the procedure
    waiting = set(SealApplication.objects.exclude(status=SealApplication.Status.DONE).values_list("status", flat=True))
    assert {SealApplication.Status.AWAITING_HEAD, SealApplication.Status.AWAITING_OPERATOR,
            SealApplication.Status.APPROVED} <= waiting
    half = SealApplication.objects.get(unit__name="鹤山区文化和旅游局")
    assert half.custodian_confirmed_by and half.operator_confirmed_by is None


def test_the_demo_pin_unlocks_the_seals_and_a_wrong_one_does_not(demo):
    from zhengtong.seals import keys
    from zhengtong.seals.demo import DEMO_PIN, seal_for

    seal = seal_for(_unit(data.DEMO_UNIT))
    keys.check_pin(seal, DEMO_PIN)
    with pytest.raises(keys.WrongPin):
        keys.check_pin(seal, "975310")


def test_every_demo_document_past_the_seal_step_carries_a_valid_seal(demo):
    from zhengtong.documents.models import Document
    from zhengtong.seals.verification import verify_pdf

    past = Document.objects.filter(direction=Document.Direction.OUTGOING, status__in=[
        Document.Status.SEALED, Document.Status.DISTRIBUTED, Document.Status.ARCHIVED])
    assert past.count() >= 7  # 区农业农村局's three and the four other units' documents
    for document in past:
        assert document.sealed_pdf, document.title
        with document.sealed_pdf.open("rb") as handle:
            report = verify_pdf(handle.read())
        assert report.ok, (document.title, report.problems)
        assert report.seals[0].unit_name == document.unit.name
    # the composed one still waits for its seal keeper (try it with the demo PIN)
    waiting = Document.objects.get(title="关于加强秋冬季农机安全生产工作的通知")
    assert waiting.status == Document.Status.COMPOSED and not waiting.sealed_pdf


def test_receipts_in_every_state(demo):
    from zhengtong.exchange.models import Delivery, Dispatch, PrintRecord

    now = timezone.now()
    deliveries = Delivery.objects.all()
    assert Dispatch.objects.count() == 5
    assert deliveries.filter(status=Delivery.Status.PENDING, opened_at__isnull=True).exists()  # unopened
    assert deliveries.filter(status=Delivery.Status.PENDING, opened_at__isnull=False,
                             checked_at__isnull=True).exists()  # opened only
    assert deliveries.filter(status=Delivery.Status.PENDING, checked_at__isnull=False,
                             copies_printed__gt=0).exists()  # checked and printed, not signed
    assert deliveries.filter(status=Delivery.Status.SIGNED, incoming_document__isnull=False).count() >= 10
    returned = deliveries.get(status=Delivery.Status.RETURNED)
    assert returned.return_reason and returned.unit.name == "鹤山区南湖街道办事处"
    assert deliveries.filter(status=Delivery.Status.PENDING, due_at__lt=now).count() >= 3  # overdue
    assert PrintRecord.objects.filter(kind=PrintRecord.Kind.DECLASSIFIED).count() == 1
    assert PrintRecord.objects.filter(kind=PrintRecord.Kind.PRINT, copy_number=2).exists()
    # the overdue notice alerted the clerks and was texted
    notice = deliveries.filter(dispatch__category=Dispatch.Category.NOTICE, opened_at__isnull=True,
                               unit__name=data.DEMO_UNIT).get()
    assert notice.alerted_at and notice.sms_sent_at and notice.due_at < now


def test_dispatches_and_receipts_fall_on_real_working_days_in_and_out_of_the_windows(demo):
    from zhengtong.exchange.models import Delivery, Dispatch, WindowAttendance
    from zhengtong.workdays import selectors as workdays

    today = timezone.localdate()
    for dispatch in Dispatch.objects.exclude(category=Dispatch.Category.NOTICE):
        day = timezone.localdate(dispatch.sent_at)
        assert day < today and workdays.is_working_day(day), dispatch.title
        assert workdays.is_working_day(dispatch.exchange_day)
    late_sent = Dispatch.objects.get(title="关于做好2027年区级部门预算编制工作的通知")
    assert timezone.localtime(late_sent.sent_at).hour == 15  # after the 15:00 cutoff: the next working day
    assert late_sent.exchange_day == workdays.next_working_day(timezone.localdate(late_sent.sent_at))
    signed = Delivery.objects.filter(status=Delivery.Status.SIGNED)
    inside = [d for d in signed if workdays.receiving_window_at(d.signed_at) is not None]
    outside = [d for d in Delivery.objects.exclude(opened_at=None)
               if workdays.receiving_window_at(d.opened_at) is None]
    assert inside and outside
    town = _unit("鹤山区沙河街道办事处")
    assert WindowAttendance.objects.filter(unit=town, attended_at__isnull=False).exists()
    assert WindowAttendance.objects.filter(attended_at__isnull=True).exists()  # windows missed


def test_the_report_counts_on_time_late_and_overdue(demo):
    from zhengtong.exchange import reports
    from zhengtong.exchange.models import Dispatch

    sent = Dispatch.objects.get(title="关于做好2026年度政策性农业保险工作的通知")
    day = timezone.localdate(sent.sent_at)
    rows = {row.unit.name: row for row in reports.receiving_report(start=day, end=timezone.localdate())}
    assert rows["鹤山区沙河街道办事处"].on_time >= 1
    assert rows["鹤山区青山镇人民政府"].late >= 1  # signed for a working day late
    assert rows["鹤山区白石镇人民政府"].overdue >= 1  # never opened
    assert rows["鹤山区南湖街道办事处"].returned == 1


def test_the_demo_clerk_signs_in_and_finds_his_inbox(demo, settings):
    from zhengtong.directory.models import User

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    assert client.login(username="yangxiaofan", password=data.DEMO_PASSWORD)
    response = client.get(reverse("exchange:inbox"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "关于做好2026年度述职评议考核工作的通知" in page  # not opened yet
    assert "关于做好寒潮天气防御工作的紧急通知" in page  # an overdue notice
    assert "关于商请支持开展中小学生劳动教育实践基地建设的函" not in page  # signed for: not waiting
    # (the notices to the clerks are queued when the loader's transaction commits; here it is rolled back)
    clerk = User.objects.get(username="yangxiaofan")
    delivery = _pending_for(clerk)
    response = client.get(reverse("exchange:delivery", args=[delivery.pk]))
    assert response.status_code == 200 and delivery.dispatch.title in response.content.decode()
    # another unit's clerk does not see it
    from zhengtong.exchange.demo import _clerk

    other_clerk = _clerk(_unit("鹤山区商务局"))
    other_clerk.must_change_password = False
    other_clerk.save(update_fields=["must_change_password"])
    outsider = Client()
    outsider.force_login(other_clerk)
    assert outsider.get(reverse("exchange:delivery", args=[delivery.pk])).status_code == 404


def _pending_for(clerk):
    from zhengtong.exchange.models import Delivery

    return Delivery.objects.filter(unit__name=data.DEMO_UNIT, status=Delivery.Status.PENDING).first()


def test_the_sent_pdf_of_a_dispatch_is_the_sealed_document(demo):
    from pypdf import PdfReader

    from zhengtong.exchange.models import Dispatch

    dispatch = Dispatch.objects.get(title="关于做好2026年度政策性农业保险工作的通知")
    with dispatch.pdf.open("rb") as handle:
        sent = handle.read()
    with dispatch.document.sealed_pdf.open("rb") as handle:
        assert handle.read() == sent
    assert PdfReader(io.BytesIO(sent)).get_fields()  # the seal's signature field


def test_the_demo_is_dated_on_the_days_before_today(demo):
    from zhengtong.exchange.demo import _Exchange

    days = _Exchange().days
    assert days == sorted(days, reverse=True) and days[0] < timezone.localdate()
    from zhengtong.workdays import selectors as workdays

    assert all(workdays.is_working_day(day) for day in days)
    assert len(set(days)) == len(days) == 5
