"""Demo seals (`zhengtong demo`, after the documents): the platform CA, seals for the units that send in
the demo, applications waiting at each step, and the real seal on the demo documents already past 盖章.

Every seal goes through the lifecycle services (apply → unit head → platform → 保密室 + 信息中心
confirm), acted by the demo district's people. The demo seals' PIN is ``DEMO_PIN`` (published, like
the demo password): the seal keeper types it to seal. The 保密室 custodian is a member of 区保密局.
"""

from __future__ import annotations

import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.demo import data as demo_data
from zhengtong.directory import roles
from zhengtong.directory.models import RoleAssignment, Unit, User
from zhengtong.seals.models import Seal

DEMO_PIN = "258036"
# The units whose seal keepers seal in the demo (the demo unit first); they send documents in the
# exchange demo. Making a seal costs a key, a certificate and an image (~0.3 s), so not all 42.
SEALING_UNITS = [
    demo_data.DEMO_UNIT, "鹤山区财政局", "鹤山区应急管理局", "鹤山区教育局", "中共鹤山区委员会办公室",
    demo_data.OPERATOR_UNIT,
]
CUSTODIAN_UNIT = "鹤山区国家保密局"
CUSTODIAN_DEPARTMENT = "保密技术科"


def make_seal(*, unit: Unit, pin: str, seal_type: str = Seal.Type.OFFICIAL, name: str = "", lower_text: str = "",
              storage: str = Seal.KeyStorage.FILE, token_label: str = "") -> Seal:
    """A seal made straight through the CA, the key store and the image, without an application.

    For benchmarks and tests that need a working seal quickly; people get theirs through
    ``services.lifecycle`` (application, approvals, two confirmations).
    """
    from zhengtong.seals import ca, image, keys

    ca.ensure_ca()
    name = name or unit.name
    label = f"{unit.code}-{seal_type}-{timezone.now():%Y%m%d%H%M%S%f}"
    public_key, key_fields = keys.generate_seal_key(storage=storage, pin=pin, label=label, token_label=token_label)
    certificate = ca.issue_seal_certificate(public_key=public_key, unit=unit, seal_name=name, seal_type=seal_type)
    seal = Seal(unit=unit, seal_type=seal_type, name=name, lower_text=lower_text, key_storage=storage,
                **ca.seal_fields(certificate), **key_fields)
    seal.image.save(f"{label}.png", ContentFile(image.seal_png(name=name, lower_text=lower_text)), save=False)
    seal.save()
    return seal


def _holder(unit: Unit, *codes: str) -> User:
    """The first person (in address-book order) holding one of ``codes`` in ``unit``."""
    for code in codes:
        assignment = (RoleAssignment.objects.filter(unit=unit, role__code=code, user__status=User.Status.ACTIVE)
                      .select_related("user").order_by("user__memberships__sort_order", "user_id").first())
        if assignment is not None:
            return assignment.user
    raise RuntimeError(f"demo: nobody in {unit.name} holds {codes}")


def _custodian() -> User:
    """Appoint the 保密室 custodian: the first member of 区保密局's 保密技术科 (a platform role)."""
    from zhengtong.directory.services import people

    unit = Unit.objects.get(name=CUSTODIAN_UNIT)
    existing = RoleAssignment.objects.filter(role__code=roles.SEAL_CUSTODIAN).select_related("user").first()
    if existing is not None:
        return existing.user
    user = (User.objects.filter(memberships__unit=unit, memberships__department__name=CUSTODIAN_DEPARTMENT,
                                memberships__is_active=True).order_by("memberships__sort_order", "pk").first())
    codes = set(RoleAssignment.objects.filter(user=user, unit=unit).values_list("role__code", flat=True))
    people.set_roles(actor=None, user=user, unit=unit, role_codes=sorted(codes | {roles.SEAL_CUSTODIAN}))
    return user


class _Seals:
    def __init__(self):
        self.operator = User.objects.get(username=next(a.username for a in demo_data.DEMO_ACCOUNTS
                                                       if a.role == roles.PLATFORM_OPERATOR))
        self.custodian = _custodian()

    def apply(self, unit: Unit, *, seal_type: str = Seal.Type.OFFICIAL, reason: str = "", **extra):
        from zhengtong.seals.services import lifecycle

        applicant = _holder(unit, roles.SEAL_KEEPER, roles.UNIT_ADMIN)
        return lifecycle.apply(actor=applicant, unit=unit, action="make", seal_type=seal_type,
                               reason=reason or "因开展电子公文交换和电子公文盖章，申请制作本单位电子印章。",
                               **extra)

    def make(self, unit: Unit, *, stop: str = "done", **extra):
        """Take an application to ``stop``: "head", "operator", "approved", "confirmed_once" or "done"."""
        from zhengtong.seals.services import lifecycle

        application = self.apply(unit, **extra)
        if stop == "head":
            return application
        lifecycle.decide_as_head(actor=_holder(unit, roles.PRINCIPAL_LEADER), application=application, approve=True,
                                 note="同意申请。")
        if stop == "operator":
            return application
        lifecycle.decide_as_operator(actor=self.operator, application=application, approve=True,
                                     note="经审核，同意制作。")
        if stop == "approved":
            return application
        lifecycle.confirm(actor=self.custodian, application=application)
        if stop == "confirmed_once":
            return application
        return lifecycle.confirm(actor=self.operator, application=application, pin=DEMO_PIN)


def seal_for(unit: Unit) -> Seal | None:
    """The unit's active 单位公章 (official seal), or None."""
    return Seal.objects.filter(unit=unit, status=Seal.Status.ACTIVE, seal_type=Seal.Type.OFFICIAL).first()


def seal_document_directly(*, document, seal: Seal, sealed_by: User, when=None) -> None:
    """Apply ``seal`` to a document whose 盖章 step was confirmed before seals existed (demo documents loaded
    earlier): the same PDF signature, a SealUse record, the sealed PDF kept."""
    from zhengtong.seals import keys, signing

    with document.rendered_pdf.open("rb") as handle:
        pdf = handle.read()
    box = document.seal_boxes[0] if document.seal_boxes else None
    with keys.signing(seal, DEMO_PIN) as signer:
        sealed = signing.seal_pdf(pdf=pdf, signer=signer, seal=seal, box=box,
                                  field_name=signing.field_name_for(0, seal.unit.code), certify=True,
                                  reason=seal.unit.name, location=demo_data.DISTRICT)
    when = when or timezone.now()
    document.sealed_pdf.save(f"{document.pk}-sealed.pdf", ContentFile(sealed), save=False)
    document.sealed_at = when
    document.save(update_fields=["sealed_pdf", "sealed_at", "updated_at"])
    from zhengtong.seals.models import SealUse

    SealUse.objects.create(seal=seal, document=document, field_name=signing.field_name_for(0, seal.unit.code),
                           sealed_by=sealed_by, sealed_at=when, sha256_before=signing.sha256(pdf),
                           sha256_after=signing.sha256(sealed), certified=True)


def load_demo(*, result, stdout) -> None:
    """The CA, seals of the sending units, applications at every step, sealed demo documents."""
    from zhengtong.documents.models import Document
    from zhengtong.seals import ca

    started = time.monotonic()
    with transaction.atomic():
        ca.ensure_ca()
        demo = _Seals()
        units = {unit.name: unit for unit in Unit.objects.filter(name__in=SEALING_UNITS + [
            "鹤山区商务局", "鹤山区统计局", "鹤山区卫生健康局", "鹤山区文化和旅游局"])}
        made = 0
        for name in SEALING_UNITS:
            demo.make(units[name])
            made += 1
        # the demo unit also has its 公文专用章; other units wait at each step of the procedure
        demo.make(units[demo_data.DEMO_UNIT], seal_type=Seal.Type.DOCUMENT)
        made += 1
        demo.make(units["鹤山区商务局"], stop="head")
        demo.make(units["鹤山区统计局"], stop="operator")
        demo.make(units["鹤山区卫生健康局"], stop="approved")
        demo.make(units["鹤山区文化和旅游局"], stop="confirmed_once")

        # documents that passed 盖章 before there were seals get the real seal now
        sealed = 0
        past_seal = [Document.Status.SEALED, Document.Status.DISTRIBUTED, Document.Status.ARCHIVED]
        unsealed = Q(sealed_pdf="") | Q(sealed_pdf__isnull=True)
        for document in (Document.objects.filter(unsealed, direction=Document.Direction.OUTGOING,
                                                 status__in=past_seal)
                         .exclude(rendered_pdf="").exclude(rendered_pdf__isnull=True).select_related("unit")
                         .order_by("pk")):
            seal = seal_for(document.unit)
            if seal is None:
                continue
            seal_document_directly(document=document, seal=seal, sealed_by=_holder(document.unit, roles.SEAL_KEEPER))
            sealed += 1
    stdout(_("Electronic seals: %(made)d seals made through the application procedure, 4 applications under way, "
             "%(sealed)d documents sealed; the demo seals' PIN is %(pin)s (%(seconds).0f s)")
           % {"made": made, "sealed": sealed, "pin": DEMO_PIN, "seconds": time.monotonic() - started})


def register() -> None:
    """Called from ``setup_lifecycle.ready()``: the demo seals load after the documents (order 30)."""
    from zhengtong.demo.registry import register_demo_loader

    register_demo_loader("seals", load_demo, order=80)
