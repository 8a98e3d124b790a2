"""Reads of seals and seal applications, scoped to the person asking (a missing right looks like 404).

Who sees what (seed 001 第二十条–第二十五条, seed 004 要求 4–8):

* a unit's system administrator, its 印章管理员 (seal keeper) and its principal leader see the unit's
  seals and applications;
* the platform operator (政务信息中心) and the 保密室 custodian oversee every unit's seals;
* only the unit's seal keeper may use (apply) an active seal.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.conf import settings
from django.db.models import Case, Count, Q, QuerySet, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengtong.audit.models import AuditRecord
from zhengtong.directory import roles
from zhengtong.directory.models import RoleAssignment, Unit
from zhengtong.directory.selectors import is_platform_operator, role_codes_in
from zhengtong.seals.models import Seal, SealApplication, SealUse

# The people of a unit who see its seals: 单位系统管理员, 印章管理员, 主要领导.
SEAL_VIEW_ROLES = frozenset({roles.UNIT_ADMIN, roles.SEAL_KEEPER, roles.PRINCIPAL_LEADER})
# The people of a unit who may apply for a seal, report it lost (申请、挂失).
SEAL_APPLY_ROLES = frozenset({roles.UNIT_ADMIN, roles.SEAL_KEEPER})
# seed 004 要求 8: 电子公章密码要严格保密，并定期修改 — a PIN older than this is flagged.
PIN_CHANGE_DAYS = 90
OPEN_STATUSES = (SealApplication.Status.AWAITING_HEAD, SealApplication.Status.AWAITING_OPERATOR,
                 SealApplication.Status.APPROVED)
MAKING_ACTIONS = (SealApplication.Action.MAKE, SealApplication.Action.CHANGE, SealApplication.Action.REISSUE)


# --- who is who ---------------------------------------------------------------------------------

def is_seal_custodian(user) -> bool:
    """The 保密室 custodian (seed 001 第二十二条): holds the role in an active unit. Superusers do not count."""
    if not getattr(user, "is_authenticated", False):
        return False
    return RoleAssignment.objects.filter(user=user, role__code=roles.SEAL_CUSTODIAN,
                                         unit__status=Unit.Status.ACTIVE).exists()


def oversees_seals(user) -> bool:
    """The platform operator and the 保密室 custodian see every unit's seals."""
    return is_platform_operator(user) or is_seal_custodian(user)


def may_see_unit_seals(user, unit: Unit | None) -> bool:
    if unit is None:
        return False
    return oversees_seals(user) or bool(role_codes_in(user, unit) & SEAL_VIEW_ROLES)


def may_apply(user, unit: Unit | None) -> bool:
    """The unit's system administrator or seal keeper applies for its seals (第二十一条: 本单位提出申请)."""
    if unit is None or not unit.is_active:
        return False
    return bool(role_codes_in(user, unit) & SEAL_APPLY_ROLES)


def may_see_seals(user) -> bool:
    """Whether the 电子印章 navigation item is shown."""
    if not getattr(user, "is_authenticated", False):
        return False
    if oversees_seals(user):
        return True
    return RoleAssignment.objects.filter(user=user, role__code__in=SEAL_VIEW_ROLES,
                                         unit__status=Unit.Status.ACTIVE).exists()


def units_with_seal_view(user) -> QuerySet[Unit]:
    """The units whose seals the person sees as one of its own people (not as overseer)."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    return Unit.objects.filter(role_assignments__user=user,
                               role_assignments__role__code__in=SEAL_VIEW_ROLES).distinct()


# --- seals --------------------------------------------------------------------------------------

def _with_use_counts(qs: QuerySet[Seal]) -> QuerySet[Seal]:
    return qs.select_related("unit").annotate(use_count=Count("uses"))


_TYPE_ORDER = Case(When(seal_type=Seal.Type.OFFICIAL, then=0), When(seal_type=Seal.Type.DOCUMENT, then=1),
                   default=2)
_STATUS_ORDER = Case(When(status=Seal.Status.ACTIVE, then=0), default=1)


def seals_of_unit(unit: Unit) -> QuerySet[Seal]:
    """Every seal a unit has had, in use first (单位公章, 公文专用章, special), with ``use_count``."""
    return _with_use_counts(Seal.objects.filter(unit=unit)).order_by(_STATUS_ORDER, _TYPE_ORDER, "-made_at", "-pk")


def active_seals(unit: Unit) -> QuerySet[Seal]:
    return Seal.objects.filter(unit=unit, status=Seal.Status.ACTIVE).order_by("seal_type", "-made_at", "-pk")


def all_seals(user, *, status: str = "", q: str = "") -> QuerySet[Seal]:
    """The platform's seals for the operator or custodian (others: none), filtered by status and name."""
    if not oversees_seals(user):
        return Seal.objects.none()
    qs = _with_use_counts(Seal.objects.all())
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(unit__name__icontains=q) | Q(unit__short_name__icontains=q)
                       | Q(serial_number__iexact=q.replace(":", "")))
    return qs.order_by("unit__category__sort_order", "unit__sort_order", "unit_id", "status", "seal_type",
                       "-made_at")


def seal_for(user, pk: int) -> Seal:
    """A seal the person may see, or 404."""
    seal = get_object_or_404(_with_use_counts(Seal.objects.all()), pk=pk)
    if not may_see_unit_seals(user, seal.unit):
        raise Http404
    return seal


def usable_seals(user, unit: Unit | None) -> QuerySet[Seal]:
    """The seals the person may apply to documents of ``unit``: its seal keeper, active unexpired seals only."""
    if unit is None or not unit.is_active or roles.SEAL_KEEPER not in role_codes_in(user, unit):
        return Seal.objects.none()
    return active_seals(unit).filter(not_after__gt=timezone.now())


def may_use_seal(user, seal: Seal) -> bool:
    """seed 004 要求 7: only the unit's designated 印章管理员 uses its seal, and only while it is in use."""
    if not seal.is_active or seal.not_after <= timezone.now() or seal.revoked_at is not None:
        return False
    unit = seal.unit
    return unit.is_active and roles.SEAL_KEEPER in role_codes_in(user, unit)


def is_locked(seal: Seal) -> bool:
    """Too many wrong PINs in a row: the seal is locked until the platform operator unlocks it."""
    return seal.failed_pin_attempts >= settings.SEAL_MAX_PIN_FAILURES


def uses_of(seal: Seal, *, limit: int = 50) -> list[SealUse]:
    return list(seal.uses.select_related("document", "sealed_by").order_by("-sealed_at", "-pk")[:limit])


def pin_changed_at(seal: Seal) -> datetime.datetime:
    """When the seal's PIN was last set: its last PIN change, else when it was made."""
    last = (AuditRecord.objects.filter(object_type="seals.seal", object_id=str(seal.pk),
                                       action="seals.seal.change_pin")
            .order_by("-seq").values_list("occurred_at", flat=True).first())
    return last or seal.made_at


def pin_change_due(seal: Seal, *, now: datetime.datetime | None = None) -> bool:
    """seed 004 要求 8: 定期修改 — the PIN of a seal in use is older than PIN_CHANGE_DAYS."""
    if not seal.is_active:
        return False
    now = now or timezone.now()
    return now - pin_changed_at(seal) > datetime.timedelta(days=PIN_CHANGE_DAYS)


def history_of(seal: Seal) -> QuerySet[AuditRecord]:
    """The audit records of the seal and of the applications that made or concern it, newest first."""
    application_ids = set(SealApplication.objects.filter(Q(seal=seal) | Q(result_seal=seal))
                          .values_list("pk", flat=True))
    return (AuditRecord.objects
            .filter(Q(object_type="seals.seal", object_id=str(seal.pk))
                    | Q(object_type="seals.sealapplication", object_id__in=[str(pk) for pk in application_ids]))
            .order_by("-seq"))


@dataclass(frozen=True)
class CertificateDetails:
    subject: str
    issuer: str
    serial_hex: str
    not_before: datetime.datetime
    not_after: datetime.datetime
    key_description: str
    sha256: str  # colon-separated upper-case pairs, as certificate viewers show it
    sha1: str
    key_usage: list[str]
    crl_urls: list[str]


_KEY_USAGE_LABELS = {
    "digital_signature": _("Digital signature"),
    "content_commitment": _("Non-repudiation"),
    "key_encipherment": _("Key encipherment"),
    "data_encipherment": _("Data encipherment"),
    "key_agreement": _("Key agreement"),
    "key_cert_sign": _("Certificate signing"),
    "crl_sign": _("CRL signing"),
}


def _colon_hex(data: bytes) -> str:
    return ":".join(f"{byte:02X}" for byte in data)


_NAME_LABELS = {x509.NameOID.SERIAL_NUMBER: "serialNumber",
                x509.NameOID.ORGANIZATION_IDENTIFIER: "organizationIdentifier",
                x509.NameOID.EMAIL_ADDRESS: "emailAddress"}


def _name(name: x509.Name) -> str:
    return name.rfc4514_string(_NAME_LABELS)


def certificate_details(seal: Seal) -> CertificateDetails:
    """The fields of the seal's certificate a person checks (主题、颁发者、序列号、有效期、指纹…)."""
    cert = x509.load_pem_x509_certificate(seal.certificate_pem.encode())
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        key_description = f"RSA {key.key_size}"
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key_description = f"ECDSA {key.curve.name}"
    else:
        key_description = type(key).__name__
    usages = []
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        for attr, label in _KEY_USAGE_LABELS.items():
            try:
                if getattr(usage, attr):
                    usages.append(str(label))
            except ValueError:
                continue
    except x509.ExtensionNotFound:
        pass
    crl_urls = []
    try:
        points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        for point in points:
            for name in point.full_name or ():
                if isinstance(name, x509.UniformResourceIdentifier):
                    crl_urls.append(name.value)
    except x509.ExtensionNotFound:
        pass
    der = cert.public_bytes(serialization.Encoding.DER)
    return CertificateDetails(
        subject=_name(cert.subject), issuer=_name(cert.issuer), serial_hex=f"{cert.serial_number:X}",
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
        key_description=key_description, sha256=_colon_hex(hashlib.sha256(der).digest()),
        sha1=_colon_hex(hashlib.sha1(der).digest()),  # noqa: S324 — shown only, as viewers do
        key_usage=usages, crl_urls=crl_urls)


# --- applications -------------------------------------------------------------------------------

def applications_for(user) -> QuerySet[SealApplication]:
    """Applications the person sees: every one for the operator and custodian, else their units' own."""
    qs = SealApplication.objects.select_related("unit", "seal", "applicant", "result_seal")
    if oversees_seals(user):
        return qs
    return qs.filter(unit__in=units_with_seal_view(user))


def application_for(user, pk: int) -> SealApplication:
    """An application the person may see, or 404."""
    return get_object_or_404(applications_for(user), pk=pk)


def open_application_for(seal: Seal) -> SealApplication | None:
    """The open application that concerns ``seal`` (there is at most one)."""
    return SealApplication.objects.filter(seal=seal, status__in=OPEN_STATUSES).order_by("-pk").first()


def queue_for(user) -> QuerySet[SealApplication]:
    """The applications waiting for this person (待办): the head's approval, the operator's approval, or
    a confirmation by the operator or the custodian who has not confirmed yet."""
    if not getattr(user, "is_authenticated", False):
        return SealApplication.objects.none()
    waiting = Q(status=SealApplication.Status.AWAITING_HEAD,
                unit__in=Unit.objects.filter(role_assignments__user=user,
                                             role_assignments__role__code=roles.PRINCIPAL_LEADER))
    if is_platform_operator(user):
        waiting |= Q(status=SealApplication.Status.AWAITING_OPERATOR)
        waiting |= (Q(status=SealApplication.Status.APPROVED, operator_confirmed_by__isnull=True)
                    & ~Q(custodian_confirmed_by=user))
    if is_seal_custodian(user):
        waiting |= (Q(status=SealApplication.Status.APPROVED, custodian_confirmed_by__isnull=True)
                    & ~Q(operator_confirmed_by=user))
    return (SealApplication.objects.select_related("unit", "seal", "applicant").filter(waiting)
            .exclude(applicant=user, status=SealApplication.Status.AWAITING_HEAD)
            .order_by("applied_at", "pk"))


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str  # "done", "current", "refused", "waiting", "skipped"
    who: object = None
    at: datetime.datetime | None = None


def steps_of(application: SealApplication) -> list[Step]:
    """The steps of an application for its page: 申请 → 本单位负责人 → 平台审批 → 保密室确认 + 信息中心确认."""
    S = SealApplication.Status
    status = application.status
    refused = status == S.REFUSED
    ended = status in (S.REFUSED, S.WITHDRAWN)

    def state(done: bool, current: bool) -> str:
        if done:
            return "done"
        if current:
            return "refused" if refused else "current"
        return "skipped" if ended else "waiting"

    refused_by_operator = refused and application.operator_decided_at is not None
    refused_by_head = refused and not refused_by_operator
    steps = [
        Step("apply", str(_("Applied")), "done", application.applicant, application.applied_at),
        Step("head", str(_("Unit head's approval")),
             state(application.head_decided_at is not None and not refused_by_head,
                   status == S.AWAITING_HEAD or refused_by_head),
             application.head_decided_by, application.head_decided_at),
        Step("operator", str(_("Platform approval")),
             state(application.operator_decided_at is not None and not refused_by_operator,
                   status == S.AWAITING_OPERATOR or refused_by_operator),
             application.operator_decided_by, application.operator_decided_at),
    ]
    if application.action in MAKING_ACTIONS:
        steps.append(Step("custodian", str(_("Confirmed by the 保密室 custodian")),
                          state(application.custodian_confirmed_at is not None, status == S.APPROVED),
                          application.custodian_confirmed_by, application.custodian_confirmed_at))
        steps.append(Step("operator_confirm", str(_("Confirmed by the 信息中心 operator")),
                          state(application.operator_confirmed_at is not None, status == S.APPROVED),
                          application.operator_confirmed_by, application.operator_confirmed_at))
    steps.append(Step("done", str(_("Done")), "done" if status == S.DONE else ("skipped" if ended else "waiting"),
                      None, application.finished_at if status == S.DONE else None))
    return steps
