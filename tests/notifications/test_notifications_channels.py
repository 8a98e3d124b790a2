"""The channels for real: SMTP through a local aiosmtpd server, an HTTP SMS gateway, Gammu's outbox table;
quiet hours, retries with exponential backoff, the periodic task."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import http.server
import json
import socket
import sqlite3
import threading

import pytest
from django.utils import timezone

from zhengtong.notifications import gateways, services, tasks
from zhengtong.notifications.models import Message, Preference

# The columns of Gammu SMSD's outbox and outbox_multipart tables (docs/sql/sqlite.sql of Gammu 1.4x).
GAMMU_SCHEMA = """
CREATE TABLE outbox (
  UpdatedInDB NUMERIC NOT NULL DEFAULT (datetime('now', 'localtime')),
  InsertIntoDB NUMERIC NOT NULL DEFAULT (datetime('now', 'localtime')),
  SendingDateTime NUMERIC NOT NULL DEFAULT (datetime('now', 'localtime')),
  SendBefore time NOT NULL DEFAULT '23:59:59',
  SendAfter time NOT NULL DEFAULT '00:00:00',
  Text TEXT,
  DestinationNumber TEXT NOT NULL DEFAULT '',
  Coding TEXT NOT NULL DEFAULT 'Default_No_Compression',
  UDH TEXT,
  Class INTEGER DEFAULT -1,
  TextDecoded TEXT NOT NULL DEFAULT '',
  ID INTEGER PRIMARY KEY AUTOINCREMENT,
  MultiPart TEXT NOT NULL DEFAULT 'false',
  RelativeValidity INTEGER DEFAULT -1,
  SenderID TEXT,
  SendingTimeOut NUMERIC NOT NULL DEFAULT (datetime('now', 'localtime')),
  DeliveryReport TEXT DEFAULT 'default',
  CreatorID TEXT NOT NULL,
  Retries INTEGER DEFAULT 0,
  Priority INTEGER DEFAULT 0,
  Status TEXT NOT NULL DEFAULT 'Reserved',
  StatusCode INTEGER NOT NULL DEFAULT -1,
  CHECK (Coding IN ('Default_No_Compression','Unicode_No_Compression','8bit','Default_Compression',
                    'Unicode_Compression')),
  CHECK (DeliveryReport IN ('default','yes','no'))
);
CREATE TABLE outbox_multipart (
  Text TEXT,
  Coding TEXT NOT NULL DEFAULT 'Default_No_Compression',
  UDH TEXT,
  Class INTEGER DEFAULT -1,
  TextDecoded TEXT DEFAULT NULL,
  ID INTEGER,
  SequencePosition INTEGER NOT NULL DEFAULT 1,
  Status TEXT NOT NULL DEFAULT 'Reserved',
  StatusCode INTEGER NOT NULL DEFAULT -1,
  CHECK (Coding IN ('Default_No_Compression','Unicode_No_Compression','8bit','Default_Compression',
                    'Unicode_Compression')),
  PRIMARY KEY (ID, SequencePosition)
);
"""


@pytest.fixture
def clerk(cast):
    cast.clerk.email = "shoufa@example.cn"
    cast.clerk.mobile = "13800138000"
    cast.clerk.save()
    return cast.clerk


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- e-mail ---------------------------------------------------------------------------------------

@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.envelopes = []
            self.sessions = set()

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
            self.envelopes.append(envelope)
            self.sessions.add(id(session))
            return "250 OK"

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def test_real_email_through_a_local_smtp_server_with_a_chinese_subject(clerk, settings, smtp_server,
                                                                      django_capture_on_commit_callbacks):
    controller, handler = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.DEFAULT_FROM_EMAIL = "zhengtong@heshan.gov.cn"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[clerk], category="exchange.delivery", title="待收公文：关于做好春耕生产的通知",
                        body="请于今日16:30前签收。", url="/office/exchange/", channels=("email",))
    message = Message.objects.get()
    assert message.status == Message.Status.SENT and message.attempts == 1
    assert message.gateway == "smtp:127.0.0.1" and message.external_id.startswith("<")
    assert len(handler.envelopes) == 1
    envelope = handler.envelopes[0]
    assert envelope.rcpt_tos == ["shoufa@example.cn"] and envelope.mail_from == "zhengtong@heshan.gov.cn"
    received = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert received["Subject"] == "待收公文：关于做好春耕生产的通知"
    assert received["Message-ID"] == message.external_id
    text = received.get_body(("plain",)).get_content()
    assert "请于今日16:30前签收。" in text and "/office/exchange/" in text


def test_without_an_smtp_server_the_email_is_skipped_with_the_reason(clerk, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    services.notify(recipients=[clerk], category="c", title="t", channels=("email",))
    message = Message.objects.get()
    assert services.send_message(message) == Message.Status.SKIPPED
    message.refresh_from_db()
    assert message.status == Message.Status.SKIPPED and "ZHENGTONG_SMTP_HOST" in message.last_error


def test_an_unreachable_smtp_server_is_retried(clerk, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nobody listens
    services.notify(recipients=[clerk], category="c", title="t", channels=("email",))
    message = Message.objects.get()
    assert services.send_message(message) == Message.Status.RETRYING
    message.refresh_from_db()
    assert message.attempts == 1 and "Connection" in message.last_error


# --- HTTP SMS gateway -----------------------------------------------------------------------------

@pytest.fixture
def sms_http(settings):
    state = {"status": 200, "requests": []}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers["Content-Length"])
            state["requests"].append({"auth": self.headers.get("Authorization"), "type": self.headers["Content-Type"],
                                      "body": json.loads(self.rfile.read(length))})
            self.send_response(state["status"])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"id": f"gw-{len(state['requests'])}"}).encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_GATEWAY = "http"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    settings.SMS_HTTP_TOKEN = "s3cret-token"
    yield state
    server.shutdown()
    server.server_close()


def test_http_gateway_posts_json_with_the_bearer_token(clerk, sms_http, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[clerk], category="c", title="紧急公文待收", urgent=True, channels=("sms",))
    message = Message.objects.get()
    assert message.status == Message.Status.SENT
    assert (message.gateway, message.external_id) == ("http", "gw-1")
    [request] = sms_http["requests"]
    assert request["auth"] == "Bearer s3cret-token" and request["type"].startswith("application/json")
    assert request["body"] == {"to": "13800138000", "text": "【政通】【紧急】紧急公文待收"}


def test_a_failing_http_gateway_is_retried_with_exponential_backoff_then_fails(clerk, sms_http, settings,
                                                                               monkeypatch):
    settings.NOTIFY_MAX_ATTEMPTS = 4
    sms_http["status"] = 503
    start = timezone.now()
    services.notify(recipients=[clerk], category="c", title="t", channels=("sms",))
    message = Message.objects.get()
    assert services.send_message(message, now=start) == Message.Status.RETRYING
    message.refresh_from_db()
    assert message.attempts == 1 and message.next_attempt_at == start + dt.timedelta(minutes=1)
    assert "503" in message.last_error
    # Not due yet: the periodic sweep leaves it alone.
    assert services.send_due_messages(now=start + dt.timedelta(seconds=59)) == 0
    assert len(sms_http["requests"]) == 1
    waits = []
    clock = message.next_attempt_at
    for attempt in (2, 3):
        services.send_due_messages(now=clock)
        message.refresh_from_db()
        assert message.attempts == attempt and message.status == Message.Status.RETRYING
        waits.append(message.next_attempt_at - clock)
        clock = message.next_attempt_at
    assert waits == [dt.timedelta(minutes=2), dt.timedelta(minutes=4)]
    services.send_due_messages(now=clock)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and message.attempts == 4 and message.next_attempt_at is None
    assert len(sms_http["requests"]) == 4


def test_a_retry_succeeds_when_the_gateway_is_back(clerk, sms_http):
    sms_http["status"] = 500
    start = timezone.now()
    services.notify(recipients=[clerk], category="c", title="t", channels=("sms",))
    message = Message.objects.get()
    services.send_message(message, now=start)
    sms_http["status"] = 200
    monkey_now = start + dt.timedelta(minutes=1)
    assert services.send_due_messages(now=monkey_now) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 2 and message.last_error == ""


def test_backoff_doubles_from_one_minute():
    assert [services.backoff(n).total_seconds() / 60 for n in range(1, 7)] == [1, 2, 4, 8, 16, 32]


# --- Gammu SMSD -----------------------------------------------------------------------------------

@pytest.fixture
def gammu_db(settings, tmp_path):
    path = tmp_path / "smsd.db"
    with sqlite3.connect(path) as db:
        db.executescript(GAMMU_SCHEMA)
    settings.SMS_GATEWAY = "gammu"
    settings.SMS_GAMMU_DATABASE_URL = f"sqlite:///{path}"
    return path


def test_gammu_gateway_inserts_a_unicode_message_into_the_outbox(clerk, gammu_db,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[clerk], category="c", title="收到公文", channels=("sms",))
    message = Message.objects.get()
    assert message.status == Message.Status.SENT and message.gateway == "gammu"
    with sqlite3.connect(gammu_db) as db:
        db.row_factory = sqlite3.Row
        rows = [dict(r) for r in db.execute("SELECT * FROM outbox")]
        assert db.execute("SELECT COUNT(*) FROM outbox_multipart").fetchone()[0] == 0
    assert len(rows) == 1
    row = rows[0]
    assert message.external_id == f"outbox:{row['ID']}"
    assert (row["DestinationNumber"], row["TextDecoded"], row["Coding"], row["CreatorID"], row["MultiPart"]) == (
        "13800138000", "【政通】收到公文", "Unicode_No_Compression", "zhengtong", "false")


def test_gammu_gateway_splits_a_long_text_into_multipart_rows_with_the_concatenation_udh(clerk, gammu_db):
    body = "请各单位收发员于今日下午四点半前登录政务协同办公平台签收本文件。" * 4
    services.notify(recipients=[clerk], category="c", title="关于做好防汛工作的紧急通知", body=body,
                    channels=("sms",))
    message = Message.objects.get()
    assert services.send_message(message) == Message.Status.SENT
    with sqlite3.connect(gammu_db) as db:
        first = db.execute("SELECT ID, TextDecoded, MultiPart, UDH FROM outbox").fetchall()
        rest = db.execute("SELECT ID, SequencePosition, TextDecoded, UDH, Coding FROM outbox_multipart "
                          "ORDER BY SequencePosition").fetchall()
    [(outbox_id, text, multipart, udh)] = first
    parts = [text] + [r[2] for r in rest]
    assert multipart == "true" and len(parts) == 1 + len(rest) >= 3
    assert "".join(parts) == message.body
    assert all(len(p) <= 67 for p in parts)
    count = len(parts)
    assert udh[:6] == "050003" and udh[8:] == f"{count:02X}01"
    for position, (row_id, sequence, _text, part_udh, coding) in enumerate(rest, start=2):
        assert row_id == outbox_id and sequence == position and coding == "Unicode_No_Compression"
        assert part_udh == udh[:8] + f"{count:02X}{position:02X}"  # the same reference in every part


def test_gammu_without_its_database_is_retried_not_lost(clerk, settings, tmp_path):
    settings.SMS_GATEWAY = "gammu"
    settings.SMS_GAMMU_DATABASE_URL = f"sqlite:///{tmp_path}/missing.db"
    services.notify(recipients=[clerk], category="c", title="t", channels=("sms",))
    assert services.send_message(Message.objects.get()) == Message.Status.RETRYING


def test_split_ucs2_keeps_a_short_text_whole():
    assert gateways.split_ucs2("短" * 70) == ["短" * 70]
    assert [len(p) for p in gateways.split_ucs2("长" * 71)] == [67, 4]


# --- quiet hours and the periodic task ------------------------------------------------------------

def _at(hour, minute=0, day=3):
    return timezone.make_aware(dt.datetime(2026, 3, day, hour, minute))


def test_quiet_hours_hold_messages_until_they_end_but_urgent_goes_at_once(clerk, settings, tmp_path, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    settings.SMS_GATEWAY, settings.SMS_FILE_DIR = "file", tmp_path
    Preference.objects.create(user=clerk, quiet_start=dt.time(22, 0), quiet_end=dt.time(7, 30))
    monkeypatch.setattr(timezone, "now", lambda: _at(23, 15))
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[clerk], category="c", title="普通通知")
        services.notify(recipients=[clerk], category="c", title="紧急通知", urgent=True)
    held = Message.objects.filter(subject="普通通知")
    assert {m.status for m in held} == {Message.Status.HELD} and held.count() == 2
    assert {m.next_attempt_at for m in held} == {_at(7, 30, day=4)}
    assert set(Message.objects.filter(urgent=True).values_list("status", flat=True)) == {Message.Status.SENT}
    assert len(list(tmp_path.glob("*.json"))) == 1
    assert services.send_due_messages(now=_at(7, 29, day=4)) == 0
    assert services.send_due_messages(now=_at(7, 30, day=4)) == 2
    assert set(held.values_list("status", flat=True)) == {Message.Status.SENT}
    assert len(list(tmp_path.glob("*.json"))) == 2


@pytest.mark.parametrize(("start", "end", "at", "until"), [
    ((22, 0), (7, 30), (23, 0), (7, 30, 4)),
    ((22, 0), (7, 30), (6, 0), (7, 30, 3)),
    ((22, 0), (7, 30), (12, 0), None),
    ((12, 0), (14, 0), (13, 0), (14, 0, 3)),
    ((12, 0), (14, 0), (14, 0), None),
])
def test_in_quiet_hours_across_midnight_and_within_a_day(start, end, at, until):
    preference = Preference(quiet_start=dt.time(*start), quiet_end=dt.time(*end))
    expected = _at(until[0], until[1], day=until[2]) if until else None
    assert services.in_quiet_hours(preference, _at(*at)) == expected


def test_the_periodic_task_sends_a_message_whose_dispatch_was_missed(clerk, settings, tmp_path):
    settings.SMS_GATEWAY, settings.SMS_FILE_DIR = "file", tmp_path
    services.notify(recipients=[clerk], category="c", title="t", channels=("sms",))  # on-commit never ran
    message = Message.objects.get()
    assert message.status == Message.Status.QUEUED
    assert services.send_due_messages() == 0  # the on-commit dispatch gets its chance first
    assert services.send_due_messages(now=timezone.now() + services.PICKUP_DELAY) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_the_huey_tasks_call_the_services(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "send_due_messages", lambda: calls.append("due") or 0)
    monkeypatch.setattr(services, "send_messages", lambda *, ids: calls.append(list(ids)) or 0)
    tasks.send_due_messages.call_local()
    tasks.send_messages.call_local([1, 2])
    assert calls == ["due", [1, 2]]


def test_a_message_is_sent_once_even_when_two_workers_pick_it_up(clerk, settings, tmp_path):
    settings.SMS_GATEWAY, settings.SMS_FILE_DIR = "file", tmp_path
    services.notify(recipients=[clerk], category="c", title="t", channels=("sms",))
    first = Message.objects.get()
    second = Message.objects.get()
    assert services.send_message(first) == Message.Status.SENT
    services.send_message(second)  # a stale copy: the claim fails, nothing is sent
    assert len(list(tmp_path.glob("*.json"))) == 1
    assert Message.objects.get().attempts == 1


# Gammu's PostgreSQL schema (docs/sql/pgsql.sql): quoted mixed-case names, serial ID, boolean MultiPart.
GAMMU_PG_SCHEMA = """
CREATE TABLE outbox (
  "InsertIntoDB" timestamp(0) WITHOUT time zone NOT NULL DEFAULT LOCALTIMESTAMP(0),
  "SendingDateTime" timestamp NOT NULL DEFAULT LOCALTIMESTAMP(0),
  "Text" text,
  "DestinationNumber" varchar(20) NOT NULL DEFAULT '',
  "Coding" varchar(255) NOT NULL DEFAULT 'Default_No_Compression',
  "UDH" text,
  "Class" integer DEFAULT '-1',
  "TextDecoded" text NOT NULL DEFAULT '',
  "ID" serial PRIMARY KEY,
  "MultiPart" boolean NOT NULL DEFAULT 'false',
  "CreatorID" text NOT NULL
);
CREATE TABLE outbox_multipart (
  "Text" text,
  "Coding" varchar(255) NOT NULL DEFAULT 'Default_No_Compression',
  "UDH" text,
  "Class" integer DEFAULT '-1',
  "TextDecoded" text DEFAULT NULL,
  "ID" serial,
  "SequencePosition" integer NOT NULL DEFAULT '1',
  PRIMARY KEY ("ID", "SequencePosition")
);
"""


@pytest.fixture
def gammu_pg(settings):
    """A scratch PostgreSQL database with Gammu's outbox tables, on the server the test suite runs on."""
    import os
    import secrets
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ.get("ZHENGTONG_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("runs with ZHENGTONG_DATABASE_URL=postgres://…")
    import psycopg

    parts = urlsplit(url)
    name = f"zt_gammu_{secrets.token_hex(4)}"
    admin = psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    gammu_url = urlunsplit(parts._replace(path="/" + name))
    with psycopg.connect(gammu_url, autocommit=True) as db:
        db.execute(GAMMU_PG_SCHEMA)
    settings.SMS_GATEWAY, settings.SMS_GAMMU_DATABASE_URL = "gammu", gammu_url
    yield gammu_url
    admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.close()


def test_gammu_gateway_on_postgresql(clerk, gammu_pg):
    import psycopg

    services.notify(recipients=[clerk], category="c", title="短", channels=("sms",))
    services.notify(recipients=[clerk], category="c", title="长" * 150, channels=("sms",))
    short, long = Message.objects.order_by("pk")
    assert services.send_message(short) == services.Message.Status.SENT
    assert services.send_message(long) == services.Message.Status.SENT
    with psycopg.connect(gammu_pg) as db:
        rows = db.execute('SELECT "ID", "DestinationNumber", "TextDecoded", "MultiPart", "Coding" '
                          'FROM outbox ORDER BY "ID"').fetchall()
        parts = db.execute('SELECT "ID", "SequencePosition" FROM outbox_multipart ORDER BY 2').fetchall()
    assert [(r[1], r[3], r[4]) for r in rows] == [("13800138000", False, "Unicode_No_Compression"),
                                                  ("13800138000", True, "Unicode_No_Compression")]
    assert short.external_id == f"outbox:{rows[0][0]}" and long.external_id == f"outbox:{rows[1][0]}"
    assert [p[0] for p in parts] == [rows[1][0]] * len(parts) and [p[1] for p in parts] == list(
        range(2, len(parts) + 2))


def test_a_batch_of_emails_shares_one_smtp_connection(cast, settings, smtp_server,
                                                       django_capture_on_commit_callbacks):
    controller, handler = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    people = [cast.clerk, cast.leader, cast.section_chief]
    for number, person in enumerate(people):
        person.email = f"p{number}@example.cn"
        person.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=people, category="c", title="会议通知", channels=("email",))
    assert sorted(e.rcpt_tos[0] for e in handler.envelopes) == ["p0@example.cn", "p1@example.cn", "p2@example.cn"]
    assert len(handler.sessions) == 1
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
