"""Documents built through the real services (incoming ones directly: registering 收文 is the flow's)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from zhengtong.documents import services
from zhengtong.documents.models import Document

BODY = [
    {"level": 0, "text": "为做好今年秋冬种工作，现将有关事项通知如下。"},
    {"level": 1, "text": "总体要求"},
    {"level": 2, "text": "坚持稳粮扩油"},
    {"level": 1, "text": "工作措施"},
    {"level": 3, "text": "加强技术指导"},
]


def draft(cast, *, actor=None, kind="notice", title="关于做好2026年秋冬种工作的通知", body=None, **elements):
    """A draft of the cast's unit by the clerk (or ``actor``), with main recipients unless given."""
    elements.setdefault("main_recipients", "各镇人民政府，区直有关单位")
    return services.create_draft(actor=actor or cast.clerk, unit=cast.unit, kind=kind, title=title,
                                 body=BODY if body is None else body, **elements)


def incoming(cast, *, seq=1, year=None, title="关于报送2026年农业统计数据的通知", source="鹤山区统计局",
             number="鹤统〔2026〕3号", **fields):
    year = year or timezone.localdate().year
    fields.setdefault("received_at", timezone.make_aware(datetime.datetime(year, 3, seq % 28 + 1, 10, 0)))
    return Document.objects.create(unit=cast.unit, direction=Document.Direction.INCOMING, kind="notice",
                                   status=Document.Status.REGISTERED, title=title, drafter=cast.clerk,
                                   incoming_year=year, incoming_seq=seq, source_unit_name=source,
                                   source_number=number, copies=2, received_by=cast.clerk, **fields)


def staff(cast, name="科员庚", unit=None, role_codes=()):
    """A person of the unit without any role (a plain 科员), who may sign in."""
    from zhengtong.directory import services as directory

    user, _password = directory.create_person(actor=None, unit=unit or cast.unit, name=name,
                                              department=cast.office if unit is None else None,
                                              role_codes=list(role_codes))
    user.set_password(cast.password)
    user.must_change_password = False
    user.save()
    return user
