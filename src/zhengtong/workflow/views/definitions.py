"""流程定义: a unit admin sees the processes with their versions, previews, downloads and uploads BPMN."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.workflow import selectors, services, ui_selectors
from zhengtong.workflow.exceptions import WorkflowError
from zhengtong.workflow.forms import UploadDefinitionForm


def _page(request, unit, *, upload_form=None, problems=(), status=200):
    return render(request, "workflow/definition_list.html", {
        "unit": unit,
        "groups": selectors.definitions_for(request.user, unit),
        "upload_form": upload_form or UploadDefinitionForm(keys=ui_selectors.process_kinds(unit)),
        "problems": problems,
    }, status=status)


@login_required
def definitions(request):
    """The keys with their shipped and own versions, the one in use marked."""
    unit = ui_selectors.require_unit_admin(request)
    return _page(request, unit)


@login_required
def definition(request, pk: int):
    """Preview one version's diagram."""
    unit = ui_selectors.require_unit_admin(request)
    found = ui_selectors.definition_for(request.user, unit, pk)
    return render(request, "workflow/definition_detail.html",
                  {"definition": found, "diagram": True, "no_steps": []})


@login_required
def definition_download(request, pk: int):
    """The BPMN file of one version, to change it in a BPMN editor."""
    unit = ui_selectors.require_unit_admin(request)
    found = ui_selectors.definition_for(request.user, unit, pk)
    response = HttpResponse(found.bpmn_xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.key}-v{found.version}.bpmn"'
    return response


@require_POST
@login_required
def definition_upload(request):
    """Store an uploaded BPMN as the unit's new version; on any problem nothing is stored."""
    unit = ui_selectors.require_unit_admin(request)
    form = UploadDefinitionForm(request.POST, request.FILES, keys=ui_selectors.process_kinds(unit))
    if not form.is_valid():
        return _page(request, unit, upload_form=form, status=400)
    try:
        stored = services.upload_definition(actor=request.user, unit=unit, key=form.cleaned_data["key"],
                                            uploaded=form.cleaned_data["file"], name=form.cleaned_data["name"])
    except WorkflowError as exc:  # InvalidDefinition: one message per problem
        return _page(request, unit, upload_form=form, problems=exc.messages, status=400)
    messages.success(request, _("Version %(version)s of “%(name)s” is now in use in this unit.")
                     % {"version": stored.version, "name": stored.name})
    return redirect("workflow:definitions")


@require_POST
@login_required
def definition_restore(request, key: str):
    """Go back to the shipped process for ``key``: the unit's versions stay stored, none is in use."""
    unit = ui_selectors.require_unit_admin(request)
    names = dict(ui_selectors.process_kinds(unit))
    if key not in names:
        raise Http404
    services.restore_default_definition(actor=request.user, unit=unit, key=key)
    messages.success(request, _("“%(name)s” now follows the process shipped with the platform.")
                     % {"name": names[key]})
    return redirect("workflow:definitions")
