"""Every read of documents that is scoped to a person or a unit; a missing right looks like 404.

Visibility (seed 004 三): a document is visible to the people of its unit who take part in it (the
drafter; candidates and actors of its work items; people it was distributed to) and to that unit's
clerks, checkers, leaders and administrators; to a co-issuing unit's people who take part in it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from zhengtong.directory import selectors as directory_selectors
from zhengtong.directory.models import Unit
from zhengtong.documents.models import (
    Attachment,
    Distribution,
    Document,
    DocumentVersion,
    IssuedNumber,
    NumberRegister,
    RedHeaderTemplate,
)
from zhengtong.documents.services._common import (
    OFFICER_ROLES,
    is_member,
    is_officer,
    is_unit_admin,
    may_edit_document,
    may_take_numbers,
    participant_document_ids,
)

__all__ = [
    "LedgerFilter", "attachment_for", "can_draft", "document_for", "documents_visible_to", "incoming_ledger",
    "is_officer", "is_unit_admin", "issued_number_for", "issued_numbers", "may_edit_document",
    "may_manage_registers", "may_see_ledgers", "may_take_numbers", "outgoing_ledger", "red_header_choices",
    "red_header_for", "red_headers_of", "register_for_admin", "registers_of", "version_for", "versions_of",
]


def _participant_q(user) -> Q:
    return (Q(drafter=user) | Q(pk__in=participant_document_ids(user))
            | Q(pk__in=_distributed_ids(user)))


def _distributed_ids(user):
    return Distribution.objects.filter(recipient=user).values("document_id")


def _visible_q(user, units: list[Unit]) -> Q:
    """Documents of ``units`` (their own or co-issued) that ``user`` may see."""
    officer_units = [unit.pk for unit in units
                     if directory_selectors.role_codes_in(user, unit) & OFFICER_ROLES]
    unit_ids = [unit.pk for unit in units]
    participates = _participant_q(user)
    return (Q(unit_id__in=officer_units)
            | (Q(unit_id__in=unit_ids) & participates)
            | (Q(co_issuers__unit_id__in=unit_ids) & participates))


def documents_visible_to(user, unit: Unit) -> QuerySet[Document]:
    """The documents the person sees while working in ``unit`` (nothing outside their own units)."""
    if not is_member(user, unit):
        return Document.objects.none()
    return Document.objects.filter(_visible_q(user, [unit])).distinct().select_related("unit", "drafter")


def document_for(user, pk) -> Document:
    """One document the person may see in any unit they work in, or 404."""
    if not (user and user.is_authenticated):
        raise Http404
    units = list(directory_selectors.units_of(user))
    if not units:
        raise Http404
    ids = Document.objects.filter(_visible_q(user, units)).filter(pk=pk).values("pk")
    return get_object_or_404(Document.objects.select_related("unit", "drafter", "current_version",
                                                             "red_header", "drafting_department"), pk__in=ids)


def versions_of(document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("saved_by").order_by("-seq")


def version_for(document: Document, seq) -> DocumentVersion:
    return get_object_or_404(DocumentVersion.objects.select_related("saved_by"), document=document, seq=seq)


def attachment_for(document: Document, pk) -> Attachment:
    return get_object_or_404(Attachment, document=document, pk=pk)


def can_draft(user, unit: Unit | None) -> bool:
    return unit is not None and is_member(user, unit)


def may_see_ledgers(user, unit: Unit | None) -> bool:
    """The 发文/收文登记簿 are kept by the unit's clerks and read by its checkers, leaders and admins."""
    return unit is not None and is_officer(user, unit)


def may_manage_registers(user, unit: Unit | None) -> bool:
    return unit is not None and is_unit_admin(user, unit)


# --- ledgers (登记簿) ----------------------------------------------------------------------------

@dataclass
class LedgerFilter:
    """The search of a ledger page: the year and optional number, title, source unit, dates and kind."""

    year: int
    q: str = ""
    number: str = ""
    source: str = ""
    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _require_ledger(user, unit) -> None:
    if not may_see_ledgers(user, unit):
        raise Http404


def outgoing_ledger(user, unit: Unit, search: LedgerFilter) -> QuerySet[Document]:
    """发文登记簿 (seed 000 公文通知接收登记表; seed 001): the year's numbered documents in number order.

    As on the paper ledger, a document is entered when it takes its number (编号); documents still in
    review are on the processing lists, not here.
    """
    _require_ledger(user, unit)
    qs = (Document.objects.filter(unit=unit, direction=Document.Direction.OUTGOING,
                                  issued_number__isnull=False, issued_number__year=search.year)
          .select_related("issued_number", "drafter", "drafting_department", "unit"))
    if search.q:
        qs = qs.filter(Q(title__icontains=search.q) | Q(number__icontains=search.q))
    if search.number:
        qs = qs.filter(number__icontains=search.number)
    if search.kind:
        qs = qs.filter(kind=search.kind)
    if search.source:
        qs = qs.filter(main_recipients__icontains=search.source)
    if search.date_from:
        qs = qs.filter(document_date__gte=search.date_from)
    if search.date_to:
        qs = qs.filter(document_date__lte=search.date_to)
    return qs.order_by("issued_number__register_id", "issued_number__seq", "pk")


def incoming_ledger(user, unit: Unit, search: LedgerFilter) -> QuerySet[Document]:
    """收文登记簿 (seed 000; seed 001 第七章): the year's received documents by 收文编号."""
    _require_ledger(user, unit)
    qs = (Document.objects.filter(unit=unit, direction=Document.Direction.INCOMING, incoming_year=search.year)
          .select_related("lead_department", "received_by", "unit"))
    if search.q:
        qs = qs.filter(Q(title__icontains=search.q) | Q(source_number__icontains=search.q)
                       | Q(source_unit_name__icontains=search.q))
    if search.number:
        qs = qs.filter(source_number__icontains=search.number)
    if search.source:
        qs = qs.filter(source_unit_name__icontains=search.source)
    if search.kind:
        qs = qs.filter(kind=search.kind)
    if search.date_from:
        qs = qs.filter(received_at__date__gte=search.date_from)
    if search.date_to:
        qs = qs.filter(received_at__date__lte=search.date_to)
    return qs.order_by("incoming_seq", "pk")


# --- registers and templates ----------------------------------------------------------------------

def registers_of(user, unit: Unit) -> QuerySet[NumberRegister]:
    if not may_manage_registers(user, unit):
        raise Http404
    return NumberRegister.objects.filter(unit=unit).order_by("-is_active", "name", "pk")


def register_for_admin(user, pk) -> NumberRegister:
    """A register of a unit the person administers, or 404."""
    register = get_object_or_404(NumberRegister.objects.select_related("unit"), pk=pk)
    if not may_manage_registers(user, register.unit):
        raise Http404
    return register


def issued_numbers(register: NumberRegister, year: int) -> QuerySet[IssuedNumber]:
    return (register.issued.filter(year=year).select_related("document", "taken_by", "voided_by")
            .order_by("-seq"))


def issued_number_for(user, pk) -> IssuedNumber:
    issued = get_object_or_404(IssuedNumber.objects.select_related("register__unit", "document"), pk=pk)
    if not (may_manage_registers(user, issued.register.unit) or may_take_numbers(user, issued.register.unit)):
        raise Http404
    return issued


def red_headers_of(user, unit: Unit) -> QuerySet[RedHeaderTemplate]:
    if not may_manage_registers(user, unit):
        raise Http404
    return RedHeaderTemplate.objects.filter(unit=unit)


def red_header_for(user, pk) -> RedHeaderTemplate:
    template = get_object_or_404(RedHeaderTemplate.objects.select_related("unit"), pk=pk)
    if not may_manage_registers(user, template.unit):
        raise Http404
    return template


def red_header_choices(unit: Unit) -> QuerySet[RedHeaderTemplate]:
    """Templates a drafter of the unit may pick (not scoped further: any member drafts)."""
    return RedHeaderTemplate.objects.filter(unit=unit).order_by("-is_default", "name")
