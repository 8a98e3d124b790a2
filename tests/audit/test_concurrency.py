"""Appends from several threads at once keep one unbroken chain (the head row serialises them)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from zhengtong.audit import services
from zhengtong.audit.models import AuditChainHead, AuditRecord
from zhengtong.audit.verify import verify_chain

THREADS = 6
PER_THREAD = 25


@pytest.mark.django_db(transaction=True)
def test_appends_from_several_threads_keep_the_chain_whole_with_no_duplicate_seq():
    """On SQLite the IMMEDIATE transactions serialise appends; on PostgreSQL the head row's lock does."""
    services.record(action="test.thing.touch", summary="before the threads")
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(PER_THREAD):
                services.record(action="test.thing.touch", summary=f"thread {n} record {i}")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    total = 1 + THREADS * PER_THREAD
    seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    assert AuditChainHead.objects.get(id=1).seq == total
    outcome = verify_chain(batch_size=40)
    assert outcome.ok, outcome.problem
    assert outcome.checked == total


@pytest.mark.django_db(transaction=True)
def test_the_very_first_appends_from_several_threads_create_one_head():
    """No head row yet: concurrent first appends must not both start the chain at 1."""
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            for _ in range(5):
                services.record(action="test.thing.touch")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert AuditChainHead.objects.count() == 1
    assert sorted(AuditRecord.objects.values_list("seq", flat=True)) == list(range(1, 21))
    assert verify_chain().ok
