"""Helpers of the exchange core tests: a sealed-looking outgoing document and more receiving units.

Until a test needs a real seal, a one-page PDF stands for the sealed copy; the exchange only
copies it, hashes it and hands it on.
"""

from __future__ import annotations

import datetime
import functools
import io
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

PASSWORD = "Zt-Test-Pass-2026"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hhmm: str) -> datetime.datetime:
    """A moment in Beijing time, e.g. at("2026-03-10", "10:05") (a Tuesday)."""
    return datetime.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=SHANGHAI)


@functools.cache
def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "鹤农〔2026〕8号"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sealed_document(cast, *, unit=None, title="关于做好2026年秋冬种工作的通知", number="鹤农〔2026〕8号",
                    kind="notice", urgency="normal", classification="none", sealed=True, attachment=False):
    """An outgoing document of ``unit`` (the cast's unit) as it stands after the 盖章 step."""
    from django.utils import timezone

    from zhengtong.documents.models import Attachment, Document

    unit = unit or cast.unit
    document = Document.objects.create(unit=unit, direction=Document.Direction.OUTGOING, kind=kind,
                                       status=Document.Status.SEALED if sealed else Document.Status.COMPOSED,
                                       title=title, number=number, urgency=urgency, classification=classification,
                                       drafter=cast.clerk, main_recipients="各镇人民政府，区直有关单位")
    if sealed:
        document.sealed_pdf.save("sealed.pdf", ContentFile(pdf_bytes()), save=False)
        document.sealed_at = timezone.now()
        document.save()
    if attachment:
        row = Attachment(document=document, name="附件1 统计表.xlsx", size=5, sha256="x" * 64,
                         uploaded_by=cast.clerk)
        row.file.save("stats.xlsx", ContentFile(b"hello"), save=False)
        row.save()
    return document


def person(unit, name, role_codes, username=""):
    from zhengtong.directory import services as directory

    user, _password = directory.create_person(actor=None, unit=unit, name=name, role_codes=list(role_codes),
                                              username=username)
    user.set_password(PASSWORD)
    user.must_change_password = False
    user.save()
    return user


def more_units(count: int, *, category_code: str = "xiangzhen", prefix: str = "镇", code: str = "tx"):
    """``count`` active units of a category, each with a clerk: [(unit, clerk)]."""
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory
    from zhengtong.directory.models import UnitCategory

    category = UnitCategory.objects.filter(code=category_code).first() or UnitCategory.objects.first()
    result = []
    for index in range(count):
        unit = directory.register_unit(actor=None, name=f"鹤山区{prefix}{index + 1:03d}", code=f"{code.upper()}{index:04d}",
                                       category=category)
        result.append((unit, person(unit, f"{prefix}收发员", [roles.CLERK], username=f"clerk{code}{index}")))
    return result
