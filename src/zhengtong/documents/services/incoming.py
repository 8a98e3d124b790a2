"""收文 processing (seed 004 三.3): 登记录入 of a paper document, then 拟办 → 批办 → 承办 (转办) → 办结.

A paper document from outside the system is registered by the clerk with the next number of the
unit's 收文登记簿 (gapless per unit and year), then goes through the unit's shouwen process:
初审, 拟办意见, the leader's 批办 (directive, lead and co-handling departments, deadline, readers),
承办 with 协办 and 传阅 in parallel, 办结 with the result, and 归档.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory import selectors as directory_selectors
from zhengtong.directory.models import Department, Unit, User
from zhengtong.documents.exceptions import ClassifiedRefused
from zhengtong.documents.models import Attachment, Classification, Document, DocumentVersion, Kind, Urge, Urgency
from zhengtong.documents.services.processing import (
    ProcessingRefused,
    check_item,
    complete_step,
    department_ids,
    locked,
    main_instance,
)
from zhengtong.notifications.services import notify
from zhengtong.workdays import selectors as workdays
from zhengtong.workflow import services as workflow
from zhengtong.workflow.exceptions import NotYourTask, TaskAlreadyHandled
from zhengtong.workflow.models import ProcessInstance, WorkItem

SHOUWEN = "shouwen"
# 密级 a paper document may carry; the last three never enter the platform.
SECRET_CLASSIFICATIONS = {"secret", "confidential", "top_secret"}
MAX_DEADLINE_DAYS = 250


def _refuse_secret(classification: str) -> None:
    """seed 001 第四条 (密级（秘密以上）文件) and seed 004 (涉密不上网): 秘密、机密、绝密 are refused outright."""
    if classification in SECRET_CLASSIFICATIONS:
        raise ClassifiedRefused(_("Classified documents (秘密 and above) must not enter this system: "
                                  "涉密公文不得进入本系统 (上网不涉密、涉密不上网)."))
    if classification not in Classification.values:
        raise ProcessingRefused(_("Choose the classification of the document."))


def _next_incoming_seq(unit: Unit, year: int) -> int:
    """The next number of the unit's 收文登记簿 for ``year``: gapless, under a lock on the unit."""
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    last = (Document.objects.filter(unit=unit, incoming_year=year).aggregate(last=Max("incoming_seq"))["last"]
            or 0)
    return last + 1


@transaction.atomic
def register_paper_document(
    *,
    actor: User,
    unit: Unit,
    title: str,
    kind: str,
    source_unit_name: str,
    source_number: str = "",
    copies: int = 1,
    urgency: str = Urgency.NORMAL,
    classification: str = Classification.NONE,
    received_at: datetime.datetime | None = None,
    main_recipients: str = "",
    notes: str = "",
    files: Iterable = (),
    submit: bool = True,
) -> Document:
    """系统外公文登记录入 (seed 004 三.3): the clerk registers a paper document and starts the shouwen process.

    ``files`` are uploaded scans (Django ``UploadedFile``s). With ``submit`` the registration step is
    completed at once and the document goes to 初审; without it, it waits in the clerk's to-do list.
    """
    if not directory_selectors.has_role(actor, unit, roles.CLERK):
        raise NotYourTask(_("Only the unit's clerk registers received documents."))
    _refuse_secret(classification)
    problems = []
    title = (title or "").strip()
    source_unit_name = (source_unit_name or "").strip()
    if not title:
        problems.append(_("Enter the title of the document."))
    if not source_unit_name:
        problems.append(_("Enter the unit the document comes from (来文单位)."))
    if kind not in Kind.values:
        problems.append(_("Choose the kind of the document."))
    if urgency not in Urgency.values:
        problems.append(_("Choose the urgency of the document."))
    if not copies or copies < 1 or copies > 999:
        problems.append(_("The number of copies must be between 1 and 999."))
    now = timezone.now()
    received_at = received_at or now
    if received_at > now + datetime.timedelta(minutes=5):
        problems.append(_("The date of receipt cannot be in the future."))
    if problems:
        raise ProcessingRefused(problems)

    year = timezone.localtime(received_at).year
    seq = _next_incoming_seq(unit, year)
    document = Document.objects.create(
        unit=unit, direction=Document.Direction.INCOMING, kind=kind, title=title, status=Document.Status.REGISTERED,
        classification=classification, urgency=urgency, source_unit_name=source_unit_name,
        source_number=(source_number or "").strip(), copies=copies, received_at=received_at, received_by=actor,
        incoming_year=year, incoming_seq=seq, main_recipients=main_recipients.strip(), notes=notes.strip(),
        drafter=actor, signature=source_unit_name,
    )
    version = DocumentVersion.objects.create(document=document, seq=1, title=title, body=[], saved_by=actor,
                                             step_label=_("Registration"), note=_("Paper document registered"))
    document.current_version = version
    document.save(update_fields=["current_version"])
    for index, upload in enumerate(files or ()):
        _attach(document=document, upload=upload, actor=actor, sort_order=index)
    instance = workflow.start_process(actor=actor, unit=unit, key=SHOUWEN, subject=document, title=title,
                                      data={"document": document.pk})
    audit.record(actor=actor, action="documents.incoming.register", obj=document, unit=unit,
                 summary=_("Registered the received document %(number)s %(title)s") % {
                     "number": document.incoming_number, "title": title},
                 changes={"incoming_number": document.incoming_number, "source_unit": source_unit_name,
                          "source_number": document.source_number, "copies": copies})
    if submit:
        item = WorkItem.objects.filter(instance=instance, step="register", status=WorkItem.Status.OPEN).first()
        if item is not None:
            instance.refresh_from_db()
            submit_registration(actor=actor, document=document, work_item=item, revision=instance.revision)
            document.refresh_from_db()
    return document


def _attach(*, document: Document, upload, actor: User, sort_order: int) -> Attachment:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(document=document, name=upload.name[:255], size=upload.size, sha256=digest.hexdigest(),
                            content_type=getattr(upload, "content_type", "") or "", uploaded_by=actor,
                            sort_order=sort_order)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def submit_registration(*, actor: User, document: Document, work_item: WorkItem, revision: int,
                        opinion: str = "") -> None:
    """登记 done: the registered document goes to 初审 and is in handling."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["register"])
    document.status = Document.Status.IN_HANDLING
    document.save(update_fields=["status", "updated_at"])
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=opinion.strip())
    audit.record(actor=actor, action="documents.incoming.submit", obj=document, unit=document.unit,
                 summary=_("Sent %(title)s for handling") % {"title": document.title})


@transaction.atomic
def review_incoming(*, actor: User, document: Document, work_item: WorkItem, revision: int,
                    opinion: str = "") -> None:
    """初审 and 拟办 (seed 004 三.3 公文拟办): the office checks the document and proposes how to handle it."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["initial_review", "propose"])
    if work_item.step == "propose" and not opinion.strip():
        raise ProcessingRefused(_("Write the proposal (拟办意见)."))
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=opinion.strip())
    audit.record(actor=actor, action="documents.incoming.review", obj=document, unit=document.unit,
                 summary=_("%(step)s: %(title)s") % {"step": work_item.step_label, "title": document.title},
                 changes={"step": work_item.step, "opinion": opinion.strip()})


@transaction.atomic
def direct(*, actor: User, document: Document, work_item: WorkItem, revision: int, directive: str,
           lead_department, co_departments: Iterable = (), deadline_days: int | None = None,
           deadline: datetime.date | None = None, circulate_to: Iterable = ()) -> None:
    """公文批办 (seed 004 三.3): the leader's directive, the lead and co-handling departments, the deadline
    (in working days from today, or a date) and the leaders who read it (传阅)."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["direct"])
    problems = []
    directive = (directive or "").strip()
    if not directive:
        problems.append(_("Write the directive (批示)."))
    if not lead_department:
        problems.append(_("Choose the lead department (承办科室)."))
    if problems:
        raise ProcessingRefused(problems)
    lead_id = department_ids(document.unit, [lead_department])[0]
    co_ids = [pk for pk in department_ids(document.unit, co_departments) if pk != lead_id]
    if deadline is None and deadline_days:
        if not 1 <= int(deadline_days) <= MAX_DEADLINE_DAYS:
            raise ProcessingRefused(_("The deadline must be between 1 and 250 working days."))
        deadline = workdays.add_working_days(timezone.localdate(), int(deadline_days))
    if deadline is not None and deadline < timezone.localdate():
        raise ProcessingRefused(_("The deadline cannot be in the past."))
    readers = []
    staff = directory_selectors.people_in_unit(document.unit)
    for person in circulate_to or ():
        try:
            pk = int(getattr(person, "pk", person))
        except (TypeError, ValueError):
            raise ProcessingRefused(_("Choose people of this unit.")) from None
        if pk not in readers:
            readers.append(pk)
    if staff.filter(pk__in=readers).count() != len(readers):
        raise ProcessingRefused(_("Choose people of this unit."))
    document.directive = directive
    document.lead_department_id = lead_id
    document.handling_deadline = deadline
    document.save(update_fields=["directive", "lead_department", "handling_deadline", "updated_at"])
    data = {"lead_department": lead_id, "co_departments": co_ids, "circulate_to": readers,
            "deadline": deadline.isoformat() if deadline else None}
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=directive, data=data)
    audit.record(actor=actor, action="documents.incoming.direct", obj=document, unit=document.unit,
                 summary=_("Gave the directive on %(title)s") % {"title": document.title},
                 changes={**data, "directive": directive})


@transaction.atomic
def handle(*, actor: User, document: Document, work_item: WorkItem, revision: int, opinion: str) -> None:
    """公文承办 (seed 004 三.3): the lead or a co-handling department reports how it handled the document."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["handle", "co_handle"])
    if not (opinion or "").strip():
        raise ProcessingRefused(_("Write how the document was handled (承办情况)."))
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=opinion.strip())
    audit.record(actor=actor, action="documents.incoming.handle", obj=document, unit=document.unit,
                 summary=_("%(step)s: %(title)s") % {"step": work_item.step_label, "title": document.title},
                 changes={"step": work_item.step, "opinion": opinion.strip()})


@transaction.atomic
def transfer(*, actor: User, document: Document, work_item: WorkItem, revision: int, reason: str,
             to_department=None, to_person=None) -> None:
    """公文转办 (seed 004 三.3): the lead department passes the document to another department, with a reason."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["handle"])
    if not (reason or "").strip():
        raise ProcessingRefused(_("Give the reason for passing the document on."))
    department = None
    if to_department:
        department = Department.objects.get(pk=department_ids(document.unit, [to_department])[0])
    person = None
    if to_person:
        person = directory_selectors.people_in_unit(document.unit).filter(pk=getattr(to_person, "pk", to_person)).first()
        if person is None:
            raise ProcessingRefused(_("Choose people of this unit."))
    if department is None and person is None:
        raise ProcessingRefused(_("Choose the department or person to pass the document to."))
    from_name = work_item.department.name if work_item.department_id else ""
    workflow.transfer(actor=actor, work_item=work_item, revision=revision, reason=reason.strip(),
                      to_department=department, to_person=person)
    if department is not None:
        document.lead_department = department
        document.save(update_fields=["lead_department", "updated_at"])
    audit.record(actor=actor, action="documents.incoming.transfer", obj=document, unit=document.unit,
                 summary=_("Passed %(title)s on to %(to)s") % {
                     "title": document.title, "to": department.name if department else person.name},
                 changes={"to_department": getattr(department, "pk", None), "to_person": getattr(person, "pk", None),
                          "from_name": from_name, "to_name": department.name if department else person.name,
                          "reason": reason.strip(), "step_label": work_item.step_label})


def transfers_of(document: Document) -> list[dict]:
    """转办 records of the document (the engine keeps the item; the reason is in this app's audit records)."""
    from zhengtong.audit.models import AuditRecord

    rows = AuditRecord.objects.filter(action="documents.incoming.transfer", object_type="documents.document",
                                      object_id=str(document.pk)).order_by("seq")
    return [{"person": row.actor_name, "at": row.occurred_at, "from": row.changes.get("from_name", ""),
             "to": row.changes.get("to_name", ""), "reason": row.changes.get("reason", "")} for row in rows]


@transaction.atomic
def mark_circulated(*, actor: User, document: Document, work_item: WorkItem, revision: int, note: str = "") -> None:
    """传阅 (seed 004 三.3): a reader marks the document read, with an optional note."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["circulate"])
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=(note or "").strip() or _("Read."))
    audit.record(actor=actor, action="documents.incoming.read", obj=document, unit=document.unit,
                 summary=_("Read %(title)s") % {"title": document.title}, changes={"note": (note or "").strip()})


@transaction.atomic
def finish(*, actor: User, document: Document, work_item: WorkItem, revision: int, result: str) -> None:
    """公文办结 (seed 004 三.3): the result is recorded and the document is finished."""
    document = locked(document)
    work_item = check_item(actor=actor, document=document, work_item=work_item, steps=["finish"])
    result = (result or "").strip()
    if not result:
        raise ProcessingRefused(_("Write the result of the handling (办理结果)."))
    document.result = result
    document.finished_at = timezone.now()
    document.status = Document.Status.FINISHED
    document.save(update_fields=["result", "finished_at", "status", "updated_at"])
    complete_step(actor=actor, work_item=work_item, revision=revision, opinion=result)
    audit.record(actor=actor, action="documents.incoming.finish", obj=document, unit=document.unit,
                 summary=_("Finished %(title)s") % {"title": document.title}, changes={"result": result})


def may_urge(user: User, document: Document) -> bool:
    """The office (clerk, checker) and the unit's leaders urge (催办)."""
    codes = directory_selectors.role_codes_in(user, document.unit)
    return bool(codes & {roles.CLERK, roles.CHECKER, roles.PRINCIPAL_LEADER, roles.DEPUTY_LEADER})


@transaction.atomic
def urge(*, actor: User, document: Document, work_item: WorkItem, note: str = "") -> Urge:
    """催办 (seed 004 and seed 000 对紧急的电子公文…催办): the office reminds whoever holds an open item."""
    if not may_urge(actor, document):
        raise NotYourTask(_("Only the office and the unit's leaders urge."))
    work_item = WorkItem.objects.select_related("instance").get(pk=work_item.pk)
    instance = main_instance(document)
    if instance is None or work_item.instance_id != instance.pk:
        raise NotYourTask()
    if not work_item.is_open:
        raise TaskAlreadyHandled()
    row = Urge.objects.create(document=document, work_item_id=work_item.pk, urged_by=actor,
                              note=(note or "").strip()[:300])
    audit.record(actor=actor, action="documents.document.urge", obj=document, unit=document.unit,
                 summary=_("Urged %(step)s of %(title)s") % {"step": work_item.step_label, "title": document.title},
                 changes={"work_item": work_item.pk, "overdue": work_item.is_overdue, "note": row.note})
    # Whoever may take the item hears of it now (urgent documents also by SMS, whatever the hour).
    notify(recipients=work_item.candidates.all(), category="documents.urge", unit=document.unit,
           title=_("Reminder: %(step)s of %(title)s") % {"step": work_item.step_label, "title": document.title},
           body=row.note, url=document.get_absolute_url(), urgent=document.urgency != Urgency.NORMAL)
    return row


def circulation_of(document: Document) -> list[dict]:
    """传阅情况: every reader of the document, read or not, with the time and note."""
    instance = main_instance(document)
    if instance is None:
        return []
    items = (WorkItem.objects.filter(instance=instance, step="circulate")
             .exclude(status=WorkItem.Status.CANCELLED).prefetch_related("candidates").select_related("acted_by"))
    rows = []
    for item in items:
        readers = [item.acted_by] if item.acted_by_id else list(item.candidates.all())
        rows.append({"people": readers, "read": item.status == WorkItem.Status.DONE,
                     "at": item.completed_at, "note": item.opinion if item.status == WorkItem.Status.DONE else ""})
    return rows


def running(document: Document) -> ProcessInstance | None:
    instance = main_instance(document)
    return instance if instance is not None and instance.is_running else None
