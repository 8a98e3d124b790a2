"""The generic work-item page and its actions (办理, 退回, 撤回, 转办), for subjects without a page of their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.workflow import selectors, services, ui_selectors
from zhengtong.workflow.exceptions import TaskAlreadyHandled, WorkflowError
from zhengtong.workflow.forms import CompleteForm, SendBackForm, TransferForm


def _item_page(request, work_item, *, status: int = 200, **forms):
    instance = work_item.instance
    _title, subject_url = ui_selectors.subject_link(instance, fallback="")
    return render(request, "workflow/item_detail.html", {
        "item": work_item, "instance": instance, "subject_url": subject_url,
        "complete_url": reverse("workflow:complete", args=[work_item.pk]),
        "send_back_url": reverse("workflow:send-back", args=[work_item.pk]),
        "transfer_url": reverse("workflow:transfer", args=[work_item.pk]),
        "can_withdraw": ui_selectors.can_withdraw(request.user, work_item),
        **forms,
    }, status=status)


def _next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _refused(request, work_item, exc: WorkflowError, *, form_name: str, form):
    """The engine said no: change nothing. Someone acted first → reload the item with the warning;
    any other reason → the same form again, the input kept, the reason above it."""
    if isinstance(exc, TaskAlreadyHandled):
        messages.warning(request, str(exc))
        return redirect(_next(request, reverse("workflow:item", args=[work_item.pk])))
    form.add_error(None, exc.messages)
    return _item_page(request, work_item, status=400, **{form_name: form})


@login_required
def item(request, pk: int):
    """One work item: its history and, for whoever may act, the action form."""
    return _item_page(request, selectors.work_item_for(request.user, pk))


@require_POST
@login_required
def complete(request, pk: int):
    """Handle the item with an opinion: the process moves on to the next step."""
    work_item = selectors.work_item_for(request.user, pk)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        return _item_page(request, work_item, status=400, complete_form=form)
    try:
        services.complete_work_item(actor=request.user, work_item=work_item, revision=form.cleaned_data["revision"],
                                    opinion=form.cleaned_data["opinion"], decision=form.cleaned_data["decision"])
    except WorkflowError as exc:
        return _refused(request, work_item, exc, form_name="complete_form", form=form)
    messages.success(request, _("“%(step)s” is done.") % {"step": work_item.step_label})
    return redirect(_next(request, reverse("workflow:todo")))


@require_POST
@login_required
def send_back(request, pk: int):
    """Send the item back to an earlier step with the reason (退回)."""
    work_item = selectors.work_item_for(request.user, pk)
    form = SendBackForm(request.POST, targets=selectors.send_back_targets(work_item))
    if not form.is_valid():
        return _item_page(request, work_item, status=400, send_back_form=form)
    try:
        services.send_back(actor=request.user, work_item=work_item, revision=form.cleaned_data["revision"],
                           to_step=form.cleaned_data["to_step"], reason=form.cleaned_data["reason"])
    except WorkflowError as exc:
        return _refused(request, work_item, exc, form_name="send_back_form", form=form)
    messages.success(request, _("The item has been sent back."))
    return redirect(_next(request, reverse("workflow:todo")))


@require_POST
@login_required
def transfer(request, pk: int):
    """Pass the item to another department or person of the unit (转办)."""
    work_item = selectors.work_item_for(request.user, pk)
    form = TransferForm(request.POST, unit=work_item.unit)
    if not form.is_valid():
        return _item_page(request, work_item, status=400, transfer_form=form)
    try:
        services.transfer(actor=request.user, work_item=work_item, revision=form.cleaned_data["revision"],
                          reason=form.cleaned_data["reason"], to_department=form.cleaned_data["to_department"],
                          to_person=form.cleaned_data["to_person"])
    except WorkflowError as exc:
        return _refused(request, work_item, exc, form_name="transfer_form", form=form)
    messages.success(request, _("The item has been transferred."))
    return redirect(_next(request, reverse("workflow:todo")))


@require_POST
@login_required
def withdraw(request, pk: int):
    """Take back an item I handled while the next step has not acted on it yet (撤回)."""
    work_item = selectors.work_item_for(request.user, pk)
    try:
        services.withdraw(actor=request.user, work_item=work_item)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(_next(request, reverse("workflow:done")))
    messages.success(request, _("The item is back in your to-do list."))
    return redirect(_next(request, reverse("workflow:todo")))
