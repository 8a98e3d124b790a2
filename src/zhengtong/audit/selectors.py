"""Reads of the audit trail, scoped to the person asking (审计记录查询).

Platform operators see every record. A unit system admin sees the records of the unit they are
working in (``request.unit``) when they administer it, and nothing of any other unit. Everyone
else sees nothing, and the views answer 404: a missing right looks like a missing page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhengtong.audit.models import AuditRecord
from zhengtong.directory.selectors import is_platform_operator, units_administered_by

PAGE_SIZE = 50


def audit_scope(user, unit) -> str | None:
    """``"all"`` for an operator, ``"unit"`` for an admin of ``unit``, else None (may not browse)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if is_platform_operator(user):
        return "all"
    if unit is not None and units_administered_by(user).filter(pk=unit.pk).exists():
        return "unit"
    return None


def can_browse_audit(user, unit) -> bool:
    return audit_scope(user, unit) is not None


def records_visible_to(user, unit) -> QuerySet[AuditRecord]:
    """The records ``user`` may read while working in ``unit``; none at all without the right."""
    scope = audit_scope(user, unit)
    if scope == "all":
        return AuditRecord.objects.all()
    if scope == "unit":
        return AuditRecord.objects.filter(unit_id=unit.pk)
    return AuditRecord.objects.none()


def record_for(user, unit, pk: int) -> AuditRecord:
    """One record ``user`` may read, or 404."""
    if not can_browse_audit(user, unit):
        raise Http404
    return get_object_or_404(records_visible_to(user, unit), pk=pk)


@dataclass(frozen=True)
class RecordFilter:
    """What the list is narrowed to; every part optional."""

    date_from: date | None = None
    date_to: date | None = None
    actor: str = ""
    unit_id: int | None = None
    action: str = ""
    object_text: str = ""


def filter_records(records: QuerySet[AuditRecord], criteria: RecordFilter) -> QuerySet[AuditRecord]:
    """Narrow ``records`` by time (dates in local time, both ends inclusive), actor, unit, action, object."""
    if criteria.date_from:
        records = records.filter(occurred_at__gte=_start_of(criteria.date_from))
    if criteria.date_to:
        records = records.filter(occurred_at__lt=_start_of(criteria.date_to + timedelta(days=1)))
    if criteria.actor:
        users = get_user_model().objects.filter(username__icontains=criteria.actor).values("pk")
        records = records.filter(Q(actor_name__icontains=criteria.actor) | Q(actor_id__in=users))
    if criteria.unit_id:
        records = records.filter(unit_id=criteria.unit_id)
    if criteria.action:
        records = records.filter(action=criteria.action)
    if criteria.object_text:
        text = criteria.object_text
        records = records.filter(Q(object_repr__icontains=text) | Q(object_id=text) | Q(summary__icontains=text))
    return records


@dataclass(frozen=True)
class Page:
    """One page of records, newest first, with the keys of the neighbouring pages (keyset paging)."""

    records: list[AuditRecord]
    newer_than: int | None  # pass as ``after`` for the newer page, or None on the newest page
    older_than: int | None  # pass as ``before`` for the older page, or None on the oldest page

    @property
    def newest_seq(self) -> int | None:
        return self.records[0].seq if self.records else None

    @property
    def oldest_seq(self) -> int | None:
        return self.records[-1].seq if self.records else None


def page_of(records: QuerySet[AuditRecord], *, before: int | None = None, after: int | None = None,
            size: int = PAGE_SIZE) -> Page:
    """A page of ``records`` ordered by ``seq`` descending, seeking on the unique index, not counting.

    ``before`` gives the page of records older than that sequence number, ``after`` the page newer
    than it; neither gives the newest page. Cost does not grow with the page number.
    """
    if after is not None:
        rows = list(records.filter(seq__gt=after).order_by("seq")[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_older = bool(rows) and records.filter(seq__lt=rows[-1].seq).exists()
    else:
        query = records.filter(seq__lt=before) if before is not None else records
        rows = list(query.order_by("-seq")[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = before is not None and bool(rows) and records.filter(seq__gt=rows[0].seq).exists()
    return Page(records=rows, newer_than=rows[0].seq if rows and has_newer else None,
                older_than=rows[-1].seq if rows and has_older else None)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
