"""发文 processing (seed 004 三.1): a draft goes through the unit's fawen process, step by step.

Every step action is one service: it checks that the work item is the actor's and open at that
step, does the step's own effect on the document, and completes the work item through the
workflow engine — all in one transaction with an audit record. 联合发文 (seed 004 三.2): when the
fawen process reaches ``joint_review``, a ``joint_sign`` process starts in every co-issuing unit
on the same document; when the last one ends, ``joint_review`` completes by itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import selectors as directory_selectors
from zhengtong.directory.models import Department, Unit, User
from zhengtong.documents.exceptions import DocumentInvalid
from zhengtong.documents.models import CoIssuer, Distribution, Document
from zhengtong.documents.services import drafting, numbering
from zhengtong.workflow import selectors as wf_selectors
from zhengtong.workflow import services as workflow
from zhengtong.workflow.exceptions import NotYourTask, TaskAlreadyHandled
from zhengtong.workflow.models import ProcessInstance, WorkItem

FAWEN = "fawen"
JOINT_SIGN = "joint_sign"

# Steps whose action is an opinion and nothing else (besides optional edits of the text).
OPINION_STEPS = {"section_review", "countersign", "office_check", "leader_review", "recheck", "joint_check"}
# Steps where the reviewer may still change the text; every change is kept as a version (痕迹保留).
EDITING_STEPS = {"draft", "section_review", "office_check", "leader_review", "sign_off", "recheck"}


class ProcessingRefused(DocumentInvalid):
    """A step action was refused and nothing changed; the messages say why, in the active language."""


# --- helpers -----------------------------------------------------------------------------------

def locked(document: Document) -> Document:
    """The document's row, locked until the transaction ends (one step action at a time)."""
    return Document.objects.select_for_update().get(pk=document.pk)


def _is_subject(instance: ProcessInstance, document: Document) -> bool:
    return (instance.subject_type_id == ContentType.objects.get_for_model(Document).pk
            and str(instance.subject_id) == str(document.pk))


def check_item(*, actor, document: Document, work_item: WorkItem, steps: Iterable[str]) -> WorkItem:
    """Permission check of every step action: the item is this document's, open, at ``steps``, and the actor's."""
    work_item = WorkItem.objects.select_related("instance").get(pk=work_item.pk)
    if not _is_subject(work_item.instance, document):
        raise NotYourTask()
    if not work_item.is_open:
        raise TaskAlreadyHandled()
    if work_item.step not in set(steps):
        raise TaskAlreadyHandled()
    if actor is not None and not wf_selectors.can_act(actor, work_item):
        raise NotYourTask()
    return work_item


def instances_of(document: Document, key: str | None = None):
    """The process instances on a document, newest first (optionally of one process)."""
    qs = wf_selectors.instances_for(document)
    if key:
        qs = qs.filter(key=key)
    return qs


def main_instance(document: Document) -> ProcessInstance | None:
    """The document's own process (fawen or shouwen) in its own unit: the latest one."""
    return (instances_of(document).filter(unit=document.unit).exclude(key=JOINT_SIGN)
            .order_by("-started_at", "-pk").first())


def _save_text(*, actor, document: Document, work_item: WorkItem, title: str | None, body: list | None) -> None:
    """Keep a reviewer's change of the text as a new version labelled with the step (痕迹保留)."""
    changes = {}
    if title is not None and title.strip() and title.strip() != document.title:
        changes["title"] = title.strip()
    if body is not None and body != document.body:
        changes["body"] = body
    if changes:
        drafting.update_draft(actor=actor, document=document, step_label=work_item.step_label, **changes)


def complete_step(*, actor, work_item: WorkItem, revision: int, opinion: str = "",
                  data: dict | None = None, assignees: dict | None = None) -> None:
    """Complete the step in the engine, in the caller's transaction."""
    # no decision code: the shipped processes branch on data, and the history shows decisions as they are
    workflow.complete_work_item(actor=actor, work_item=work_item, revision=revision, opinion=opinion,
                                data=data, assignees=assignees)


def department_ids(unit: Unit, departments: Iterable) -> list[int]:
    """Department ids of ``unit`` in the given order, without repeats; another unit's department is refused."""
    ids = []
    for department in departments or ():
        pk = getattr(department, "pk", department)
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise ProcessingRefused(_("Choose departments of this unit.")) from None
        if pk not in ids:
            ids.append(pk)
    found = set(Department.objects.filter(unit=unit, pk__in=ids).values_list("pk", flat=True))
    if found != set(ids):
        raise ProcessingRefused(_("Choose departments of this unit."))
    return ids


# --- submitting ------------------------------------------------------------------------------

@transaction.atomic
def submit_draft(*, actor: User, document: Document, opinion: str = "",
                 countersign_departments: Iterable | None = None) -> ProcessInstance:
    """送审 (seed 004 三.1 起草公文→公文审核): check the elements, start the fawen process, or resubmit after a send-back.

    The process data carries the drafting department (whose chief reviews), the countersigning
    departments and the co-issuing units (联合发文).
    """
    document = locked(document)
    if document.direction != Document.Direction.OUTGOING:
        raise ProcessingRefused(_("Only an outgoing document is submitted for review."))
    instance = main_instance(document)
    resubmitting = instance is not None and instance.is_running
    if not resubmitting and document.status != Document.Status.DRAFT:
        raise ProcessingRefused(_("This document has already been submitted."))
    if not resubmitting and actor.pk != document.drafter_id:
        raise NotYourTask(_("Only the drafter submits the draft."))
    if countersign_departments is not None:
        document.countersign_departments = department_ids(document.unit, countersign_departments)
        document.save(update_fields=["countersign_departments", "updated_at"])
    problems = drafting.check_elements(document, stage="submit")
    if problems:
        raise ProcessingRefused(problems)
    data = {
        "department": document.drafting_department_id,
        "countersign_departments": list(document.countersign_departments or []),
        "co_units": list(document.co_issuers.order_by("sort_order", "pk").values_list("unit_id", flat=True)),
        "document": document.pk,
    }
    if not resubmitting:
        instance = workflow.start_process(actor=actor, unit=document.unit, key=FAWEN, subject=document,
                                          title=document.title, data=data)
    item = (WorkItem.objects.filter(instance=instance, step="draft", status=WorkItem.Status.OPEN)
            .order_by("-pk").first())
    if item is not None:
        if not wf_selectors.can_act(actor, item):
            raise NotYourTask()
        instance.refresh_from_db()
        complete_step(actor=actor, work_item=item, revision=instance.revision, opinion=opinion,
                  data=data)
    elif resubmitting:
        raise TaskAlreadyHandled()
    document.status = Document.Status.IN_REVIEW
    document.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="documents.document.submit" if not resubmitting else "documents.document.resubmit",
                 obj=document, unit=document.unit,
                 summary=_("Submitted %(title)s for review") % {"title": document.title},
                 changes={"countersign_departments": data["countersign_departments"], "co_units": data["co_units"]})
    return instance


# --- review steps ------------------------------------------------------------------------------

@transaction.atomic
def review(*, actor: User, document: Document, work_item: WorkItem, revision: int, opinion: str = "",
           title: str | None = None, body: list | None = None,
           countersign_departments: Iterable | None = None) -> None:
    """审核 / 会签 / 核稿 / 复核 (seed 004 三.1): agree with an opinion, perhaps after changing the text.

    At the section chief's review the countersigning departments may still be chosen (会签).
    """
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=OPINION_STEPS)
    if work_item.step in EDITING_STEPS:
        _save_text(actor=actor, document=document, work_item=work_item, title=title, body=body)
    data = None
    if work_item.step == "section_review" and countersign_departments is not None:
        ids = department_ids(document.unit, countersign_departments)
        ids = [pk for pk in ids if pk != document.drafting_department_id]
        document.countersign_departments = ids
        document.save(update_fields=["countersign_departments", "updated_at"])
        data = {"countersign_departments": ids}
    if work_item.step == "countersign" and not opinion.strip():
        raise ProcessingRefused(_("Write the countersigning opinion."))
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=opinion.strip(), data=data)
    audit.record(actor=actor, action="documents.document.review", obj=document, unit=work_item.unit,
                 summary=_("%(step)s: agreed on %(title)s") % {"step": work_item.step_label, "title": document.title},
                 changes={"step": work_item.step, "opinion": opinion.strip()})


@transaction.atomic
def send_back(*, actor: User, document: Document, work_item: WorkItem, revision: int, to_step: str,
              reason: str) -> None:
    """退回 (seed 004 三.1): send the document back to an earlier step with a reason."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=[work_item.step])
    if not reason.strip():
        raise ProcessingRefused(_("Give the reason for sending it back."))
    workflow.send_back(actor=actor, work_item=work_item, revision=revision, to_step=to_step, reason=reason.strip())
    if to_step == "draft" and document.direction == Document.Direction.OUTGOING:
        # back with the drafter: a draft again, editable, resubmitted with submit_draft
        document.status = Document.Status.DRAFT
        document.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="documents.document.send_back", obj=document, unit=work_item.unit,
                 summary=_("%(step)s: sent %(title)s back") % {"step": work_item.step_label, "title": document.title},
                 changes={"step": work_item.step, "to_step": to_step, "reason": reason.strip()})


@transaction.atomic
def sign_off(*, actor: User, document: Document, work_item: WorkItem, revision: int, opinion: str = "",
             title: str | None = None, body: list | None = None) -> None:
    """签发 (seed 004 三.1 领导签批): the principal leader signs; 签发人, 成文日期 (the sign-off date)."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["sign_off"])
    _save_text(actor=actor, document=document, work_item=work_item, title=title, body=body)
    document.refresh_from_db()
    problems = drafting.check_elements(document, stage="sign_off")
    if problems:
        raise ProcessingRefused(problems)
    now = timezone.now()
    document.signers = [actor.name]
    document.signed_off_by = actor
    document.signed_off_at = now
    document.document_date = timezone.localdate(now)
    document.status = Document.Status.SIGNED_OFF
    document.save(update_fields=["signers", "signed_off_by", "signed_off_at", "document_date", "status",
                                 "updated_at"])
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=opinion.strip() or _("Issue."))
    audit.record(actor=actor, action="documents.document.sign_off", obj=document, unit=document.unit,
                 summary=_("Signed off %(title)s") % {"title": document.title},
                 changes={"signers": document.signers, "document_date": document.document_date})


@transaction.atomic
def joint_sign_off(*, actor: User, document: Document, work_item: WorkItem, revision: int,
                   opinion: str = "") -> None:
    """联合发文 (seed 004 三.2): the co-issuing unit's principal leader signs for that unit."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["joint_sign_off"])
    co_issuer = CoIssuer.objects.select_for_update().filter(document=document, unit=work_item.unit).first()
    if co_issuer is None:
        raise NotYourTask()
    co_issuer.status = CoIssuer.Status.SIGNED_OFF
    co_issuer.signed_off_by = actor
    co_issuer.signed_off_at = timezone.now()
    co_issuer.signer_name = actor.name
    co_issuer.save(update_fields=["status", "signed_off_by", "signed_off_at", "signer_name"])
    audit.record(actor=actor, action="documents.document.joint_sign_off", obj=document, unit=work_item.unit,
                 summary=_("Signed off %(title)s for %(unit)s") % {"title": document.title,
                                                                   "unit": work_item.unit.name},
                 changes={"signer": actor.name})
    # completing may end the joint_sign process, whose hook completes joint_review
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=opinion.strip() or _("Issue."))


@transaction.atomic
def take_number(*, actor: User, document: Document, work_item: WorkItem, revision: int, register=None) -> None:
    """获取文号 (seed 004 三.1): the next number of the register; the document is numbered."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["numbering"])
    issued = numbering.take_number(actor=actor, document=document, register=register)
    document.refresh_from_db()
    document.status = Document.Status.NUMBERED
    document.save(update_fields=["status", "updated_at"])
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=str(issued))
    audit.record(actor=actor, action="documents.document.number", obj=document, unit=document.unit,
                 summary=_("Numbered %(title)s %(number)s") % {"title": document.title, "number": str(issued)},
                 changes={"number": str(issued)})


def render_pdf(document: Document) -> bytes:
    """The document in the GB/T 9704 layout, as PDF bytes."""
    from zhengtong.documents.rendering import render_document

    return render_document(drafting.layout_for(document))


@transaction.atomic
def compose(*, actor: User, document: Document, work_item: WorkItem, revision: int) -> None:
    """合成文件 (seed 004 三.1): check the elements, render the GB/T 9704 PDF and keep it."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["compose"])
    problems = drafting.check_elements(document, stage="compose")
    if problems:
        raise ProcessingRefused(problems)
    if document.print_date is None:
        # 印发日期 (GB/T 9704 8.3): the day the document is sent to print, i.e. composed, unless given.
        document.print_date = timezone.localdate()
    from zhengtong.documents.rendering import render_document_with_anchors

    rendered = render_document_with_anchors(drafting.layout_for(document))
    pdf = rendered.pdf
    name = f"{document.pk}-{timezone.now():%Y%m%d%H%M%S}.pdf"
    document.rendered_pdf.save(name, ContentFile(pdf), save=False)
    document.rendered_at = timezone.now()
    document.seal_boxes = [{"page": box.page, "x": box.x, "y": box.y, "size": box.size}
                           for box in rendered.seal_boxes]
    document.status = Document.Status.COMPOSED
    document.save(update_fields=["rendered_pdf", "rendered_at", "seal_boxes", "status", "print_date",
                                 "updated_at"])
    complete_step(actor=actor, work_item=work_item, revision=revision)
    audit.record(actor=actor, action="documents.document.compose", obj=document, unit=document.unit,
                 summary=_("Composed %(title)s") % {"title": document.title},
                 changes={"pdf": document.rendered_pdf.name, "size": len(pdf)})


def confirm_seal(*, actor: User, document: Document, work_item: WorkItem, revision: int, opinion: str = "",
                 seal=None, pin: str = "") -> None:
    """加盖公章 (seed 004 三.1): the seal keeper applies the unit's electronic seal with its PIN.

    The seals app does the sealing (``seals.services.sealing.seal_document``): a PAdES seal over the
    date, certifying the PDF; for a joint document the co-issuing units seal next and the step
    completes with the last seal. A document issued without a seal (``has_seal`` off), or of a
    unit that has no electronic seal at all, is confirmed as before: the composed PDF is final
    (a paper seal), and the document cannot be sent through the exchange.
    """
    from zhengtong.seals import selectors as seal_selectors
    from zhengtong.seals.services import sealing

    needs_seal = document.has_seal and seal_selectors.active_seals(document.unit).exists()
    if seal is not None or needs_seal:
        if seal is None:
            raise ProcessingRefused(_("Choose the seal and enter its PIN."))
        sealing.seal_document(actor=actor, document=document, seal=seal, pin=pin, work_item=work_item,
                              revision=revision, opinion=opinion)
        return
    _confirm_without_seal(actor=actor, document=document, work_item=work_item, revision=revision, opinion=opinion)


@transaction.atomic
def _confirm_without_seal(*, actor: User, document: Document, work_item: WorkItem, revision: int,
                          opinion: str = "") -> None:
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["seal"])
    if not document.rendered_pdf:
        raise ProcessingRefused(_("The document has not been composed yet."))
    document.status = Document.Status.SEALED
    document.save(update_fields=["status", "updated_at"])
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=opinion.strip())
    audit.record(actor=actor, action="documents.document.seal", obj=document, unit=document.unit,
                 summary=_("Confirmed the seal on %(title)s") % {"title": document.title})


def _recipients(unit: Unit, people: Iterable, departments: Iterable) -> list[tuple[User, Department | None]]:
    people_ids = []
    for person in people or ():
        try:
            people_ids.append(int(getattr(person, "pk", person)))
        except (TypeError, ValueError):
            raise ProcessingRefused(_("Choose people of this unit.")) from None
    staff = directory_selectors.people_in_unit(unit)
    chosen = list(staff.filter(pk__in=people_ids))
    if len({user.pk for user in chosen}) != len(set(people_ids)):
        raise ProcessingRefused(_("Choose people of this unit."))
    result: dict[int, tuple[User, Department | None]] = {user.pk: (user, None) for user in chosen}
    for department in Department.objects.filter(unit=unit, pk__in=department_ids(unit, departments)):
        members = staff.filter(memberships__unit=unit, memberships__department=department,
                               memberships__is_active=True).distinct()
        for user in members:
            result.setdefault(user.pk, (user, department))
    return list(result.values())


@transaction.atomic
def distribute(*, actor: User, document: Document, work_item: WorkItem, revision: int,
               people: Iterable = (), departments: Iterable = ()) -> list[Distribution]:
    """公文分发 (seed 004 三.1): give the sealed document to people and whole departments of the unit.

    Each recipient's copy is marked read when they open the document (查看签收). Sending to other
    units comes with the exchange (公文交换) issue.
    """
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["distribute"])
    recipients = _recipients(document.unit, people, departments)
    if not recipients:
        raise ProcessingRefused(_("Choose at least one person or department to distribute to."))
    now = timezone.now()
    existing = set(document.distributions.values_list("recipient_id", flat=True))
    rows = [Distribution(document=document, recipient=user, department=department, distributed_by=actor,
                         distributed_at=now) for user, department in recipients if user.pk not in existing]
    Distribution.objects.bulk_create(rows)
    document.status = Document.Status.DISTRIBUTED
    document.distributed_at = now
    document.save(update_fields=["status", "distributed_at", "updated_at"])
    names = "、".join(user.name for user, _department in recipients)
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=names[:1000])
    audit.record(actor=actor, action="documents.document.distribute", obj=document, unit=document.unit,
                 summary=_("Distributed %(title)s to %(count)s people") % {"title": document.title,
                                                                           "count": len(recipients)},
                 changes={"recipients": [user.pk for user, _department in recipients]})
    return rows


@transaction.atomic
def archive(*, actor: User, document: Document, work_item: WorkItem, revision: int, opinion: str = "") -> None:
    """发文存档 / 归档 (seed 004 三.1 and 三.3): the document is archived and its process ends."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["archive"])
    document.status = Document.Status.ARCHIVED
    document.archived_at = timezone.now()
    document.save(update_fields=["status", "archived_at", "updated_at"])
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=opinion.strip())
    audit.record(actor=actor, action="documents.document.archive", obj=document, unit=document.unit,
                 summary=_("Archived %(title)s") % {"title": document.title})


@transaction.atomic
def mark_read(*, user: User, document: Document) -> bool:
    """查看签收: the recipient of a distributed copy opens it; the first opening is recorded."""
    updated = Distribution.objects.filter(document=document, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())
    if updated:
        audit.record(actor=user, action="documents.distribution.read", obj=document, unit=document.unit,
                     summary=_("Read the distributed %(title)s") % {"title": document.title})
    return bool(updated)


# --- 联合发文: the joint_sign processes in the co-issuing units -----------------------------

def start_joint_signing(work_item: WorkItem) -> None:
    """joint_review opened (seed 004 三.2): start joint_sign in every co-issuing unit still pending."""
    document = Document.objects.select_for_update().get(pk=work_item.instance.subject_id)
    # nobody completes this step by hand: it waits for the co-issuing units and ends by itself
    work_item.candidates.clear()
    running = set(instances_of(document, JOINT_SIGN).filter(status=ProcessInstance.Status.RUNNING)
                  .values_list("unit_id", flat=True))
    co_issuers = list(document.co_issuers.select_related("unit").order_by("sort_order", "pk"))
    started = 0
    for co_issuer in co_issuers:
        if co_issuer.status == CoIssuer.Status.SIGNED_OFF or co_issuer.unit_id in running:
            continue
        workflow.start_process(actor=None, unit=co_issuer.unit, key=JOINT_SIGN, subject=document,
                               title=document.title, data={"document": document.pk,
                                                           "lead_unit": document.unit_id})
        started += 1
        audit.record(actor=None, action="documents.document.joint_start", obj=document, unit=co_issuer.unit,
                     summary=_("Sent %(title)s to %(unit)s for joint sign-off") % {
                         "title": document.title, "unit": co_issuer.unit.name})
    if not started and not running:
        _finish_joint_review(document)


def _finish_joint_review(document: Document) -> None:
    """Every co-issuer has signed: 签发人 lists them all, and joint_review completes by itself."""
    if document.co_issuers.exclude(status=CoIssuer.Status.SIGNED_OFF).exists():
        return
    item = (WorkItem.objects.filter(instance__in=instances_of(document, FAWEN), step="joint_review",
                                    status=WorkItem.Status.OPEN).select_related("instance").first())
    if item is None:
        return
    names = [name for name in document.signers if name]
    for co_issuer in document.co_issuers.order_by("sort_order", "pk"):
        if co_issuer.signer_name and co_issuer.signer_name not in names:
            names.append(co_issuer.signer_name)
    document.signers = names
    document.save(update_fields=["signers", "updated_at"])
    workflow.complete_work_item(actor=None, work_item=item, revision=item.instance.revision,
                                opinion=_("Every co-issuing unit has signed off."))
    audit.record(actor=None, action="documents.document.joint_done", obj=document, unit=document.unit,
                 summary=_("Every co-issuing unit signed off %(title)s") % {"title": document.title},
                 changes={"signers": names})


def joint_sign_ended(instance: ProcessInstance) -> None:
    """A co-issuing unit's joint_sign process ended (on_completed hook)."""
    document = Document.objects.select_for_update().get(pk=instance.subject_id)
    _finish_joint_review(document)
