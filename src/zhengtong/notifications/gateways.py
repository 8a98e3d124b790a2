"""The channels that carry a message out: SMTP e-mail and the SMS gateways (file, console, http, gammu).

Each ``send_*`` returns ``(gateway name, reference)`` or raises: :class:`NotConfigured` (the message
is skipped, with the reason) or any other exception (the message is retried later).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

GAMMU_CREATOR = "zhengtong"
# A concatenated UCS-2 SMS part holds 67 UTF-16 units next to its 6-byte UDH; a single one 70.
UCS2_SINGLE = 70
UCS2_PART = 67


class NotConfigured(Exception):
    """The channel is not set up on this installation: the message is not sent (SKIPPED)."""


class GatewayError(Exception):
    """The gateway refused or failed; the message is retried."""


# --- e-mail ---------------------------------------------------------------------------------------

class MailSession:
    """One mail connection for a batch of messages, opened at the first e-mail and closed at the end.

    After a failure the connection is dropped, so that the next message starts afresh.
    """

    def __init__(self):
        self._connection = None

    def connection(self):
        if self._connection is None:
            from django.core.mail import mailers

            self._connection = mailers.default
        return self._connection

    def reset(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # noqa: BLE001 — a broken connection may fail to close as well
                pass
            self._connection = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.reset()


def send_email(message, *, session: MailSession | None = None) -> tuple[str, str]:
    """Send ``message`` (a notifications Message) by e-mail through Django's default mailer (SMTP)."""
    from django.core.mail import EmailMessage, make_msgid
    from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

    own = session is None
    session = session or MailSession()
    connection = session.connection()
    is_smtp = isinstance(connection, SMTPBackend)
    if is_smtp and not connection.host:
        raise NotConfigured(_("No SMTP server is configured (ZHENGTONG_SMTP_HOST)."))
    message_id = make_msgid(domain="zhengtong")
    email = EmailMessage(subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL,
                         to=[message.address], headers={"Message-ID": message_id})
    try:
        if not own:
            connection.open()  # kept open for the rest of the batch (open() is a no-op when open)
        connection.send_messages([email])
    except Exception:
        session.reset()
        raise
    finally:
        if own:
            session.reset()
    gateway = f"smtp:{connection.host}" if is_smtp else type(connection).__module__.rsplit(".", 1)[-1]
    return gateway[:40], message_id


# --- SMS ------------------------------------------------------------------------------------------

def send_sms(message) -> tuple[str, str]:
    """Send ``message`` by SMS through the gateway chosen by ``settings.SMS_GATEWAY``."""
    gateway = settings.SMS_GATEWAY
    sender = {"file": _sms_file, "console": _sms_console, "http": _sms_http, "gammu": _sms_gammu}[gateway]
    return gateway, sender(message.address, message.body)


def _sms_file(to: str, text: str) -> str:
    """Write one JSON file per message into SMS_FILE_DIR (for a gateway that picks files up, or for tests)."""
    directory = Path(settings.SMS_FILE_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{timezone.now():%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}.json"
    temporary = directory / (name + ".tmp")
    temporary.write_text(json.dumps({"to": to, "text": text, "created_at": timezone.now().isoformat()},
                                    ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, directory / name)  # appears whole, never half written
    return name


def _sms_console(to: str, text: str) -> str:
    log.info("SMS to %s: %s", to, text)
    return ""


def _sms_http(to: str, text: str) -> str:
    """POST {"to", "text"} as JSON with a bearer token; any 2xx answer means sent."""
    if not settings.SMS_HTTP_URL:
        raise NotConfigured(_("No SMS gateway address is configured (ZHENGTONG_SMS_HTTP_URL)."))
    data = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if settings.SMS_HTTP_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SMS_HTTP_TOKEN}"
    request = urllib.request.Request(settings.SMS_HTTP_URL, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 — configured URL
            body = response.read(2000)
            status = response.status
    except urllib.error.HTTPError as exc:
        raise GatewayError(f"HTTP {exc.code}: {exc.read(300).decode('utf-8', 'replace')}") from exc
    if not 200 <= status < 300:
        raise GatewayError(f"HTTP {status}")
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return ""
    if isinstance(answer, dict):
        return str(answer.get("id") or answer.get("message_id") or "")
    return ""


# --- Gammu SMSD -----------------------------------------------------------------------------------

def _utf16_units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def split_ucs2(text: str) -> list[str]:
    """Split ``text`` into the parts of a concatenated UCS-2 SMS (one part when it fits in 70 units)."""
    if sum(_utf16_units(c) for c in text) <= UCS2_SINGLE:
        return [text]
    parts, current, used = [], [], 0
    for char in text:
        units = _utf16_units(char)
        if used + units > UCS2_PART:
            parts.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += units
    if current:
        parts.append("".join(current))
    return parts


def gammu_rows(to: str, text: str, *, reference: int) -> tuple[dict, list[dict]]:
    """The outbox row and the outbox_multipart rows of one message, as Gammu SMSD expects them.

    Long texts are multipart: the first part in ``outbox`` with MultiPart 'true', the others in
    ``outbox_multipart`` (same ID, SequencePosition 2…); each part carries the concatenation UDH
    ``050003 <reference> <count> <position>`` (hex).
    """
    parts = split_ucs2(text)
    base = {"DestinationNumber": to, "Coding": "Unicode_No_Compression", "CreatorID": GAMMU_CREATOR,
            "Class": -1}
    if len(parts) == 1:
        return {**base, "TextDecoded": text, "MultiPart": "false", "UDH": ""}, []
    count = len(parts)

    def udh(position: int) -> str:
        return f"050003{reference:02X}{count:02X}{position:02X}"

    first = {**base, "TextDecoded": parts[0], "MultiPart": "true", "UDH": udh(1)}
    rest = [{"Coding": "Unicode_No_Compression", "Class": -1, "TextDecoded": part, "UDH": udh(position),
             "SequencePosition": position} for position, part in enumerate(parts[1:], start=2)]
    return first, rest


def _gammu_connect(url: str):
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        import sqlite3

        path = unquote(parts.path)[1:]  # as dj-database-url: sqlite:////var/lib/smsd.db is /var/lib/smsd.db
        if parts.netloc:
            path = parts.netloc + "/" + path
        if not Path(path).exists():
            raise GatewayError(f"Gammu database {path} does not exist")
        return sqlite3.connect(path, timeout=10), "sqlite"
    if parts.scheme in ("postgres", "postgresql"):
        import psycopg

        return psycopg.connect(url, connect_timeout=10), "postgres"
    if parts.scheme == "mysql":
        try:
            import MySQLdb as mysql  # noqa: N813
        except ImportError:
            try:
                import pymysql as mysql
            except ImportError as exc:
                raise NotConfigured(_("Install mysqlclient or PyMySQL to use a MySQL Gammu database.")) from exc
        return mysql.connect(host=parts.hostname or "localhost", port=parts.port or 3306,
                             user=unquote(parts.username or ""), password=unquote(parts.password or ""),
                             database=parts.path.lstrip("/"), charset="utf8mb4"), "mysql"
    raise NotConfigured(_("The Gammu database address must start with sqlite://, postgres:// or mysql://."))


def _sms_gammu(to: str, text: str) -> str:
    """Queue the SMS in Gammu SMSD's ``outbox`` table; the SMSD daemon sends it through its modem."""
    if not settings.SMS_GAMMU_DATABASE_URL:
        raise NotConfigured(_("No Gammu SMSD database is configured (ZHENGTONG_SMS_GAMMU_DATABASE_URL)."))
    connection, kind = _gammu_connect(settings.SMS_GAMMU_DATABASE_URL)
    first, rest = gammu_rows(to, text, reference=secrets.randbelow(256))
    mark = "?" if kind == "sqlite" else "%s"
    quote = "`" if kind == "mysql" else '"'

    def insert(table: str, row: dict, returning: bool = False) -> None:
        columns = list(row)
        sql = (f"INSERT INTO {table} ({', '.join(quote + c + quote for c in columns)}) "
               f"VALUES ({', '.join([mark] * len(columns))})")
        if returning:
            sql += f" RETURNING {quote}ID{quote}"
        cursor.execute(sql, [row[c] for c in columns])

    if kind == "postgres":  # Gammu's PostgreSQL schema has a boolean MultiPart
        first["MultiPart"] = first["MultiPart"] == "true"
    try:
        cursor = connection.cursor()
        if kind == "postgres":
            insert("outbox", first, returning=True)
            outbox_id = cursor.fetchone()[0]
        else:
            insert("outbox", first)
            outbox_id = cursor.lastrowid
        for row in rest:
            insert("outbox_multipart", {**row, "ID": outbox_id})
        connection.commit()
    except Exception:
        connection.rollback()
        raise
    finally:
        connection.close()
    return f"outbox:{outbox_id}"
