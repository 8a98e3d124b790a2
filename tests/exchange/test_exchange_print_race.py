"""Two prints racing for the last copy: exactly one succeeds (seed 001 第三十五条, issue 4 “Bad input”).

Runs on whichever database the suite uses: SQLite (IMMEDIATE transactions serialise the writers)
and PostgreSQL (``select_for_update`` on the delivery row); CI runs both.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from zhengtong.audit.models import AuditRecord
from zhengtong.exchange.models import Delivery, PrintRecord
from zhengtong.exchange.services import printing

try:
    from .printing_helpers import make_delivery, self_signed_pdf
except ImportError:
    from printing_helpers import make_delivery, self_signed_pdf


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _race(actor, delivery, n: int) -> tuple[list, list]:
    barrier = threading.Barrier(n)
    done: list = []
    errors: list = []

    def print_one():
        try:
            barrier.wait(timeout=60)
            done.append(printing.print_copy(actor=actor, delivery=delivery))
        except BaseException as exc:  # noqa: BLE001 — inspected below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=print_one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads)
    return done, errors


@pytest.mark.django_db(transaction=True)
def test_two_prints_with_one_copy_left_exactly_one_succeeds(cast):
    self_signed_pdf()  # signed once before the threads start
    delivery = make_delivery(cast, copies=2)
    printing.print_copy(actor=cast.outsider, delivery=delivery)  # one of two printed: one copy left
    done, errors = _race(cast.outsider, delivery, 2)
    assert len(done) == 1, errors
    assert len(errors) == 1 and isinstance(errors[0], printing.PrintQuotaExhausted), errors
    assert "打印份数已用完" in str(errors[0])
    [(record, pdf)] = done
    assert record.copy_number == 2 and record.copies_total == 2 and pdf.startswith(b"%PDF")
    delivery.refresh_from_db()
    assert delivery.copies_printed == 2
    assert sorted(PrintRecord.objects.values_list("copy_number", flat=True)) == [1, 2]
    assert AuditRecord.objects.filter(action="exchange.copy.print").count() == 2
    assert AuditRecord.objects.filter(action="exchange.copy.refuse").count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_prints_at_once_never_exceed_the_quota_nor_repeat_a_number(cast):
    self_signed_pdf()
    delivery = make_delivery(cast, copies=3)
    done, errors = _race(cast.outsider, delivery, 5)
    assert len(done) == 3 and len(errors) == 2, errors
    assert all(isinstance(error, printing.PrintQuotaExhausted) for error in errors), errors
    assert sorted(record.copy_number for record, _ in done) == [1, 2, 3]
    assert Delivery.objects.get(pk=delivery.pk).copies_printed == 3
    assert PrintRecord.objects.filter(delivery=delivery).count() == 3
