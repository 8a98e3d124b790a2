"""流程跟踪: the diagram of an instance with the steps done and waiting, and its history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.workflow import selectors, services, ui_selectors
from zhengtong.workflow.exceptions import WorkflowError
from zhengtong.workflow.forms import CancelForm


def _page(request, instance, *, cancel_form=None, status=200):
    _title, subject_url = ui_selectors.subject_link(instance, fallback="")
    trace_data = selectors.trace_for(instance)
    return render(request, "workflow/trace.html", {
        "instance": instance, "trace": trace_data, "subject_url": subject_url, "diagram": True,
        "history": [*trace_data["history"], *selectors.open_items_of(instance)],
        "can_cancel": not subject_url and ui_selectors.can_cancel(request.user, instance),
        "cancel_form": cancel_form or CancelForm(),
    }, status=status)


@login_required
def trace(request, pk: int):
    """For the participants of the instance and the unit's admin and leaders; 404 for anyone else."""
    return _page(request, ui_selectors.instance_for(request.user, pk))


@require_POST
@login_required
def cancel(request, pk: int):
    """End a process whose subject has no page of its own (a subject's app offers its own way)."""
    instance = ui_selectors.instance_for(request.user, pk)
    if ui_selectors.subject_link(instance, fallback="")[1]:
        raise Http404  # the subject's own page decides how its process ends
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _page(request, instance, cancel_form=form, status=400)
    try:
        services.cancel_process(actor=request.user, instance=instance, reason=form.cleaned_data["reason"])
    except WorkflowError as exc:
        form.add_error(None, exc.messages)
        return _page(request, instance, cancel_form=form, status=400)
    messages.success(request, _("The process has been cancelled."))
    return redirect("workflow:trace", pk=instance.pk)
