"""Drafting pages: the draft form (起草), versions and their comparison (痕迹保留), attachments."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.documents import selectors, services
from zhengtong.documents.forms import LEVEL_LABELS, AttachmentForm, CompareForm, DraftForm
from zhengtong.documents.models import Document
from zhengtong.documents.views._common import add_service_errors, current_unit_or_404, document_url, status_of


def _editable_or_404(request, pk) -> Document:
    document = selectors.document_for(request.user, pk)
    if not selectors.may_edit_document(request.user, document):
        raise PermissionDenied(_("You may not change this document at its current step."))
    return document


@login_required
def draft_list(request):
    """My drafts and the documents I drafted, newest first, with the button to start one."""
    unit = current_unit_or_404(request)
    if not selectors.can_draft(request.user, unit):
        raise Http404
    mine = (selectors.documents_visible_to(request.user, unit).filter(drafter=request.user)
            .select_related("current_version").order_by("-updated_at", "-pk"))
    page = Paginator(mine, 30).get_page(request.GET.get("page"))
    return render(request, "documents/draft_list.html", {
        "page": page, "nav_active": "documents", "tab": "drafts",
        **_tabs_context(request, unit),
    })


def _tabs_context(request, unit) -> dict:
    return {
        "may_see_ledgers": selectors.may_see_ledgers(request.user, unit),
        "may_manage_registers": selectors.may_manage_registers(request.user, unit),
    }


def _form_context(request, unit, form, document=None) -> dict:
    blocks = form["body"].value() if form.is_bound else (document.body if document else [])
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks or "[]")
        except json.JSONDecodeError:
            blocks = []
    return {
        "form": form, "document": document, "blocks": blocks or [{"level": 0, "text": ""}],
        "level_labels": LEVEL_LABELS, "nav_active": "documents", "tab": "drafts",
        **_tabs_context(request, unit),
    }


@login_required
def draft_add(request):
    """起草: a new draft of the current unit; saving makes version 1."""
    unit = current_unit_or_404(request)
    if not selectors.can_draft(request.user, unit):
        raise Http404
    if request.method == "POST":
        form = DraftForm(request.POST, unit=unit)
        if form.is_valid():
            values = form.elements()
            try:
                document = services.create_draft(actor=request.user, unit=unit, kind=values.pop("kind"),
                                                 title=values.pop("title"), body=values.pop("body"),
                                                 department=values.pop("drafting_department"), **values)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The draft is saved as version 1."))
                return redirect(document_url(document))
    else:
        membership = request.user.memberships.filter(unit=unit, is_active=True).select_related("department").first()
        form = DraftForm(unit=unit, initial={"drafting_department": getattr(membership, "department", None),
                                             "printer": unit.name})
    return render(request, "documents/draft_form.html", _form_context(request, unit, form),
                  status=status_of(form))


def _initial(document: Document) -> dict:
    return {
        "kind": document.kind, "flow_direction": document.flow_direction, "title": document.title,
        "main_recipients": document.main_recipients, "urgency": document.urgency,
        "classification": document.classification, "copy_number": document.copy_number,
        "red_header": document.red_header_id, "drafting_department": document.drafting_department_id,
        "countersign_departments": document.countersign_departments,
        "co_issuers": [item.unit_id for item in document.co_issuers.all()],
        "cc": document.cc, "printer": document.printer, "notes": document.notes,
        "attachment_note": "\n".join(document.attachment_note or []),
        "body": json.dumps(document.body, ensure_ascii=False),
    }


@login_required
def draft_edit(request, pk: int):
    """修改: the drafter while drafting, or whoever holds the document's open work item."""
    document = _editable_or_404(request, pk)
    unit = document.unit
    if request.method == "POST":
        form = DraftForm(request.POST, unit=unit)
        if form.is_valid():
            values = form.elements()
            note = form.cleaned_data.get("note", "")
            try:
                services.update_draft(actor=request.user, document=document, note=note, **values)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The document is saved."))
                return redirect(document_url(document))
    else:
        form = DraftForm(unit=unit, initial=_initial(document))
    return render(request, "documents/draft_form.html", _form_context(request, unit, form, document),
                  status=status_of(form))


@login_required
def versions(request, pk: int):
    """The versions of a document; two chosen ones compared with additions and deletions marked."""
    document = selectors.document_for(request.user, pk)
    all_versions = list(selectors.versions_of(document))
    compare = None
    form = CompareForm(request.GET or None)
    if form.is_bound and form.is_valid():
        older = selectors.version_for(document, min(form.cleaned_data["a"], form.cleaned_data["b"]))
        newer = selectors.version_for(document, max(form.cleaned_data["a"], form.cleaned_data["b"]))
        compare = {"a": older, "b": newer, "html": services.compare_versions(older, newer)}
    elif len(all_versions) >= 2 and not form.is_bound:
        older, newer = all_versions[1], all_versions[0]
        compare = {"a": older, "b": newer, "html": services.compare_versions(older, newer)}
    return render(request, "documents/version_list.html", {
        "document": document, "versions": all_versions, "compare": compare, "nav_active": "documents",
        "document_url": document_url(document),
    }, status=400 if form.is_bound and not form.is_valid() else 200)


@login_required
def version_detail(request, pk: int, seq: int):
    """One version's title and numbered body as it was saved."""
    from zhengtong.documents import text as body_text

    document = selectors.document_for(request.user, pk)
    version = selectors.version_for(document, seq)
    return render(request, "documents/version_detail.html", {
        "document": document, "version": version, "lines": body_text.numbered(version.body),
        "nav_active": "documents", "document_url": document_url(document),
    })


@login_required
@require_POST
def attachment_add(request, pk: int):
    """Upload an attachment (any type, up to 50 MB)."""
    document = _editable_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.add_attachment(actor=request.user, document=document,
                                                 file=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return _back(request, document)
        messages.success(request, _("Attached %(name)s.") % {"name": attachment.name})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return _back(request, document)


def _back(request, document):
    """Back to the page the form was on (the document page, or the edit page), messages telling the result."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = document_url(document)
    return redirect(target)


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    """The attachment under its original name."""
    document = selectors.document_for(request.user, pk)
    attachment = selectors.attachment_for(document, attachment_pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_remove(request, pk: int, attachment_pk: int):
    """Remove an attachment while the document may still be edited."""
    document = _editable_or_404(request, pk)
    attachment = selectors.attachment_for(document, attachment_pk)
    services.remove_attachment(actor=request.user, attachment=attachment)
    messages.success(request, _("Removed %(name)s.") % {"name": attachment.name})
    return _back(request, document)
