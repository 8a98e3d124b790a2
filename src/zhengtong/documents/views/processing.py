"""The document page and its step actions (发文 and 收文, seed 004 三), the PDFs, 登记录入."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.directory import roles
from zhengtong.directory import selectors as directory_selectors
from zhengtong.documents import selectors
from zhengtong.documents import text as body_text
from zhengtong.documents.forms_processing import (
    ActionForm,
    DirectForm,
    DistributeForm,
    FinishForm,
    RegisterForm,
    SealForm,
    SendBackForm,
    SubmitForm,
    TransferForm,
    UrgeForm,
)
from zhengtong.documents.models import Document
from zhengtong.documents.services import incoming, processing, sheets
from zhengtong.workflow import selectors as wf_selectors
from zhengtong.workflow.models import WorkItem

# The step forms shown in the action panel of each step.
STEP_ACTIONS = {
    "draft": "resubmit",
    "section_review": "approve",
    "countersign": "approve",
    "office_check": "approve",
    "leader_review": "approve",
    "sign_off": "sign_off",
    "recheck": "approve",
    "joint_check": "approve",
    "joint_sign_off": "sign_off",
    "numbering": "number",
    "compose": "compose",
    "seal": "seal",
    "distribute": "distribute",
    "archive": "archive",
    "register": "register",
    "initial_review": "approve",
    "propose": "approve",
    "direct": "direct",
    "handle": "handle",
    "co_handle": "handle",
    "circulate": "read",
    "finish": "finish",
}


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(message) for message in exc.messages)
    return str(exc) or _("You may not act on this item.")


def _items_for(user, document: Document) -> list[WorkItem]:
    items = wf_selectors.open_items_for(user, document)
    return [item for item in items if item.step in STEP_ACTIONS]


def _panel(request, document: Document, item: WorkItem) -> dict:
    revision = item.instance.revision
    panel = {"item": item, "kind": STEP_ACTIONS[item.step], "revision": revision,
             "form": ActionForm(initial={"revision": revision, "action": STEP_ACTIONS[item.step]})}
    targets = [target for target in wf_selectors.send_back_targets(item)] if item.step != "draft" else []
    if targets:
        panel["send_back_form"] = SendBackForm(initial={"revision": revision}, targets=targets)
    unit = document.unit
    if item.step in ("draft", "section_review"):
        panel["countersign_form"] = SubmitForm(unit=unit, exclude=document.drafting_department_id,
                                               initial={"countersign_departments": document.countersign_departments})
    if item.step == "distribute":
        panel["distribute_form"] = DistributeForm(unit=unit)
    if item.step == "direct":
        panel["direct_form"] = DirectForm(unit=unit, initial={"deadline_days": 10})
    if item.step == "handle":
        panel["transfer_form"] = TransferForm(unit=unit)
    if item.step == "finish":
        panel["finish_form"] = FinishForm()
    if item.step == "compose":
        panel["problems"] = processing.drafting.check_elements(document, stage="compose")
    if item.step == "seal":
        panel.update(_seal_panel(request, document))
    return panel


def _seal_panel(request, document: Document) -> dict:
    """盖章: the unit's seals the seal keeper may use, or why the composed PDF stands as it is."""
    from zhengtong.seals import selectors as seal_selectors
    from zhengtong.seals.services import sealing

    if not document.has_seal or not seal_selectors.active_seals(document.unit).exists():
        return {"seal_mode": "confirm"}
    seals = seal_selectors.usable_seals(request.user, document.unit)
    state = sealing.sealing_state(document)
    return {"seal_mode": "seal", "seal_form": SealForm(seals=seals) if seals.exists() else None,
            "seal_state": state}


def _edit_url(document: Document) -> str | None:
    try:
        return reverse("documents:edit", args=[document.pk])
    except Exception:  # the drafting pages name their edit view differently or not at all
        return None


@login_required
def document_detail(request, pk: int):
    """The document page: header, elements, PDF, processing sheet, versions, attachments, actions."""
    document = selectors.document_for(request.user, pk)
    processing.mark_read(user=request.user, document=document)
    instance = processing.main_instance(document)
    items = _items_for(request.user, document)
    panels = [_panel(request, document, item) for item in items]
    joint = list(processing.instances_of(document, processing.JOINT_SIGN).select_related("unit"))
    urgeable = []
    if instance is not None and instance.is_running and incoming.may_urge(request.user, document):
        urgeable = list(WorkItem.objects.filter(instance=instance, status=WorkItem.Status.OPEN)
                        .exclude(step__in=["register", "archive", "joint_review"]).exclude(candidates=request.user)
                        .prefetch_related("candidates").select_related("department"))
    can_submit = (document.direction == Document.Direction.OUTGOING and document.status == Document.Status.DRAFT
                  and document.drafter_id == request.user.pk and instance is None)
    return render(request, "documents/document_detail.html", {
        "document": document,
        "instance": instance,
        "joint_instances": joint,
        "instances": [i for i in [instance, *joint] if i is not None],
        "open_items": WorkItem.objects.filter(instance__in=[i for i in [instance, *joint] if i is not None],
                                              status=WorkItem.Status.OPEN)
        .select_related("unit", "department").prefetch_related("candidates"),
        "panels": panels,
        "can_submit": can_submit,
        "submit_form": SubmitForm(unit=document.unit, exclude=document.drafting_department_id,
                                  initial={"countersign_departments": document.countersign_departments})
        if can_submit else None,
        "sheet_sections": sheets.sheet_for(document).sections if instance is not None else (),
        "circulation": incoming.circulation_of(document) if document.direction == Document.Direction.INCOMING else [],
        "distributions": document.distributions.select_related("recipient", "department")
        if document.distributed_at else [],
        "co_issuers": document.co_issuers.select_related("unit", "signed_off_by"),
        "urgeable": urgeable,
        "urge_form": UrgeForm() if urgeable else None,
        "urges": document.urges.select_related("urged_by")[:10],
        "edit_url": _edit_url(document) if items or can_submit else None,
        "is_outgoing": document.direction == Document.Direction.OUTGOING,
        "body_lines": body_text.numbered(document.body),
    })


@login_required
@require_POST
def document_submit(request, pk: int):
    """送审 of a draft (the first submission; a resubmission is the draft step's own action)."""
    document = selectors.document_for(request.user, pk)
    form = SubmitForm(request.POST, unit=document.unit, exclude=document.drafting_department_id)
    if not form.is_valid():
        messages.error(request, _("Check the countersigning departments."))
        return redirect(document)
    try:
        processing.submit_draft(actor=request.user, document=document, opinion=form.cleaned_data["opinion"],
                                countersign_departments=form.cleaned_data["countersign_departments"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Submitted for review."))
    return redirect(document)


def _run_action(request, document: Document, item: WorkItem, action: str, revision: int, opinion: str) -> str:
    """Call the step's service; returns the success message."""
    common = {"actor": request.user, "document": document, "work_item": item, "revision": revision}
    step = item.step
    unit = document.unit
    if action == "send_back":
        form = SendBackForm(request.POST, targets=wf_selectors.send_back_targets(item))
        if not form.is_valid():
            raise ValidationError(_("Choose the step and give the reason for sending it back."))
        processing.send_back(to_step=form.cleaned_data["to_step"], reason=form.cleaned_data["reason"],
                             **{**common, "revision": form.cleaned_data["revision"]})
        return _("Sent back.")
    if action == "transfer":
        form = TransferForm(request.POST, unit=unit)
        if not form.is_valid():
            raise ValidationError(_("Choose the department and give the reason for passing it on."))
        incoming.transfer(reason=form.cleaned_data["reason"], to_department=form.cleaned_data["to_department"],
                          **common)
        return _("Passed on.")
    expected = STEP_ACTIONS.get(step)
    if action != expected:
        raise ValidationError(_("This action does not belong to this step. Reload the page."))
    if action == "resubmit":
        form = SubmitForm(request.POST, unit=unit, exclude=document.drafting_department_id)
        departments = form.cleaned_data["countersign_departments"] if form.is_valid() else None
        processing.submit_draft(actor=request.user, document=document, opinion=opinion,
                                countersign_departments=departments)
        return _("Submitted for review.")
    if action == "approve":
        if step in ("initial_review", "propose"):
            incoming.review_incoming(opinion=opinion, **common)
        else:
            departments = None
            if step == "section_review":
                form = SubmitForm(request.POST, unit=unit, exclude=document.drafting_department_id)
                if not form.is_valid():
                    raise ValidationError(_("Check the countersigning departments."))
                departments = form.cleaned_data["countersign_departments"]
            processing.review(opinion=opinion, countersign_departments=departments, **common)
        return _("Done: the document has gone to the next step.")
    if action == "sign_off":
        if step == "joint_sign_off":
            processing.joint_sign_off(opinion=opinion, **common)
        else:
            processing.sign_off(opinion=opinion, **common)
        return _("Signed off.")
    if action == "number":
        processing.take_number(**common)
        return _("The number has been taken.")
    if action == "compose":
        processing.compose(**common)
        return _("The document has been composed.")
    if action == "seal":
        return _run_seal(request, document, opinion, common)
    if action == "distribute":
        form = DistributeForm(request.POST, unit=unit)
        if not form.is_valid():
            raise ValidationError(_("Choose the people or departments to distribute to."))
        processing.distribute(people=form.cleaned_data["people"], departments=form.cleaned_data["departments"],
                              **common)
        return _("Distributed.")
    if action == "archive":
        processing.archive(opinion=opinion, **common)
        return _("Archived.")
    if action == "register":
        incoming.submit_registration(opinion=opinion, **common)
        return _("Sent for handling.")
    if action == "direct":
        form = DirectForm(request.POST, unit=unit)
        if not form.is_valid():
            raise ValidationError([f"{form.fields[name].label}: {'；'.join(errors)}"
                                   for name, errors in form.errors.items()])
        data = form.cleaned_data
        incoming.direct(directive=data["directive"], lead_department=data["lead_department"],
                        co_departments=data["co_departments"], deadline_days=data["deadline_days"],
                        circulate_to=data["circulate_to"], **common)
        return _("The directive has been given.")
    if action == "handle":
        incoming.handle(opinion=opinion, **common)
        return _("The handling has been recorded.")
    if action == "read":
        incoming.mark_circulated(note=opinion, **common)
        return _("Marked as read.")
    if action == "finish":
        form = FinishForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Write the result of the handling (办理结果)."))
        incoming.finish(result=form.cleaned_data["result"], **common)
        return _("Finished.")
    raise ValidationError(_("This action does not belong to this step. Reload the page."))


def _run_seal(request, document: Document, opinion: str, common: dict) -> str:
    """盖章: with the chosen seal and its PIN when the unit has electronic seals, else a confirmation."""
    from zhengtong.seals import selectors as seal_selectors

    if not document.has_seal or not seal_selectors.active_seals(document.unit).exists():
        processing.confirm_seal(opinion=opinion, **common)
        return _("The seal has been confirmed.")
    form = SealForm(request.POST, seals=seal_selectors.usable_seals(request.user, document.unit))
    if not form.is_valid():
        raise ValidationError([str(error) for errors in form.errors.values() for error in errors])
    processing.confirm_seal(opinion=opinion, seal=form.cleaned_data["seal"], pin=form.cleaned_data["pin"], **common)
    document.refresh_from_db()
    if document.status == Document.Status.SEALED:
        return _("The document has been sealed.")
    return _("Your seal has been applied; the co-issuing units seal next.")


@login_required
@require_POST
def item_action(request, pk: int, item_pk: int):
    """One step action on one work item of the document; refusals change nothing and say why."""
    document = selectors.document_for(request.user, pk)
    item = get_object_or_404(WorkItem.objects.select_related("instance", "unit"), pk=item_pk)
    action = request.POST.get("action", "")
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete. Reload the page and try again."))
        return redirect(document)
    try:
        message = _run_action(request, document, item, action, form.cleaned_data["revision"],
                              form.cleaned_data.get("opinion", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, message)
    return _back_to(request, document)


def _back_to(request, document: Document):
    """Back to the document, or to the to-do list when the person no longer sees it (转办 passed it on)."""
    try:
        selectors.document_for(request.user, document.pk)
    except Http404:
        return redirect("workflow:todo")
    return redirect(document)


@login_required
@require_POST
def urge_view(request, pk: int, item_pk: int):
    """催办 an open item of the document."""
    document = selectors.document_for(request.user, pk)
    item = get_object_or_404(WorkItem, pk=item_pk)
    form = UrgeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        incoming.urge(actor=request.user, document=document, work_item=item, note=note)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("The reminder has been sent."))
    return redirect(document)


def _filename(document: Document, suffix: str = "") -> str:
    base = document.number or document.incoming_number or document.title or str(document.pk)
    return f"{base}{suffix}.pdf".replace("/", "-")


@login_required
def document_pdf(request, pk: int):
    """The rendered PDF (the sealed one once sealed), inline for the preview or as a download (?download=1)."""
    document = selectors.document_for(request.user, pk)
    if not document.rendered_pdf:
        raise Http404
    download = request.GET.get("download") == "1"
    # once every seal is on it, the sealed PDF is the document (盖章后的正式文件)
    stored = document.sealed_pdf if document.sealed_at and document.sealed_pdf else document.rendered_pdf
    response = FileResponse(stored.open("rb"), content_type="application/pdf",
                            as_attachment=download, filename=_filename(document))
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@login_required
def processing_sheet(request, pk: int):
    """打印处理单: 发文稿纸 or 收文处理单 as PDF, with every opinion so far."""
    document = selectors.document_for(request.user, pk)
    pdf = sheets.sheet_pdf(document)
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = _("-processing sheet") if document.direction == Document.Direction.INCOMING else _("-draft sheet")
    disposition = "attachment" if request.GET.get("download") == "1" else "inline"
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(disposition == "attachment",
                                                                 _filename(document, suffix))
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _may_register(request) -> bool:
    unit = getattr(request, "unit", None)
    return unit is not None and directory_selectors.has_role(request.user, unit, roles.CLERK)


@login_required
def incoming_register(request):
    """登记录入 (seed 004 三.3 系统外公文登记录入): the clerk enters a paper document."""
    if not _may_register(request):
        raise Http404
    form = RegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = incoming.register_paper_document(
                actor=request.user, unit=request.unit, title=data["title"], kind=data["kind"],
                source_unit_name=data["source_unit_name"], source_number=data["source_number"],
                copies=data["copies"], urgency=data["urgency"], classification=data["classification"],
                received_at=data["received_at"], notes=data["notes"], files=data["files"],
                submit=request.POST.get("submit_now") != "0",
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _message(exc))
        else:
            messages.success(request, _("Registered as %(number)s.") % {"number": document.incoming_number})
            return redirect(document)
    return render(request, "documents/processing/register.html", {"form": form}, status=400 if form.errors else 200)
