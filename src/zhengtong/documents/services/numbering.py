"""Document numbers (发文字号) from number registers (文号登记簿), and their voiding.

条例 第九条(四): 发文字号由发文机关代字、年份、发文顺序号组成。年份、发文顺序号用阿拉伯数字标注；年份应标全称，
用六角括号"〔〕"括入；发文顺序号不加"第"字，不编虚位（即 1 不编为 01），在阿拉伯数字后加"号"字。
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory.models import Unit
from zhengtong.documents.exceptions import DocumentInvalid, DocumentPermissionDenied
from zhengtong.documents.models import Document, IssuedNumber, Kind, NumberRegister
from zhengtong.documents.services._common import holds_open_item, may_take_numbers, require_unit_admin

DEFAULT_REGISTER_NAME = "发文"


def format_number(prefix: str, year: int, seq: int) -> str:
    """鹤农发〔2026〕12号: 六角括号, the full year, no 第 and no leading zeros (条例 第九条(四))."""
    return f"{prefix}〔{year}〕{seq}号"


def default_register(unit: Unit) -> NumberRegister:
    """The unit's general 发文 register (prefix 机关代字 + 发, e.g. 鹤农发), created on first use."""
    prefix = f"{unit.document_prefix or unit.short_name or unit.name}发"
    register, _created = NumberRegister.objects.get_or_create(
        unit=unit, prefix=prefix, defaults={"name": DEFAULT_REGISTER_NAME, "kinds": []})
    return register


def register_for(document: Document) -> NumberRegister:
    """The active register serving the document's kind, else the unit's default 发文 register."""
    for register in NumberRegister.objects.filter(unit=document.unit, is_active=True).order_by("pk"):
        if document.kind in (register.kinds or []):
            return register
    return default_register(document.unit)


def _number_year(document: Document) -> int:
    return (document.document_date or timezone.localdate()).year


def _require_number_taker(actor, document: Document) -> None:
    if not (may_take_numbers(actor, document.unit) or holds_open_item(actor, document)):
        raise DocumentPermissionDenied(_("Only the unit's clerks, checkers and administrators take document "
                                         "numbers."))


@transaction.atomic
def take_number(*, actor, document: Document, register: NumberRegister | None = None) -> IssuedNumber:
    """Give the document the next number of its register (编号); a numbered document keeps its number.

    The register row is locked (``select_for_update``; on SQLite the IMMEDIATE transaction serialises
    writers), so numbers run without gap or duplicate however many are taken at once. Each year starts
    at 1; a voided number is never given again (its row stays).
    """
    document = Document.objects.select_for_update().select_related("unit").get(pk=document.pk)
    _require_number_taker(actor, document)
    if document.direction != Document.Direction.OUTGOING:
        raise DocumentInvalid(_("Only outgoing documents get a document number."))
    if document.status in (Document.Status.CANCELLED, Document.Status.ARCHIVED):
        raise DocumentInvalid(_("A cancelled or archived document gets no number."))
    if document.issued_number_id:
        issued = IssuedNumber.objects.get(pk=document.issued_number_id)
        if issued.status == IssuedNumber.Status.ISSUED:
            return issued
    if register is None:
        register = register_for(document)
    register = NumberRegister.objects.select_for_update().get(pk=register.pk)
    if register.unit_id != document.unit_id:
        raise DocumentInvalid(_("The number register belongs to another unit."))
    if not register.is_active:
        raise DocumentInvalid(_("The number register %(name)s is closed.") % {"name": register.name})
    year = _number_year(document)
    last = IssuedNumber.objects.filter(register=register, year=year).aggregate(last=Max("seq"))["last"] or 0
    issued = IssuedNumber.objects.create(register=register, year=year, seq=last + 1,
                                         text=format_number(register.prefix, year, last + 1), document=document,
                                         taken_by=actor)
    document.number = issued.text
    document.issued_number = issued
    document.save(update_fields=["number", "issued_number", "updated_at"])
    audit.record(actor=actor, action="documents.number.take", obj=issued, unit=document.unit,
                 summary=_("Took the number %(number)s for %(title)s") % {"number": issued.text,
                                                                          "title": document.title},
                 changes={"document": document.pk, "register": register.prefix, "year": year, "seq": issued.seq})
    return issued


@transaction.atomic
def void_number(*, actor, issued: IssuedNumber, reason: str) -> IssuedNumber:
    """Void a number (作废) with its reason: it is kept in the register and never given again.

    The document loses its number; a document that was only numbered goes back to signed off.
    """
    issued = IssuedNumber.objects.select_for_update().select_related("register__unit").get(pk=issued.pk)
    unit = issued.register.unit
    if not may_take_numbers(actor, unit):
        raise DocumentPermissionDenied(_("Only the unit's clerks, checkers and administrators void numbers."))
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise DocumentInvalid(_("Give the reason for voiding the number."))
    if issued.status == IssuedNumber.Status.VOIDED:
        raise DocumentInvalid(_("The number %(number)s is already void.") % {"number": issued.text})
    issued.status = IssuedNumber.Status.VOIDED
    issued.void_reason = reason[:200]
    issued.voided_by = actor
    issued.voided_at = timezone.now()
    issued.save(update_fields=["status", "void_reason", "voided_by", "voided_at"])
    if issued.document_id:
        document = Document.objects.select_for_update().get(pk=issued.document_id)
        if document.issued_number_id == issued.pk:
            document.number = ""
            document.issued_number = None
            if document.status == Document.Status.NUMBERED:
                document.status = Document.Status.SIGNED_OFF
            document.save(update_fields=["number", "issued_number", "status", "updated_at"])
    audit.record(actor=actor, action="documents.number.void", obj=issued, unit=unit,
                 summary=_("Voided the number %(number)s: %(reason)s") % {"number": issued.text, "reason": reason},
                 changes={"reason": reason, "document": issued.document_id})
    return issued


def _clean_register(*, unit: Unit, name: str, prefix: str, kinds, exclude_pk=None) -> tuple[str, str, list[str]]:
    problems = []
    name, prefix = " ".join(str(name or "").split()), "".join(str(prefix or "").split())
    kinds = list(dict.fromkeys(kinds or []))
    if not name:
        problems.append(_("Enter the name of the register."))
    if not prefix:
        problems.append(_("Enter the prefix (机关代字), for example 鹤农发."))
    elif any(char in prefix for char in "〔〕[]()（）第号0123456789"):
        problems.append(_("The prefix is only the 机关代字, without year, brackets or number."))
    if any(kind not in Kind.values for kind in kinds):
        problems.append(_("Choose kinds from the 15 kinds of official document."))
    if prefix and NumberRegister.objects.filter(unit=unit, prefix=prefix).exclude(pk=exclude_pk).exists():
        problems.append(_("The unit already has a register with the prefix %(prefix)s.") % {"prefix": prefix})
    if problems:
        raise DocumentInvalid(problems)
    return name, prefix, kinds


@transaction.atomic
def create_register(*, actor, unit: Unit, name: str, prefix: str, kinds=None) -> NumberRegister:
    """Add a number register (文号登记簿) to the unit, e.g. 局函 with prefix 鹤农函 for 函."""
    require_unit_admin(actor, unit)
    name, prefix, kinds = _clean_register(unit=unit, name=name, prefix=prefix, kinds=kinds)
    register = NumberRegister.objects.create(unit=unit, name=name, prefix=prefix, kinds=kinds)
    audit.record(actor=actor, action="documents.register.create", obj=register, unit=unit,
                 summary=_("Added the number register %(name)s (%(prefix)s)") % {"name": name, "prefix": prefix})
    return register


@transaction.atomic
def update_register(*, actor, register: NumberRegister, name: str, prefix: str, kinds=None,
                    is_active: bool = True) -> NumberRegister:
    """Change a register; its prefix is fixed once numbers have been taken from it."""
    register = NumberRegister.objects.select_for_update().select_related("unit").get(pk=register.pk)
    require_unit_admin(actor, register.unit)
    name, prefix, kinds = _clean_register(unit=register.unit, name=name, prefix=prefix, kinds=kinds,
                                          exclude_pk=register.pk)
    if prefix != register.prefix and register.issued.exists():
        raise DocumentInvalid(_("Numbers have been taken from this register, so its prefix cannot change; "
                                "close it and add a new register instead."))
    fields = ["name", "prefix", "kinds", "is_active"]
    before = audit.snapshot(register, fields)
    register.name, register.prefix, register.kinds, register.is_active = name, prefix, kinds, bool(is_active)
    register.save()
    audit.record(actor=actor, action="documents.register.update", obj=register, unit=register.unit,
                 summary=_("Changed the number register %(name)s") % {"name": name},
                 changes=audit.diff(register, before, fields))
    return register
