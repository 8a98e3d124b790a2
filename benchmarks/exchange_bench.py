"""How fast the exchange sends, seals and lists, on this machine (issue 4).

    .venv/bin/python benchmarks/exchange_bench.py [--units 1000] [--deliveries 1000000]
                                                  [--seals 20] [--requests 100] [--database-url URL]

Three figures:

* **send to N units**: ``exchange.services.sending.send_document`` of one sealed 通知 to N units
  (default 1,000), each with a clerk: the Delivery rows, the audit record and the notifications to
  every recipient clerk queued, all committed — the wall time of the call;
* **seals per second**: ``seals.signing.seal_pdf`` on a rendered one-page 通知 (the GB/T 9704 sample)
  with a seal whose key is in an encrypted file (PIN-protected PKCS#8), the signer loaded once; and
  ``keys.signer_for`` (opening the key with the PIN) on its own;
* **inbox page latency**: p50/p95 of ``GET /office/exchange/inbox/`` (the 待收 page of a clerk, through
  the Django test client: middleware, session, template) and of the ``inbox`` selector's first page,
  with ~1,000,000 Delivery rows in the table (N units × dispatches, inserted with one
  ``INSERT … SELECT``; about one in ten pending).

By default it uses a fresh SQLite database in a temporary data directory (WAL, IMMEDIATE
transactions, as in production). With ``--database-url postgres://…`` it creates a throwaway
database beside the one named (``<name>_exchbench_<pid>``), migrates it and drops it at the end.
The data directory (keys, PDFs, the CA) is always temporary and removed afterwards.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_db import throwaway_postgres  # benchmarks/ is on sys.path when a benchmark runs

ROOT = Path(__file__).resolve().parent.parent
PIN = "258036"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000, help="receiving units (default %(default)s)")
    parser.add_argument("--deliveries", type=int, default=1_000_000,
                        help="Delivery rows in the table for the inbox figure (default %(default)s)")
    parser.add_argument("--seals", type=int, default=20, help="seals to apply (default %(default)s)")
    parser.add_argument("--requests", type=int, default=100, help="inbox requests (default %(default)s)")
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL server to run on (a throwaway database is created beside it)")
    args = parser.parse_args()
    if min(args.units, args.seals, args.requests) < 1 or args.deliveries < args.units:
        parser.error("the counts must be positive, and --deliveries at least --units")

    data_dir = Path(tempfile.mkdtemp(prefix="zt-exchange-bench-"))
    os.environ["ZHENGTONG_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhengtong.settings"
    os.environ.pop("ZHENGTONG_AUDIT_KEY", None)
    os.environ.pop("ZHENGTONG_HUEY_IMMEDIATE", None)  # tasks are queued, as in production
    drop = None
    if args.database_url:
        os.environ["ZHENGTONG_DATABASE_URL"], drop = throwaway_postgres(args.database_url, "exchbench")
    else:
        os.environ.pop("ZHENGTONG_DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    try:
        return _run(args)
    finally:
        if drop is not None:
            drop()
        shutil.rmtree(data_dir, ignore_errors=True)


# --- setting up ------------------------------------------------------------------------------------

class Cast:
    """The sending unit with its clerk and seal keeper, and the receiving units with one clerk each."""

    def __init__(self, receivers: int):
        from django.test.utils import override_settings

        from zhengtong.directory import roles
        from zhengtong.directory.models import UnitCategory
        from zhengtong.directory.services import people, units

        category = UnitCategory.objects.order_by("sort_order").first()
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            self.unit = units.register_unit(actor=None, name="鹤山区基准测试局", short_name="基准局", code="B0000",
                                            category=category, document_prefix="鹤基准")
            self.clerk = people.create_person(actor=None, unit=self.unit, name="基准收发员",
                                              role_codes=[roles.CLERK])[0]
            self.keeper = people.create_person(actor=None, unit=self.unit, name="基准印章管理员",
                                               role_codes=[roles.SEAL_KEEPER])[0]
            self.drafter = people.create_person(actor=None, unit=self.unit, name="基准拟稿人",
                                                role_codes=[roles.DRAFTER])[0]
            self.receivers = []
            self.receiver_clerks = []
            for number in range(receivers):
                unit = units.register_unit(actor=None, name=f"鹤山区基准接收单位{number + 1:04d}",
                                           short_name=f"接收{number + 1:04d}", code=f"R{number + 1:04d}",
                                           category=category)
                self.receivers.append(unit)
                self.receiver_clerks.append(people.create_person(
                    actor=None, unit=unit, name="收发员", username=f"clerk{number + 1:04d}", role_codes=[roles.CLERK],
                    mobile=f"139{number + 1:08d}", email=f"clerk{number + 1}@example.org")[0])


def _rendered_notice() -> tuple[bytes, list[dict]]:
    from zhengtong.documents.rendering.document import render_document_with_anchors
    from zhengtong.documents.rendering.samples import sample_layout

    rendered = render_document_with_anchors(sample_layout(1))
    boxes = [{"page": box.page, "x": box.x, "y": box.y, "size": box.size} for box in rendered.seal_boxes]
    return rendered.pdf, boxes


def _sealed_document(cast: Cast, seal, signer, pdf: bytes, boxes: list[dict]):
    """A 通知 of the sending unit, composed and sealed, ready to send (the 发文 steps are workflow_bench's)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from zhengtong.documents.models import Document
    from zhengtong.documents.services import drafting
    from zhengtong.seals import signing

    document = drafting.create_draft(
        actor=cast.drafter, unit=cast.unit, kind="notice", title="关于开展全区公文交换基准测试的通知",
        body=[{"level": 0, "text": "为检验电子公文交换平台的性能，现将有关事项通知如下。"}],
        main_recipients="各镇人民政府、各街道办事处，区直各单位")
    sealed = signing.seal_pdf(pdf=pdf, signer=signer, seal=seal, box=boxes[0] if boxes else None,
                              field_name="seal1", certify=True, reason="鹤山区基准测试局", location="鹤山区")
    document.number = "鹤基准〔2026〕1号"
    document.status = Document.Status.SEALED
    document.seal_boxes = boxes
    document.rendered_pdf.save("bench.pdf", ContentFile(pdf), save=False)
    document.sealed_pdf.save("bench-sealed.pdf", ContentFile(sealed), save=False)
    document.rendered_at = document.sealed_at = timezone.now()
    document.save()
    return document


# --- the figures ------------------------------------------------------------------------------------

def bench_seals(cast: Cast, count: int):
    from zhengtong.seals import ca, keys, signing
    from zhengtong.seals.demo import make_seal

    started = time.perf_counter()
    ca.ensure_ca()
    seal = make_seal(unit=cast.unit, pin=PIN)
    made = time.perf_counter() - started
    pdf, boxes = _rendered_notice()
    opening = []
    for _ in range(5):
        began = time.perf_counter()
        signer = keys.signer_for(seal, PIN)
        opening.append(time.perf_counter() - began)
    signing.seal_pdf(pdf=pdf, signer=signer, seal=seal, box=boxes[0] if boxes else None, field_name="seal1",
                     certify=True)  # warm up (image decoding, fonts)
    times = []
    for number in range(count):
        began = time.perf_counter()
        signing.seal_pdf(pdf=pdf, signer=signer, seal=seal, box=boxes[0] if boxes else None,
                         field_name="seal1", certify=True, reason="基准测试", location="鹤山区")
        times.append(time.perf_counter() - began)
    total = sum(times)
    print(f"seal:     {count / total:8.1f} seals/s   median {statistics.median(times) * 1000:6.0f} ms  "
          f"p95 {percentile(times, .95) * 1000:6.0f} ms  ({count} seals on a {len(pdf) // 1024} KiB one-page "
          f"通知, file key; CA + first seal made in {made:.1f} s)")
    print(f"open key: median {statistics.median(opening) * 1000:6.0f} ms  (keys.signer_for with the PIN)")
    return seal, signer, pdf, boxes


def bench_send(cast: Cast, document) -> object:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhengtong.exchange.models import Delivery
    from zhengtong.exchange.services import sending
    from zhengtong.notifications.models import Message, Notice

    notices_before, messages_before = Notice.objects.count(), Message.objects.count()
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        dispatch = sending.send_document(actor=cast.clerk, document=document, main_units=cast.receivers,
                                         copies=2, category="notice", note="基准测试")
        seconds = time.perf_counter() - began
    deliveries = Delivery.objects.filter(dispatch=dispatch).count()
    notices = Notice.objects.count() - notices_before
    messages = Message.objects.count() - messages_before
    print(f"send:     {seconds * 1000:8.0f} ms to {deliveries} units  ({len(queries)} queries; "
          f"{notices} notices and {messages} e-mail/SMS messages queued)")
    return dispatch


def fill_deliveries(cast: Cast, dispatch, total: int) -> int:
    """Dispatches × units of Delivery rows up to ``total``: one INSERT … SELECT, about 1 in 10 pending."""
    from django.db import connection, transaction

    from zhengtong.exchange.models import Delivery, Dispatch

    units = [cast.unit.pk] + [unit.pk for unit in cast.receivers]
    per_dispatch = len(cast.receivers)
    dispatch_count = max(1, -(-total // per_dispatch))
    began = time.perf_counter()
    base = dispatch.sent_at - datetime.timedelta(days=400)
    fields = {field.attname: getattr(dispatch, field.attname) for field in Dispatch._meta.concrete_fields
              if field.attname != "id"}
    copies = []
    for number in range(dispatch_count - 1):
        values = dict(fields)
        values.update(title=f"基准测试来文 第{number + 1}号", number=f"鹤基准〔2026〕{number + 2}号",
                      sent_at=base + datetime.timedelta(minutes=37 * number))
        copies.append(Dispatch(**values))
    Dispatch.objects.bulk_create(copies, batch_size=1000)
    table, dispatch_table = Delivery._meta.db_table, Dispatch._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # every other dispatch × every unit but the sender's own; the first dispatch already has its rows
        cursor.execute(
            f"""INSERT INTO {table} (dispatch_id, unit_id, role, status, copies_allowed, copies_printed,
                                      delivered_at, due_at, opened_at, signed_at, received_at, return_reason,
                                      urge_count)
                SELECT d.id, u.id, 'main',
                       CASE WHEN (d.id + u.id) %% 10 = 0 THEN 'pending' ELSE 'signed' END,
                       2, 0, d.sent_at, d.sent_at,
                       CASE WHEN (d.id + u.id) %% 10 = 0 THEN NULL ELSE d.sent_at END,
                       CASE WHEN (d.id + u.id) %% 10 = 0 THEN NULL ELSE d.sent_at END,
                       CASE WHEN (d.id + u.id) %% 10 = 0 THEN NULL ELSE d.sent_at END,
                       '', 0
                  FROM {dispatch_table} d, directory_unit u
                 WHERE d.id <> %s AND u.id IN ({",".join(str(pk) for pk in units)}) AND u.id <> d.sender_unit_id""",
            [dispatch.pk])
        cursor.execute("ANALYZE")
    rows = Delivery.objects.count()
    print(f"fill:     {rows:8d} Delivery rows in {time.perf_counter() - began:.1f} s "
          f"({dispatch_count} dispatches × {per_dispatch} units)")
    return rows


def bench_inbox(cast: Cast, requests: int) -> None:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from zhengtong.exchange import selectors
    from zhengtong.exchange.models import Delivery

    clerk, unit = cast.receiver_clerks[0], cast.receivers[0]
    pending = Delivery.objects.filter(unit=unit, status=Delivery.Status.PENDING).count()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clerk.must_change_password = False  # a new account is asked to change its password first
    clerk.save(update_fields=["must_change_password"])
    client = Client()
    client.force_login(clerk)
    url = reverse("exchange:inbox")
    response = client.get(url)  # warm up: templates, the session
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    page_times, selector_times = [], []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(url)
        page_times.append(time.perf_counter() - began)
        assert response.status_code == 200
    for _ in range(requests):
        began = time.perf_counter()
        list(selectors.inbox(clerk, unit)[:20])
        selector_times.append(time.perf_counter() - began)
    print(f"inbox:    page p50 {statistics.median(page_times) * 1000:6.1f} ms  p95 "
          f"{percentile(page_times, .95) * 1000:6.1f} ms;  selector (first 20) p50 "
          f"{statistics.median(selector_times) * 1000:6.1f} ms  p95 {percentile(selector_times, .95) * 1000:6.1f} ms  "
          f"({requests} requests; the clerk's unit has {pending} pending of "
          f"{Delivery.objects.filter(unit=unit).count()})")


def _run(args) -> int:
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)  # the pages use the hashed names, as served
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine:  {os.cpu_count()} CPUs, load average {load} (figures scale with what else runs)")
    began = time.perf_counter()
    cast = Cast(args.units)
    print(f"setup:    {args.units} receiving units with a clerk each in {time.perf_counter() - began:.1f} s")
    seal, signer, pdf, boxes = bench_seals(cast, args.seals)
    document = _sealed_document(cast, seal, signer, pdf, boxes)
    dispatch = bench_send(cast, document)
    fill_deliveries(cast, dispatch, args.deliveries)
    bench_inbox(cast, args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
