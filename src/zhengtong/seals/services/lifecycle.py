"""The life of an electronic seal (电子印章): apply, approve, make with two confirmations, change, reissue,
revoke, report lost, end with the unit, change the PIN.

seed 001 第二十条–第二十五条: the platform (政务信息中心) makes, changes and destroys seals; a unit applies in
writing with its head's signature (第二十一条), the platform approves; making, changing or destroying a seal
needs the 保密室 (which keeps the crypto device, 第二十二条) and the 信息中心 present together with the unit's
person (第二十三条): here two different people confirm, and the unit's 印章管理员 types the initial PIN.
seed 004 要求 4–8: only the platform makes seals; the seal is kept like the physical one by a designated
person; its PIN is secret and changed regularly.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory.models import User, Unit
from zhengtong.directory.selectors import is_platform_operator, role_codes_in
from zhengtong.notifications.services import notify
from zhengtong.seals import ca, image, keys
from zhengtong.seals import selectors
from zhengtong.seals.exceptions import SealInvalid, SealPermissionDenied
from zhengtong.seals.models import Seal, SealApplication

logger = logging.getLogger("zhengtong.seals")

Action = SealApplication.Action
Status = SealApplication.Status
Reason = Seal.RevocationReason

# 国发〔1999〕25号: a special-purpose seal shows its purpose below the star; the 公文专用章 says so.
DEFAULT_LOWER_TEXT = {Seal.Type.DOCUMENT: "公文专用章"}
# A unit has one 单位公章 and one 公文专用章 in use at a time; special seals differ by their text.
ONE_PER_UNIT = (Seal.Type.OFFICIAL, Seal.Type.DOCUMENT)
NOTICE_CATEGORY = "seals"


# --- helpers ------------------------------------------------------------------------------------

def _people_with_platform_role(*codes: str) -> QuerySet[User]:
    return User.objects.filter(role_assignments__role__code__in=codes,
                               role_assignments__unit__status=Unit.Status.ACTIVE,
                               status=User.Status.ACTIVE).distinct()


def operators() -> QuerySet[User]:
    """The platform operators (政务信息中心)."""
    return _people_with_platform_role(roles.PLATFORM_OPERATOR)


def custodians() -> QuerySet[User]:
    """The 保密室 custodians."""
    return _people_with_platform_role(roles.SEAL_CUSTODIAN)


def _people_of(unit: Unit, codes) -> QuerySet[User]:
    return User.objects.filter(role_assignments__unit=unit, role_assignments__role__code__in=list(codes),
                               status=User.Status.ACTIVE).distinct()


def _notify(*, recipients, title: str, body: str = "", url: str = "", urgent: bool = False, unit=None,
            key: str = "") -> None:
    """Tell people in the portal (and by e-mail/SMS per their preferences), in the caller's transaction."""
    notify(recipients=recipients, category=NOTICE_CATEGORY, title=title, body=body, url=url, urgent=urgent,
               unit=unit, key=key)


def _application_url(application: SealApplication) -> str:
    return reverse("seals:application", args=[application.pk])


def _seal_url(seal: Seal) -> str:
    return reverse("seals:detail", args=[seal.pk])


def _locked_application(application: SealApplication) -> SealApplication:
    return (SealApplication.objects.select_for_update(of=("self",)).select_related("unit", "seal")
            .get(pk=application.pk))


def _locked_seal(seal: Seal) -> Seal:
    return Seal.objects.select_for_update(of=("self",)).select_related("unit").get(pk=seal.pk)


def _label(application: SealApplication) -> str:
    return _("%(unit)s: %(action)s") % {"unit": application.unit.name, "action": application.get_action_display()}


# --- applying (第二十一条) ------------------------------------------------------------------------

@transaction.atomic
def apply(*, actor, unit: Unit, action: str, seal_type: str = Seal.Type.OFFICIAL, reason: str,
          seal: Seal | None = None, seal_name: str = "", lower_text: str = "",
          key_storage: str = Seal.KeyStorage.FILE) -> SealApplication:
    """A unit applies to make, change, reissue or revoke one of its seals (seed 001 第二十一条: 书面申请).

    The unit's system administrator or 印章管理员 applies with a reason (the written application, or for a
    reissue the written proof of loss or damage, 第二十五条). Change, reissue and revoke name a seal of the
    unit: an active one, or for a reissue one revoked as lost. The application then waits for the unit
    head (本单位负责人同意并签字).
    """
    if not selectors.may_apply(actor, unit):
        raise SealPermissionDenied(_("Only the unit's system administrator or seal keeper may apply for its "
                                     "seals."))
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    seal_name = (seal_name or "").strip()
    lower_text = (lower_text or "").strip()
    if not reason:
        errors["reason"] = [_("Give the reason for the application (the written application or proof).")]
    if action not in Action.values:
        raise SealInvalid({"action": [_("Choose what the application is for.")]})
    if key_storage not in Seal.KeyStorage.values:
        errors["key_storage"] = [_("Choose where the seal's key is kept.")]
    if len(seal_name) > 120:
        errors["seal_name"] = [_("The seal name is at most 120 characters.")]
    if len(lower_text) > 20:
        errors["lower_text"] = [_("The text below the star is at most 20 characters.")]

    if action == Action.MAKE:
        seal = None
        if seal_type not in Seal.Type.values:
            errors["seal_type"] = [_("Choose the type of seal.")]
        else:
            seal_name = seal_name or unit.name
            lower_text = lower_text or DEFAULT_LOWER_TEXT.get(seal_type, "")
            if seal_type == Seal.Type.SPECIAL and not lower_text:
                errors["lower_text"] = [_("A special seal shows its purpose below the star, e.g. 合同专用章.")]
            active = selectors.active_seals(unit).filter(seal_type=seal_type)
            if seal_type == Seal.Type.SPECIAL:
                active = active.filter(lower_text=lower_text)
            if active.exists():
                errors["seal_type"] = [_("The unit already has such a seal in use: apply to change or reissue it "
                                         "instead.")]
            pending = SealApplication.objects.filter(unit=unit, action=Action.MAKE, seal_type=seal_type,
                                                     lower_text=lower_text, status__in=selectors.OPEN_STATUSES)
            if pending.exists():
                errors["seal_type"] = [_("An application for such a seal is already under way.")]
    else:
        if seal is None or seal.unit_id != unit.pk:
            raise SealInvalid({"seal": [_("Choose one of the unit's seals.")]})
        lost = seal.status == Seal.Status.REVOKED and seal.revocation_reason == Reason.LOST
        if not (seal.is_active or (action == Action.REISSUE and lost)):
            errors["seal"] = [_("The seal %(seal)s is no longer in use.") % {"seal": seal.name}]
        elif action == Action.REISSUE and lost and Seal.objects.filter(replaces=seal).exists():
            errors["seal"] = [_("The seal %(seal)s has already been reissued.") % {"seal": seal.name}]
        if selectors.open_application_for(seal) is not None:
            errors["seal"] = [_("An application concerning this seal is already under way.")]
        seal_type = seal.seal_type
        if action == Action.CHANGE:
            # 第二十五条: 因单位名称变更…需要变更资料 — by default the seal takes the unit's present name.
            seal_name = seal_name or unit.name
            lower_text = lower_text or seal.lower_text
        elif action == Action.REISSUE:
            seal_name, lower_text = seal.name, seal.lower_text
        else:
            seal_name, lower_text, key_storage = seal.name, seal.lower_text, seal.key_storage
    if errors:
        raise SealInvalid(errors)

    application = SealApplication.objects.create(
        unit=unit, action=action, seal_type=seal_type, seal_name=seal_name, lower_text=lower_text,
        key_storage=key_storage, seal=seal, reason=reason, status=Status.AWAITING_HEAD, applicant=actor)
    audit.record(actor=actor, action="seals.application.apply", obj=application, unit=unit,
                 summary=_("Applied: %(what)s") % {"what": _label(application)},
                 changes={"action": action, "seal_type": seal_type, "seal_name": seal_name,
                          "lower_text": lower_text, "key_storage": key_storage,
                          "seal": seal.pk if seal else None, "reason": reason})
    _notify(recipients=_people_of(unit, [roles.PRINCIPAL_LEADER]).exclude(pk=actor.pk),
            title=_("A seal application awaits your approval: %(what)s") % {"what": _label(application)},
            body=reason, url=_application_url(application), unit=unit, key=f"seal-application-{application.pk}-head")
    return application


@transaction.atomic
def withdraw(*, actor, application: SealApplication, note: str = "") -> SealApplication:
    """The unit withdraws its application before the seal is made (its applicant, admin or seal keeper)."""
    application = _locked_application(application)
    if not selectors.may_apply(actor, application.unit) and actor.pk != application.applicant_id:
        raise SealPermissionDenied(_("Only the unit that applied may withdraw the application."))
    if application.status not in selectors.OPEN_STATUSES:
        raise SealInvalid(_("This application is no longer open."))
    application.status, application.finished_at = Status.WITHDRAWN, timezone.now()
    if note.strip():
        application.decision_note = note.strip()
    application.save(update_fields=["status", "finished_at", "decision_note"])
    audit.record(actor=actor, action="seals.application.withdraw", obj=application, unit=application.unit,
                 summary=_("Withdrew the application: %(what)s") % {"what": _label(application)},
                 changes={"status": [None, Status.WITHDRAWN], "note": note.strip()})
    return application


# --- approving ----------------------------------------------------------------------------------

@transaction.atomic
def decide_as_head(*, actor, application: SealApplication, approve: bool, note: str = "") -> SealApplication:
    """The unit's principal leader approves or refuses (第二十一条: 经本单位负责人同意并签字).

    A refusal needs a reason. The head cannot approve an application they made themselves.
    """
    application = _locked_application(application)
    unit = application.unit
    if roles.PRINCIPAL_LEADER not in role_codes_in(actor, unit):
        raise SealPermissionDenied(_("Only the unit's principal leader approves its seal applications."))
    if application.status != Status.AWAITING_HEAD:
        raise SealInvalid(_("This application is not waiting for the unit head."))
    if actor.pk == application.applicant_id:
        raise SealPermissionDenied(_("You made this application: another person must approve it."))
    note = (note or "").strip()
    if not approve and not note:
        raise SealInvalid({"note": [_("Give the reason for refusing.")]})
    now = timezone.now()
    application.head_decided_by, application.head_decided_at = actor, now
    application.decision_note = note
    if approve:
        application.status = Status.AWAITING_OPERATOR
    else:
        application.status, application.finished_at = Status.REFUSED, now
    application.save(update_fields=["head_decided_by", "head_decided_at", "decision_note", "status",
                                    "finished_at"])
    audit.record(actor=actor, action="seals.application.head_approve" if approve else "seals.application.head_refuse",
                 obj=application, unit=unit,
                 summary=(_("The unit head approved: %(what)s") if approve else _("The unit head refused: %(what)s"))
                 % {"what": _label(application)},
                 changes={"status": [Status.AWAITING_HEAD, application.status], "note": note})
    if approve:
        _notify(recipients=operators(), title=_("A seal application awaits the platform's approval: %(what)s")
                % {"what": _label(application)}, body=application.reason, url=_application_url(application),
                unit=unit, key=f"seal-application-{application.pk}-operator")
    else:
        _notify(recipients=[application.applicant], title=_("Your seal application was refused: %(what)s")
                % {"what": _label(application)}, body=note, url=_application_url(application), unit=unit)
    return application


@transaction.atomic
def decide_as_operator(*, actor, application: SealApplication, approve: bool, note: str = "") -> SealApplication:
    """The platform operator approves or refuses (第二十一条: 报批审核). Approving a revocation revokes at once;
    making, changing or reissuing then waits for the two confirmations (第二十三条)."""
    if not is_platform_operator(actor):
        raise SealPermissionDenied(_("Only the platform operator approves seal applications."))
    application = _locked_application(application)
    if application.status != Status.AWAITING_OPERATOR:
        raise SealInvalid(_("This application is not waiting for the platform's approval."))
    note = (note or "").strip()
    if not approve and not note:
        raise SealInvalid({"note": [_("Give the reason for refusing.")]})
    now = timezone.now()
    unit = application.unit
    application.operator_decided_by, application.operator_decided_at = actor, now
    if note:
        application.decision_note = note
    if not approve:
        application.status, application.finished_at = Status.REFUSED, now
    elif application.action == Action.REVOKE:
        application.status, application.finished_at = Status.DONE, now
    else:
        application.status = Status.APPROVED
    application.save(update_fields=["operator_decided_by", "operator_decided_at", "decision_note", "status",
                                    "finished_at"])
    audit.record(actor=actor,
                 action="seals.application.operator_approve" if approve else "seals.application.operator_refuse",
                 obj=application, unit=unit,
                 summary=(_("The platform approved: %(what)s") if approve else _("The platform refused: %(what)s"))
                 % {"what": _label(application)},
                 changes={"status": [Status.AWAITING_OPERATOR, application.status], "note": note})
    if approve and application.action == Action.REVOKE:
        _revoke(seal=application.seal, actor=actor, reason=Reason.REQUESTED, note=application.reason,
                application=application)
        ca.publish_crl()
    recipients = [application.applicant]
    if approve and application.action != Action.REVOKE:
        title = _("Your seal application was approved; the seal is made when the 保密室 and the 信息中心 "
                  "confirm: %(what)s") % {"what": _label(application)}
        _notify(recipients=custodians(), title=_("A seal is to be made: confirm with the 信息中心: %(what)s")
                % {"what": _label(application)}, url=_application_url(application), unit=unit,
                key=f"seal-application-{application.pk}-confirm")
    elif approve:
        title = _("Your application was approved and the seal revoked: %(what)s") % {"what": _label(application)}
    else:
        title = _("Your seal application was refused: %(what)s") % {"what": _label(application)}
    _notify(recipients=recipients, title=title, body=note, url=_application_url(application), unit=unit)
    return application


# --- making: two confirmations (第二十二、二十三条) ---------------------------------------------------

@transaction.atomic
def confirm(*, actor, application: SealApplication, pin: str | None = None, token_label: str = "") -> SealApplication:
    """The 保密室 custodian or the 信息中心 operator confirms the making of an approved seal (第二十三条).

    Two different people must confirm, one of each role, in either order; nobody confirms twice. With the
    second confirmation the seal is made: ``pin`` is the initial PIN typed by the unit's 印章管理员, who is
    present (for a PKCS#11 token, the token's user PIN; ``token_label`` names the token). A change or a
    reissue replaces the old seal, whose certificate is revoked and the CRL published.
    """
    application = _locked_application(application)
    if application.action not in selectors.MAKING_ACTIONS:
        raise SealInvalid(_("A revocation needs no confirmation."))
    is_custodian, is_operator = selectors.is_seal_custodian(actor), is_platform_operator(actor)
    if not (is_custodian or is_operator):
        raise SealPermissionDenied(_("Only the 保密室 custodian and the 信息中心 operator confirm the making of a "
                                     "seal."))
    if application.status != Status.APPROVED:
        raise SealInvalid(_("This application is not waiting for confirmation."))
    if actor.pk in (application.custodian_confirmed_by_id, application.operator_confirmed_by_id):
        raise SealPermissionDenied(_("You have already confirmed: a second, different person must confirm "
                                     "(the 保密室 and the 信息中心 together)."))
    if is_custodian and application.custodian_confirmed_by_id is None:
        slot = "custodian"
    elif is_operator and application.operator_confirmed_by_id is None:
        slot = "operator"
    else:
        raise SealPermissionDenied(_("Your side has already confirmed: the other side must confirm now."))
    other = application.operator_confirmed_by_id if slot == "custodian" else application.custodian_confirmed_by_id
    now = timezone.now()
    seal = None
    if other is not None:
        seal = _make_seal(actor=actor, application=application, pin=pin or "", token_label=token_label)
    setattr(application, f"{slot}_confirmed_by", actor)
    setattr(application, f"{slot}_confirmed_at", now)
    fields = [f"{slot}_confirmed_by", f"{slot}_confirmed_at"]
    if seal is not None:
        application.status, application.result_seal, application.finished_at = Status.DONE, seal, now
        fields += ["status", "result_seal", "finished_at"]
    application.save(update_fields=fields)
    audit.record(actor=actor, action="seals.application.confirm", obj=application, unit=application.unit,
                 summary=(_("Confirmed for the 保密室: %(what)s") if slot == "custodian"
                          else _("Confirmed for the 信息中心: %(what)s")) % {"what": _label(application)},
                 changes={"side": slot, "seal_made": seal.pk if seal else None})
    if seal is None:
        waiting = operators() if slot == "custodian" else custodians()
        _notify(recipients=waiting.exclude(pk=actor.pk),
                title=_("A seal awaits your confirmation: %(what)s") % {"what": _label(application)},
                url=_application_url(application), unit=application.unit,
                key=f"seal-application-{application.pk}-confirm-2")
    else:
        people = list(_people_of(application.unit, [roles.SEAL_KEEPER])) + [application.applicant]
        _notify(recipients=[person.pk for person in people],
                title=_("The seal is made: %(seal)s") % {"seal": seal.name}, url=_seal_url(seal),
                unit=application.unit)
    return application


def _make_seal(*, actor, application: SealApplication, pin: str, token_label: str) -> Seal:
    """Generate the key (PIN-protected), have the CA certify it, draw the seal image and store the seal."""
    storage = application.key_storage
    if storage == Seal.KeyStorage.FILE:
        problems = keys.validate_pin(pin)
        if problems:
            raise SealInvalid({"pin": problems})
    elif not pin:
        raise SealInvalid({"pin": [_("Type the token's user PIN.")]})
    unit = application.unit
    if not unit.is_active:
        raise SealInvalid(_("The unit %(unit)s is no longer active.") % {"unit": unit.name})
    old = _locked_seal(application.seal) if application.seal_id else None
    if old is not None and not (old.is_active or old.revocation_reason == Reason.LOST):
        raise SealInvalid(_("The seal %(seal)s is no longer in use.") % {"seal": old.name})
    label = f"{unit.code}-{application.seal_type}-{application.pk}"
    try:
        public_key, key_fields = keys.generate_seal_key(storage=storage, pin=pin, label=label,
                                                        token_label=token_label.strip())
    except keys.WrongPin as exc:
        raise SealInvalid({"pin": [str(exc)]}) from exc
    except keys.KeyUnavailable as exc:
        raise SealInvalid({"token_label": [str(exc)]}) from exc
    try:
        certificate = ca.issue_seal_certificate(public_key=public_key, unit=unit,
                                                seal_name=application.seal_name, seal_type=application.seal_type)
        seal = Seal(unit=unit, seal_type=application.seal_type, name=application.seal_name,
                    lower_text=application.lower_text, key_storage=storage, made_at=timezone.now(), replaces=old,
                    **key_fields, **ca.seal_fields(certificate))
        png = image.seal_png(name=application.seal_name, lower_text=application.lower_text)
        seal.image.save(f"{label}-{seal.fingerprint[:12]}.png", ContentFile(png), save=False)
        seal.save()
    except Exception:
        # Nothing is made: a new key file must not outlive the failed making.
        keys.destroy_key(Seal(key_storage=storage, **key_fields))
        raise
    audit.record(actor=actor, action="seals.seal.make", obj=seal, unit=unit,
                 summary=_("Made the seal %(seal)s") % {"seal": str(seal)},
                 changes={"serial_number": seal.serial_number, "fingerprint": seal.fingerprint,
                          "key_storage": storage, "not_after": seal.not_after, "application": application.pk,
                          "replaces": old.pk if old else None})
    if old is not None and old.is_active:
        # 第二十五条: the old seal is handed back and destroyed; its certificate is revoked.
        _revoke(seal=old, actor=actor, reason=Reason.REPLACED, note=application.reason, application=application,
                status=Seal.Status.SUPERSEDED)
        ca.publish_crl()
    return seal


# --- revoking -----------------------------------------------------------------------------------

def _revoke(*, seal: Seal, actor, reason: str, note: str, application: SealApplication | None = None,
            status: str = Seal.Status.REVOKED, action: str = "seals.seal.revoke") -> Seal:
    """Revoke ``seal`` (in the caller's transaction); open applications about it are withdrawn."""
    seal = _locked_seal(seal)
    if not seal.is_active:
        raise SealInvalid(_("The seal %(seal)s is no longer in use.") % {"seal": seal.name})
    now = timezone.now()
    seal.status, seal.revoked_at, seal.revocation_reason = status, now, reason
    seal.revoked_by = actor if getattr(actor, "pk", None) else None
    seal.save(update_fields=["status", "revoked_at", "revocation_reason", "revoked_by"])
    audit.record(actor=actor, action=action, obj=seal, unit=seal.unit,
                 summary=_("Revoked the seal %(seal)s: %(reason)s") % {"seal": str(seal),
                                                                        "reason": seal.get_revocation_reason_display()},
                 changes={"status": [Seal.Status.ACTIVE, status], "reason": reason, "note": note,
                          "serial_number": seal.serial_number,
                          "application": application.pk if application else None})
    # A lost seal is reissued by an application that names it; every other open one about it ends here.
    others = SealApplication.objects.filter(seal=seal, status__in=selectors.OPEN_STATUSES)
    if application is not None:
        others = others.exclude(pk=application.pk)
    if reason == Reason.LOST:
        others = others.exclude(action=Action.REISSUE)
    for other in others.select_for_update():
        other.status, other.finished_at = Status.WITHDRAWN, now
        other.decision_note = _("Ended: the seal was revoked.")
        other.save(update_fields=["status", "finished_at", "decision_note"])
        audit.record(actor=actor, action="seals.application.withdraw", obj=other, unit=seal.unit,
                     summary=_("Ended with the seal's revocation: %(what)s") % {"what": _label(other)},
                     changes={"status": [None, Status.WITHDRAWN]})
    return seal


@transaction.atomic
def report_lost(*, actor, seal: Seal, note: str) -> Seal:
    """The unit reports its seal (or the key's carrier, the USBKey) lost: it is revoked at once (第二十五条).

    The platform operators and the 保密室 are told urgently; the unit then applies for a reissue.
    """
    seal = _locked_seal(seal)
    if not (selectors.may_apply(actor, seal.unit)):
        raise SealPermissionDenied(_("Only the unit's system administrator or seal keeper may report its seal "
                                     "lost."))
    note = (note or "").strip()
    if not note:
        raise SealInvalid({"note": [_("Say what happened: when and how the seal or its key carrier was lost.")]})
    seal = _revoke(seal=seal, actor=actor, reason=Reason.LOST, note=note, action="seals.seal.report_lost")
    ca.publish_crl()
    _notify(recipients=_people_with_platform_role(roles.PLATFORM_OPERATOR, roles.SEAL_CUSTODIAN),
            title=_("Seal reported lost and revoked: %(seal)s (%(unit)s)")
            % {"seal": seal.name, "unit": seal.unit.name},
            body=note, url=_seal_url(seal), urgent=True, unit=seal.unit)
    return seal


@transaction.atomic
def revoke(*, actor, seal: Seal, reason: str, note: str) -> Seal:
    """The platform operator revokes a seal at once (e.g. on a written request or when it is compromised)."""
    if not is_platform_operator(actor):
        raise SealPermissionDenied(_("Only the platform operator revokes seals."))
    note = (note or "").strip()
    errors = {}
    if reason not in (Reason.REQUESTED, Reason.LOST, Reason.UNIT_ENDED):
        errors["reason"] = [_("Choose the reason for the revocation.")]
    if not note:
        errors["note"] = [_("Record the grounds for the revocation.")]
    if errors:
        raise SealInvalid(errors)
    seal = _revoke(seal=seal, actor=actor, reason=reason, note=note)
    ca.publish_crl()
    _notify(recipients=_people_of(seal.unit, selectors.SEAL_APPLY_ROLES),
            title=_("Your unit's seal was revoked: %(seal)s") % {"seal": seal.name}, body=note,
            url=_seal_url(seal), urgent=True, unit=seal.unit)
    return seal


@transaction.atomic
def revoke_seals_of_ended_unit(*, unit: Unit, actor=None) -> list[Seal]:
    """A dissolved or merged unit's seals are revoked (注销) and its open applications end (第二十五条).

    Called by the receiver of ``directory.signals.unit_dissolved``, after the unit ended.
    """
    unit = Unit.objects.get(pk=unit.pk)
    if unit.is_active:
        return []
    revoked = [_revoke(seal=seal, actor=actor, reason=Reason.UNIT_ENDED, note=unit.get_status_display())
               for seal in selectors.active_seals(unit)]
    for application in SealApplication.objects.select_for_update().filter(unit=unit,
                                                                         status__in=selectors.OPEN_STATUSES):
        application.status, application.finished_at = Status.WITHDRAWN, timezone.now()
        application.decision_note = _("Ended: the unit was dissolved or merged.")
        application.save(update_fields=["status", "finished_at", "decision_note"])
        audit.record(actor=actor, action="seals.application.withdraw", obj=application, unit=unit,
                     summary=_("Ended with the unit: %(what)s") % {"what": _label(application)},
                     changes={"status": [None, Status.WITHDRAWN]})
    if revoked:
        ca.publish_crl()
    return revoked


# --- the PIN (seed 004 要求 8) ---------------------------------------------------------------------

def record_wrong_pin(*, actor, seal: Seal, during: str) -> int:
    """A wrong PIN: count it against the seal and audit the attempt, in its own transaction (nothing else
    changed). Returns the number of wrong PINs in a row."""
    with transaction.atomic():
        locked = _locked_seal(seal)
        locked.failed_pin_attempts += 1
        locked.save(update_fields=["failed_pin_attempts"])
        audit.record(actor=actor, action="seals.seal.wrong_pin", obj=locked, unit=locked.unit,
                     summary=_("Wrong PIN for the seal %(seal)s") % {"seal": str(locked)},
                     changes={"during": during, "failed_pin_attempts": locked.failed_pin_attempts})
        return locked.failed_pin_attempts


def change_pin(*, actor, seal: Seal, old_pin: str, new_pin: str) -> Seal:
    """The unit's 印章管理员 changes the seal's PIN (seed 004 要求 8: 定期修改).

    A wrong current PIN is counted and audited (the seal locks after SEAL_MAX_PIN_FAILURES in a row).
    """
    with transaction.atomic():
        seal = _locked_seal(seal)
        if roles.SEAL_KEEPER not in role_codes_in(actor, seal.unit):
            raise SealPermissionDenied(_("Only the unit's seal keeper may change the seal's PIN."))
        if not seal.is_active:
            raise SealInvalid(_("The seal %(seal)s is no longer in use.") % {"seal": seal.name})
        if selectors.is_locked(seal):
            raise SealInvalid(_("The seal is locked after too many wrong PINs: ask the platform operator to "
                                "unlock it."))
        errors = list(keys.validate_pin(new_pin or ""))
        if new_pin and new_pin == old_pin:
            errors.append(_("The new PIN must differ from the current one."))
        if errors:
            raise SealInvalid({"new_pin": errors})
    try:
        keys.change_pin(seal, old_pin or "", new_pin)
    except keys.WrongPin as exc:
        count = record_wrong_pin(actor=actor, seal=seal, during="change_pin")
        left = max(settings.SEAL_MAX_PIN_FAILURES - count, 0)
        message = _("%(error)s %(left)d attempts left before the seal locks.") % {"error": str(exc), "left": left}
        raise SealInvalid({"old_pin": [message]}) from exc
    except keys.KeyUnavailable as exc:
        raise SealInvalid(str(exc)) from exc
    with transaction.atomic():
        seal = _locked_seal(seal)
        seal.failed_pin_attempts = 0
        seal.save(update_fields=["failed_pin_attempts"])
        audit.record(actor=actor, action="seals.seal.change_pin", obj=seal, unit=seal.unit,
                     summary=_("Changed the PIN of the seal %(seal)s") % {"seal": str(seal)})
    return seal


@transaction.atomic
def unlock(*, actor, seal: Seal, note: str = "") -> Seal:
    """The platform operator unlocks a seal locked by wrong PINs, once the seal keeper's identity is checked."""
    if not is_platform_operator(actor):
        raise SealPermissionDenied(_("Only the platform operator unlocks seals."))
    seal = _locked_seal(seal)
    before = seal.failed_pin_attempts
    seal.failed_pin_attempts = 0
    seal.save(update_fields=["failed_pin_attempts"])
    audit.record(actor=actor, action="seals.seal.unlock", obj=seal, unit=seal.unit,
                 summary=_("Unlocked the seal %(seal)s") % {"seal": str(seal)},
                 changes={"failed_pin_attempts": [before, 0], "note": (note or "").strip()})
    return seal
