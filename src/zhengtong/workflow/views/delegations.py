"""委托: let a colleague of the same unit handle my to-do items for a period; revoke it; see who acts for whom."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.workflow import services, ui_selectors
from zhengtong.workflow.exceptions import WorkflowError
from zhengtong.workflow.forms import DelegationForm


@login_required
def delegations(request):
    """My delegations, those to me, and the form to delegate."""
    unit = ui_selectors.require_unit(request)
    form = DelegationForm(request.POST or None, unit=unit, actor=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.delegate(actor=request.user, unit=unit, delegate=form.cleaned_data["delegate"],
                                  starts_at=form.cleaned_data["starts_at"], ends_at=form.cleaned_data["ends_at"],
                                  reason=form.cleaned_data["reason"])
            except WorkflowError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("%(name)s can now handle your to-do items in the period you chose.")
                                 % {"name": form.cleaned_data["delegate"].name})
                return redirect("workflow:delegations")
        status = 400
    return render(request, "workflow/delegation_list.html", {
        "unit": unit, "form": form, "now": timezone.now(),
        "given": ui_selectors.delegations_given(request.user, unit),
        "received": ui_selectors.delegations_received(request.user, unit),
    }, status=status)


@require_POST
@login_required
def delegation_revoke(request, pk: int):
    """End one of my delegations now."""
    unit = ui_selectors.require_unit(request)
    delegation = ui_selectors.delegation_given_for(request.user, unit, pk)
    try:
        services.revoke_delegation(actor=request.user, delegation=delegation)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The delegation has been revoked."))
    return redirect("workflow:delegations")
