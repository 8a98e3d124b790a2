"""Document numbers (条例 第九条(四)): 鹤农发〔2026〕12号, sequential, per year, voided never reused."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections

from zhengtong.audit.models import AuditRecord
from zhengtong.documents import services
from zhengtong.documents.exceptions import DocumentInvalid, DocumentPermissionDenied
from zhengtong.documents.models import Document, IssuedNumber, NumberRegister

from .factories import draft


def _numbered(cast, n, **elements):
    return [services.take_number(actor=cast.clerk, document=draft(cast, **elements)) for _ in range(n)]


@pytest.mark.django_db
def test_numbers_are_sequential_in_the_official_format(cast):
    issued = _numbered(cast, 3, document_date=datetime.date(2026, 11, 20))
    assert [item.text for item in issued] == ["鹤农发〔2026〕1号", "鹤农发〔2026〕2号", "鹤农发〔2026〕3号"]
    document = Document.objects.get(pk=issued[0].document_id)
    assert document.number == "鹤农发〔2026〕1号" and document.issued_number == issued[0]
    register = NumberRegister.objects.get(unit=cast.unit)
    assert (register.name, register.prefix) == ("发文", "鹤农发")
    assert AuditRecord.objects.filter(action="documents.number.take").count() == 3


@pytest.mark.django_db
def test_no_leading_zeros_and_no_di(cast):
    assert services.format_number("鹤农发", 2026, 5) == "鹤农发〔2026〕5号"
    assert services.format_number("鹤农函", 2026, 105) == "鹤农函〔2026〕105号"


@pytest.mark.django_db
def test_a_new_year_starts_at_one(cast):
    _numbered(cast, 2, document_date=datetime.date(2026, 12, 30))
    [first_of_2027] = _numbered(cast, 1, document_date=datetime.date(2027, 1, 4))
    assert (first_of_2027.year, first_of_2027.seq, first_of_2027.text) == (2027, 1, "鹤农发〔2027〕1号")


@pytest.mark.django_db
def test_a_document_keeps_its_number(cast):
    document = draft(cast)
    first = services.take_number(actor=cast.clerk, document=document)
    again = services.take_number(actor=cast.clerk, document=document)
    assert first == again
    assert IssuedNumber.objects.count() == 1


@pytest.mark.django_db
def test_a_voided_number_is_recorded_and_never_reused(cast):
    one, two = _numbered(cast, 2, document_date=datetime.date(2026, 11, 20))
    services.void_number(actor=cast.clerk, issued=two, reason="标题有误，重新起草")
    two.refresh_from_db()
    assert (two.status, two.void_reason, two.voided_by) == ("voided", "标题有误，重新起草", cast.clerk)
    document = Document.objects.get(pk=two.document_id)
    assert document.number == "" and document.issued_number is None
    again = services.take_number(actor=cast.clerk, document=document)
    assert again.text == "鹤农发〔2026〕3号"
    assert IssuedNumber.objects.filter(register=two.register, seq=2).count() == 1


@pytest.mark.django_db
def test_voiding_needs_a_reason_and_happens_once(cast):
    [issued] = _numbered(cast, 1)
    with pytest.raises(DocumentInvalid):
        services.void_number(actor=cast.clerk, issued=issued, reason="  ")
    issued.refresh_from_db()
    assert issued.status == "issued"
    services.void_number(actor=cast.clerk, issued=issued, reason="作废")
    with pytest.raises(DocumentInvalid):
        services.void_number(actor=cast.clerk, issued=issued, reason="再次作废")


@pytest.mark.django_db
def test_the_register_is_chosen_by_kind(cast):
    letters = services.create_register(actor=cast.admin, unit=cast.unit, name="局函", prefix="鹤农函",
                                       kinds=["letter"])
    letter = services.take_number(actor=cast.clerk, document=draft(cast, kind="letter"))
    notice = services.take_number(actor=cast.clerk, document=draft(cast))
    assert letter.register == letters and letter.text.startswith("鹤农函〔")
    assert notice.text.startswith("鹤农发〔")


@pytest.mark.django_db
def test_outsiders_and_plain_staff_cannot_take_or_void_numbers(cast):
    document = draft(cast)
    for person in (cast.outsider, cast.section_chief):
        with pytest.raises(DocumentPermissionDenied):
            services.take_number(actor=person, document=document)
    issued = services.take_number(actor=cast.clerk, document=document)
    with pytest.raises(DocumentPermissionDenied):
        services.void_number(actor=cast.outsider, issued=issued, reason="外单位")
    issued.refresh_from_db()
    assert issued.status == "issued"


@pytest.mark.django_db
def test_register_rules(cast):
    with pytest.raises(DocumentPermissionDenied):
        services.create_register(actor=cast.outsider, unit=cast.unit, name="局函", prefix="鹤农函")
    with pytest.raises(DocumentPermissionDenied):
        services.create_register(actor=cast.clerk, unit=cast.unit, name="局函", prefix="鹤农函")
    with pytest.raises(DocumentInvalid):
        services.create_register(actor=cast.admin, unit=cast.unit, name="局函", prefix="鹤农函〔2026〕")
    register = services.create_register(actor=cast.admin, unit=cast.unit, name="局函", prefix="鹤农函")
    with pytest.raises(DocumentInvalid):
        services.create_register(actor=cast.admin, unit=cast.unit, name="另一个", prefix="鹤农函")
    services.take_number(actor=cast.clerk, document=draft(cast), register=register)
    with pytest.raises(DocumentInvalid):
        services.update_register(actor=cast.admin, register=register, name="局函", prefix="鹤农便函")
    services.update_register(actor=cast.admin, register=register, name="局函", prefix="鹤农函", is_active=False)
    with pytest.raises(DocumentInvalid):
        services.take_number(actor=cast.clerk, document=draft(cast), register=register)


@pytest.mark.django_db
def test_many_numbers_in_a_row_have_no_gap_on_any_database(cast):
    issued = _numbered(cast, 12, document_date=datetime.date(2026, 6, 1))
    assert [item.seq for item in issued] == list(range(1, 13))


def _on_postgresql() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.mark.skipif("not _on_postgresql()",
                    reason="SQLite serialises every writer with its IMMEDIATE transactions, so threads only "
                           "wait for the file lock there; this proves the register lock on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_takers_get_no_gap_and_no_duplicate(cast):
    """~20 people take numbers at the same moment: the register lock serialises them (PostgreSQL)."""
    assert connection.vendor == "postgresql"
    documents = [draft(cast, document_date=datetime.date(2026, 11, 20)) for _ in range(20)]
    services.default_register(cast.unit)
    barrier = threading.Barrier(len(documents))
    errors: list[BaseException] = []

    def take(document):
        try:
            barrier.wait(timeout=30)
            services.take_number(actor=cast.clerk, document=document)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(document,)) for document in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    seqs = sorted(IssuedNumber.objects.filter(year=2026).values_list("seq", flat=True))
    assert seqs == list(range(1, 21))
    numbers = list(Document.objects.filter(pk__in=[d.pk for d in documents]).values_list("number", flat=True))
    assert len(set(numbers)) == 20 and all(numbers)
