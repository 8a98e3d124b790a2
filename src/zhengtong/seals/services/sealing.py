"""盖章 of a composed document (seed 004 三.1 加盖公章, 三.2 联合盖章; seed 001 第二十四条).

The lead unit's seal keeper seals first, at the fawen ``seal`` step: the seal certifies the PDF
and the empty fields of the co-issuing units' seals are made in the same revision. Then each
co-issuing unit (CoIssuer rows, in their order) seals its own field, from the 待联合盖章 page.
Until the last seal, the PDF sealed so far is kept beside the document (``partial_path``), not in
``sealed_pdf``: a half-sealed joint document cannot be sent. When the last seal is applied the
document is sealed (``sealed_pdf``, ``sealed_at``, status SEALED) and the lead unit's ``seal`` step
completes by itself, as ``joint_review`` does.

The PIN unlocks the seal's key; a wrong PIN is counted on the seal and audited in its own
transaction, and after settings.SEAL_MAX_PIN_FAILURES wrong PINs in a row the seal is locked.
Signing happens before the write transaction (it takes a moment; SQLite holds one writer at a
time): the transaction then checks that nobody sealed in between.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory.models import Unit, User
from zhengtong.documents.models import Document
from zhengtong.seals import keys, signing
from zhengtong.seals import selectors as seal_selectors
from zhengtong.seals.exceptions import SealInvalid, SealPermissionDenied
from zhengtong.seals.models import Seal, SealUse
from zhengtong.workflow import selectors as wf_selectors
from zhengtong.workflow import services as workflow
from zhengtong.workflow.exceptions import NotYourTask
from zhengtong.workflow.models import WorkItem

SEAL_STEP = "seal"


@dataclass
class SealSlot:
    """One seal a document needs: the issuing unit, its signature field and where it goes."""

    unit: Unit
    field_name: str
    box: dict | None
    use: SealUse | None = None

    @property
    def done(self) -> bool:
        return self.use is not None


@dataclass
class SealingState:
    document: Document
    slots: list[SealSlot] = field(default_factory=list)
    seal_item: WorkItem | None = None  # the lead unit's open ``seal`` step

    @property
    def next_slot(self) -> SealSlot | None:
        return next((slot for slot in self.slots if not slot.done), None)

    @property
    def started(self) -> bool:
        return any(slot.done for slot in self.slots)

    @property
    def complete(self) -> bool:
        return bool(self.slots) and all(slot.done for slot in self.slots)

    @property
    def is_joint(self) -> bool:
        return len(self.slots) > 1


# --- reading the state ---------------------------------------------------------------------------

def _seal_item(document: Document) -> WorkItem | None:
    from zhengtong.documents.services.processing import FAWEN, instances_of

    return (WorkItem.objects.filter(instance__in=instances_of(document, FAWEN), step=SEAL_STEP,
                                    status=WorkItem.Status.OPEN).select_related("instance").first())


def current_uses(document: Document):
    """The seal uses on the current composition (a document composed again starts over)."""
    uses = SealUse.objects.filter(document=document).select_related("seal", "seal__unit", "sealed_by")
    if document.rendered_at:
        uses = uses.filter(sealed_at__gte=document.rendered_at)
    return uses.order_by("sealed_at", "pk")


def sealing_state(document: Document) -> SealingState:
    """Which units seal ``document``, in order (lead first), and which have sealed so far."""
    units = [document.unit, *[c.unit for c in document.co_issuers.select_related("unit").order_by("sort_order",
                                                                                                  "pk")]]
    boxes = list(document.seal_boxes or [])
    by_unit = {}
    for use in current_uses(document):
        by_unit.setdefault(use.seal.unit_id, use)
    slots = [SealSlot(unit=unit, field_name=signing.field_name_for(index, unit.code),
                      box=boxes[index] if index < len(boxes) else None, use=by_unit.get(unit.pk))
             for index, unit in enumerate(units)]
    return SealingState(document=document, slots=slots, seal_item=_seal_item(document))


def awaiting_joint_seal(user: User) -> list[tuple[Document, SealingState]]:
    """待联合盖章: joint documents whose next seal is one of the person's units (as its seal keeper)."""
    from zhengtong.directory.models import RoleAssignment

    unit_ids = set(RoleAssignment.objects.filter(user=user, role__code=roles.SEAL_KEEPER,
                                                 unit__status=Unit.Status.ACTIVE).values_list("unit_id", flat=True))
    if not unit_ids:
        return []
    documents = (Document.objects.filter(co_issuers__unit_id__in=unit_ids, status=Document.Status.COMPOSED,
                                         seal_uses__isnull=False)
                 .select_related("unit").distinct().order_by("-rendered_at", "-pk"))
    result = []
    for document in documents[:200]:
        state = sealing_state(document)
        slot = state.next_slot
        if state.started and slot is not None and slot.unit.pk in unit_ids and state.seal_item is not None:
            result.append((document, state))
    return result


def joint_document_for(user: User, pk) -> tuple[Document, SealingState]:
    """A document awaiting the person's joint seal, or 404 (outsiders learn nothing)."""
    from django.http import Http404

    for document, state in awaiting_joint_seal(user):
        if str(document.pk) == str(pk):
            return document, state
    raise Http404


def partial_path(document: Document, sha256: str) -> str:
    """Where a joint document sealed by some of its units is kept, by the SHA-256 of that PDF."""
    return f"documents/sealing/{document.pk}/{sha256}.pdf"


def _last_use(state: SealingState) -> SealUse | None:
    uses = [slot.use for slot in state.slots if slot.done]
    return max(uses, key=lambda use: (use.sealed_at, use.pk)) if uses else None


def pdf_to_seal(document: Document, state: SealingState | None = None) -> bytes:
    """The PDF the next seal goes on: the composed PDF, or the one sealed so far."""
    state = state or sealing_state(document)
    last = _last_use(state)
    if last is not None:
        storage = document.sealed_pdf.storage
        with storage.open(partial_path(document, last.sha256_after), "rb") as handle:
            return handle.read()
    if not document.rendered_pdf:
        raise SealInvalid(_("The document has not been composed yet."))
    with document.rendered_pdf.open("rb") as handle:
        return handle.read()


# --- the service ---------------------------------------------------------------------------------

def _check(*, actor: User, document: Document, seal: Seal, work_item: WorkItem | None) -> tuple[SealingState,
                                                                                                SealSlot]:
    if not seal_selectors.may_use_seal(actor, seal):
        raise SealPermissionDenied(_("Only the seal keeper of the seal's unit may use an active seal."))
    if seal_selectors.is_locked(seal):
        raise SealInvalid(_("This seal is locked after too many wrong PINs; the platform operator must unlock it."))
    if not document.has_seal:
        raise SealInvalid(_("This document is issued without a seal."))
    if document.status != Document.Status.COMPOSED or not document.rendered_pdf:
        raise SealInvalid(_("Only a composed document that is not sealed yet can be sealed."))
    state = sealing_state(document)
    slot = state.next_slot
    if state.seal_item is None or slot is None:
        raise SealInvalid(_("This document is not waiting for a seal."))
    units = [s.unit.pk for s in state.slots]
    if seal.unit_id not in units:
        raise SealPermissionDenied(_("This seal's unit does not issue the document."))
    if seal.unit_id != slot.unit.pk:
        if any(s.done and s.unit.pk == seal.unit_id for s in state.slots):
            raise SealInvalid(_("Your unit has already sealed this document."))
        raise SealInvalid(_("%(unit)s must seal first.") % {"unit": slot.unit.name})
    if slot is state.slots[0]:
        # the lead unit seals at its own fawen step: the step must be the actor's
        item = work_item or state.seal_item
        if item.pk != state.seal_item.pk or not wf_selectors.can_act(actor, state.seal_item):
            raise NotYourTask()
    return state, slot


def note_wrong_pin(*, actor: User, seal: Seal, document: Document | None = None) -> int:
    """Count a wrong PIN on the seal and audit it, in its own transaction; returns the count."""
    with transaction.atomic():
        Seal.objects.filter(pk=seal.pk).update(failed_pin_attempts=F("failed_pin_attempts") + 1)
        attempts = Seal.objects.values_list("failed_pin_attempts", flat=True).get(pk=seal.pk)
        locked = attempts >= settings.SEAL_MAX_PIN_FAILURES
        audit.record(actor=actor, action="seals.seal.wrong_pin", obj=seal, unit=seal.unit,
                     summary=_("Wrong PIN for %(seal)s (%(count)s in a row)") % {"seal": seal.name, "count": attempts},
                     changes={"attempts": attempts, "document": document.pk if document else None})
        if locked and attempts == settings.SEAL_MAX_PIN_FAILURES:
            audit.record(actor=actor, action="seals.seal.locked", obj=seal, unit=seal.unit,
                         summary=_("%(seal)s locked after %(count)s wrong PINs") % {"seal": seal.name,
                                                                                    "count": attempts},
                         changes={"attempts": attempts})
    seal.failed_pin_attempts = attempts
    return attempts


def _wrong_pin_message(attempts: int) -> str:
    left = settings.SEAL_MAX_PIN_FAILURES - attempts
    if left <= 0:
        return _("Wrong PIN. The seal is now locked after %(count)s wrong PINs; the platform operator must "
                 "unlock it.") % {"count": attempts}
    return _("Wrong PIN. %(left)s attempt(s) left before the seal is locked.") % {"left": left}


def seal_document(*, actor: User, document: Document, seal: Seal, pin: str, work_item: WorkItem | None = None,
                  revision: int | None = None, opinion: str = "") -> SealUse:
    """Apply ``seal`` to ``document`` with ``pin``; see the module docstring. Refusals change nothing
    (but a wrong PIN is counted and audited)."""
    seal = Seal.objects.select_related("unit").get(pk=seal.pk)
    document = Document.objects.select_related("unit").get(pk=document.pk)
    state, slot = _check(actor=actor, document=document, seal=seal, work_item=work_item)
    if not (pin or "").strip():
        raise SealInvalid(_("Enter the seal's PIN."))
    base = pdf_to_seal(document, state)
    base_name = document.rendered_pdf.name
    first = slot is state.slots[0]
    try:
        signer = keys.signer_for(seal, pin)
    except keys.PinLocked as exc:
        raise SealInvalid(exc.message) from exc
    except keys.WrongPin as exc:
        attempts = note_wrong_pin(actor=actor, seal=seal, document=document)
        raise SealInvalid(_wrong_pin_message(attempts)) from exc
    except keys.KeyUnavailable as exc:
        raise SealInvalid(exc.message) from exc
    try:
        sealed = signing.seal_pdf(
            pdf=base, signer=signer, seal=seal, box=slot.box, field_name=slot.field_name, certify=first,
            reason=_("Seal of %(unit)s") % {"unit": seal.unit.name}, location=seal.unit.name,
            other_fields=[(s.field_name, s.box) for s in state.slots[1:]] if first else ())
    except signing.SealingFailed as exc:
        raise SealInvalid(str(exc)) from exc
    finally:
        keys.close_signer(signer)
    return _store(actor=actor, document=document, seal=seal, slot_unit=slot.unit, base=base, base_name=base_name,
                  sealed=sealed, field_name=slot.field_name, certified=first, revision=revision, opinion=opinion,
                  work_item=work_item)


@transaction.atomic
def _store(*, actor, document: Document, seal: Seal, slot_unit: Unit, base: bytes, base_name: str, sealed: bytes,
           field_name: str, certified: bool, revision, opinion: str, work_item) -> SealUse:
    document = Document.objects.select_for_update().select_related("unit").get(pk=document.pk)
    state = sealing_state(document)
    slot = state.next_slot
    last = _last_use(state)
    base_sha = signing.sha256(base)
    unchanged = (document.rendered_pdf.name == base_name
                 and (last.sha256_after == base_sha if last is not None else True))
    if slot is None or slot.unit.pk != slot_unit.pk or not unchanged or state.seal_item is None:
        raise SealInvalid(_("The document changed while it was being sealed. Reload the page and try again."))
    now = timezone.now()
    index = sum(1 for s in state.slots if s.done) + 1
    complete = index == len(state.slots)
    sealed_sha = signing.sha256(sealed)
    if complete:
        document.sealed_pdf.save(f"{document.pk}-{now:%Y%m%d%H%M%S}.pdf", ContentFile(sealed), save=False)
        document.sealed_at = now
        document.status = Document.Status.SEALED
        document.save(update_fields=["sealed_pdf", "sealed_at", "status", "updated_at"])
    else:
        storage = document.sealed_pdf.storage
        path = partial_path(document, sealed_sha)
        if not storage.exists(path):
            storage.save(path, ContentFile(sealed))
        document.save(update_fields=["updated_at"])
    use = SealUse.objects.create(seal=seal, document=document, field_name=field_name, sealed_by=actor, sealed_at=now,
                                 sha256_before=base_sha, sha256_after=sealed_sha,
                                 certified=certified, timestamped=bool(getattr(settings, "SEAL_TSA_URL", "")))
    if seal.failed_pin_attempts:
        Seal.objects.filter(pk=seal.pk).update(failed_pin_attempts=0)
    audit.record(actor=actor, action="seals.seal.use", obj=seal, unit=seal.unit,
                 summary=_("Sealed %(title)s with %(seal)s") % {"title": document.title, "seal": seal.name},
                 changes={"document": document.pk, "field": field_name, "certified": certified,
                          "sha256": use.sha256_after})
    item = state.seal_item
    if complete:
        if certified and work_item is not None:
            # the lead unit alone: its own step completes with its own opinion
            workflow.complete_work_item(actor=actor, work_item=item,
                                        revision=revision if revision is not None else item.instance.revision,
                                        opinion=opinion.strip() or _("Sealed."))
        else:
            workflow.complete_work_item(actor=None, work_item=item, revision=item.instance.revision,
                                        opinion=_("Every issuing unit has sealed."))
        audit.record(actor=actor, action="documents.document.seal", obj=document, unit=document.unit,
                     summary=_("Sealed %(title)s") % {"title": document.title},
                     changes={"seals": len(state.slots), "sha256": use.sha256_after})
    else:
        if certified:
            # nobody completes the lead's step by hand any more: the last co-issuing unit's seal does
            item.candidates.clear()
        following = state.slots[index]
        _notify_next(document=document, unit=following.unit)
    return use


def _notify_next(*, document: Document, unit: Unit) -> None:
    from zhengtong.notifications.services import notify_role

    url = reverse("seals:joint-seal", args=[document.pk])
    title = _("Joint seal awaited: %(title)s") % {"title": document.title}
    body = _("%(unit)s has sealed the joint document; your unit's seal is next.") % {"unit": document.unit.name}
    notify_role(unit=unit, role_code=roles.SEAL_KEEPER, category="seals", title=title, body=body, url=url,
                key=f"joint-seal-{document.pk}")
