"""Office pages of the seal lifecycle (/office/seals/): the unit's seals, a seal, applications and their
steps, the platform's queue, changing the PIN and reporting a seal lost."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.directory import roles
from zhengtong.directory.selectors import is_platform_operator, role_codes_in
from zhengtong.seals import selectors, services
from zhengtong.seals.forms import (ApplicationForm, ChangePinForm, ConfirmForm, DecisionForm, ReportLostForm,
                                   RevokeForm, SealFilterForm, UnlockForm)
from zhengtong.seals.models import Seal, SealApplication

Status = SealApplication.Status


def _add_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: by field when it names fields, else on the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(message) for message in exc.messages)
    return str(exc) or _("You may not do this.")


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _tabs(request) -> dict:
    user = request.user
    unit = getattr(request, "unit", None)
    return {
        "unit": unit,
        "sees_unit": unit is not None and bool(role_codes_in(user, unit) & selectors.SEAL_VIEW_ROLES),
        "oversees": selectors.oversees_seals(user),
        "queue_count": selectors.queue_for(user).count(),
    }


@login_required
def index(request):
    """The current unit's seals (印章): image, certificate serial, validity, status, uses; its applications."""
    context = _tabs(request)
    if not context["sees_unit"]:
        if context["oversees"]:
            return redirect("seals:all")
        raise Http404
    unit = context["unit"]
    seals = list(selectors.seals_of_unit(unit))
    for seal in seals:
        seal.pin_due = selectors.pin_change_due(seal)
        seal.locked = selectors.is_locked(seal)
    return render(request, "seals/seal_list.html", {
        **context, "active": "unit",
        "seals": seals,
        "open_applications": selectors.applications_for(request.user).filter(
            unit=unit, status__in=selectors.OPEN_STATUSES),
        "may_apply": selectors.may_apply(request.user, unit),
        "is_keeper": roles.SEAL_KEEPER in role_codes_in(request.user, unit),
        "pin_change_days": selectors.PIN_CHANGE_DAYS,
    })


@login_required
def all_seals(request):
    """Every unit's seals, for the platform operator and the 保密室 custodian."""
    if not selectors.oversees_seals(request.user):
        raise Http404
    form = SealFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    seals = selectors.all_seals(request.user, status=data.get("status", ""), q=(data.get("q") or "").strip())
    page = Paginator(seals, 50).get_page(request.GET.get("page"))
    return render(request, "seals/seal_all.html", {**_tabs(request), "active": "all", "form": form, "page": page,
                                                   "query": _query_without_page(request),
                                                   "counts": {value: Seal.objects.filter(status=value).count()
                                                              for value in Seal.Status.values}})


@login_required
def detail(request, pk: int):
    """A seal: its image, certificate fields and fingerprint, CRL status, uses and history."""
    seal = selectors.seal_for(request.user, pk)
    codes = role_codes_in(request.user, seal.unit)
    return render(request, "seals/seal_detail.html", {
        **_tabs(request), "active": "unit" if seal.unit_id == getattr(request.unit, "pk", None) else "all",
        "seal": seal,
        "certificate": selectors.certificate_details(seal),
        "crl_revoked_at": _crl_revoked_at(seal),
        "uses": selectors.uses_of(seal),
        "history": selectors.history_of(seal)[:50],
        "applications": SealApplication.objects.filter(seal=seal).select_related("applicant").order_by("-pk"),
        "made_by": SealApplication.objects.filter(result_seal=seal).first(),
        "replaced_by": Seal.objects.filter(replaces=seal).first(),
        "is_keeper": roles.SEAL_KEEPER in codes and seal.unit.is_active,
        "may_apply": selectors.may_apply(request.user, seal.unit),
        "is_operator": is_platform_operator(request.user),
        "pin_changed_at": selectors.pin_changed_at(seal),
        "pin_due": selectors.pin_change_due(seal),
        "locked": selectors.is_locked(seal),
        "open_application": selectors.open_application_for(seal),
        "unlock_form": UnlockForm(),
    })


def _crl_revoked_at(seal: Seal):
    """When the published CRL says the certificate was revoked (None: not on it)."""
    from zhengtong.seals import ca

    try:
        return ca.is_revoked(seal.serial_number)
    except Exception:  # noqa: BLE001 — a page about the seal is shown even when the CA is unreachable
        return None


@login_required
def image(request, pk: int):
    """The seal's image (PNG), for people who may see the seal."""
    seal = selectors.seal_for(request.user, pk)
    if not seal.image:
        raise Http404
    response = FileResponse(seal.image.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- applications -------------------------------------------------------------------------------

@login_required
def application_list(request):
    """The applications the person sees (their units'; every one for the operator and custodian)."""
    context = _tabs(request)
    if not (context["sees_unit"] or context["oversees"] or selectors.units_with_seal_view(request.user).exists()):
        raise Http404
    show = request.GET.get("show", "open")
    applications = selectors.applications_for(request.user)
    if show == "open":
        applications = applications.filter(status__in=selectors.OPEN_STATUSES)
    elif show == "closed":
        applications = applications.exclude(status__in=selectors.OPEN_STATUSES)
    page = Paginator(applications.order_by("-applied_at", "-pk"), 30).get_page(request.GET.get("page"))
    return render(request, "seals/application_list.html", {**context, "active": "applications", "page": page,
                                                           "show": show, "query": _query_without_page(request)})


@login_required
def queue(request):
    """What waits for this person: the head's approval, the platform's approval, a confirmation (待办)."""
    context = _tabs(request)
    items = list(selectors.queue_for(request.user))
    if not items and not (context["oversees"] or selectors.units_with_seal_view(request.user).exists()):
        raise Http404
    return render(request, "seals/queue.html", {**context, "active": "queue", "items": items})


@login_required
def apply(request):
    """Apply to make, change, reissue or revoke a seal of the current unit (第二十一条)."""
    unit = getattr(request, "unit", None)
    if not selectors.may_apply(request.user, unit):
        raise Http404
    action = request.POST.get("action") or request.GET.get("action") or SealApplication.Action.MAKE
    seals = Seal.objects.filter(unit=unit, status=Seal.Status.ACTIVE)
    if action == SealApplication.Action.REISSUE:
        seals = Seal.objects.filter(unit=unit).exclude(status=Seal.Status.SUPERSEDED).exclude(
            status=Seal.Status.REVOKED, revocation_reason__in=[Seal.RevocationReason.REQUESTED,
                                                                Seal.RevocationReason.UNIT_ENDED,
                                                                Seal.RevocationReason.REPLACED])
    initial = {}
    if request.GET.get("seal"):
        initial["seal"] = seals.filter(pk=request.GET.get("seal")).first()
    form = ApplicationForm(request.POST or None, action=action, seals=seals.order_by("seal_type", "-made_at"),
                           initial=initial)
    if "seal_name" in form.fields:
        form.fields["seal_name"].widget.attrs["placeholder"] = unit.name
    if request.method == "POST" and form.is_valid():
        try:
            application = services.apply(actor=request.user, unit=unit, **form.service_kwargs())
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The application is made; it now waits for the unit head's approval."))
            return redirect("seals:application", pk=application.pk)
    return render(request, "seals/application_form.html", {
        **_tabs(request), "active": "unit", "form": form, "action": form.action,
        "action_label": SealApplication.Action(form.action).label,
        "actions": SealApplication.Action.choices, "cancel_url": reverse("seals:index"),
    }, status=_status(form))


def _available(request, application: SealApplication) -> dict:
    """Which of the application's buttons this person sees."""
    user = request.user
    A = SealApplication.Action
    codes = role_codes_in(user, application.unit)
    operator, custodian = is_platform_operator(user), selectors.is_seal_custodian(user)
    confirmed = {application.custodian_confirmed_by_id, application.operator_confirmed_by_id}
    can_confirm = (application.status == Status.APPROVED and application.action != A.REVOKE
                   and user.pk not in confirmed
                   and ((custodian and application.custodian_confirmed_by_id is None)
                        or (operator and application.operator_confirmed_by_id is None)))
    second = can_confirm and (application.custodian_confirmed_by_id or application.operator_confirmed_by_id)
    return {
        "can_head": (application.status == Status.AWAITING_HEAD and roles.PRINCIPAL_LEADER in codes
                     and user.pk != application.applicant_id),
        "can_operator": application.status == Status.AWAITING_OPERATOR and operator,
        "can_confirm": can_confirm,
        "second_confirmation": bool(second),
        "confirm_side": ("custodian" if custodian and application.custodian_confirmed_by_id is None else "operator")
        if can_confirm else "",
        "can_withdraw": (application.status in selectors.OPEN_STATUSES
                         and (selectors.may_apply(user, application.unit) or user.pk == application.applicant_id)),
    }


def _application_page(request, application, *, decision_form=None, confirm_form=None, status=200):
    available = _available(request, application)
    if confirm_form is None and available["can_confirm"]:
        confirm_form = ConfirmForm(second=available["second_confirmation"],
                                   pkcs11=application.key_storage == Seal.KeyStorage.PKCS11)
    return render(request, "seals/application_detail.html", {
        **_tabs(request), "active": "applications", "application": application,
        "steps": selectors.steps_of(application), **available,
        "decision_form": decision_form or DecisionForm(), "confirm_form": confirm_form,
        "history": _application_history(application),
    }, status=status)


def _application_history(application):
    from zhengtong.audit.models import AuditRecord

    return AuditRecord.objects.filter(object_type="seals.sealapplication",
                                      object_id=str(application.pk)).order_by("seq")


@login_required
def application_detail(request, pk: int):
    """An application with its steps and the buttons for the head, the operator and the custodian."""
    application = selectors.application_for(request.user, pk)
    return _application_page(request, application)


def _decide(request, pk: int, service):
    application = selectors.application_for(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete. Reload the page and try again."))
        return redirect("seals:application", pk=pk)
    try:
        service(actor=request.user, application=application, approve=form.approve,
                note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        _add_errors(form, exc)
        return _application_page(request, application, decision_form=form, status=400)
    except PermissionDenied as exc:
        messages.error(request, _message(exc))
        return redirect("seals:application", pk=pk)
    messages.success(request, _("Approved.") if form.approve else _("Refused."))
    return redirect("seals:application", pk=pk)


@login_required
@require_POST
def decide_head(request, pk: int):
    return _decide(request, pk, services.decide_as_head)


@login_required
@require_POST
def decide_operator(request, pk: int):
    return _decide(request, pk, services.decide_as_operator)


@login_required
@require_POST
def confirm(request, pk: int):
    """The 保密室 custodian's or the 信息中心 operator's confirmation; the second one makes the seal."""
    application = selectors.application_for(request.user, pk)
    available = _available(request, application)
    if not available["can_confirm"]:
        messages.error(request, _("You cannot confirm this application now."))
        return redirect("seals:application", pk=pk)
    form = ConfirmForm(request.POST, second=available["second_confirmation"],
                       pkcs11=application.key_storage == Seal.KeyStorage.PKCS11)
    if form.is_valid():
        try:
            application = services.confirm(actor=request.user, application=application,
                                           pin=form.cleaned_data.get("pin") or None,
                                           token_label=form.cleaned_data.get("token_label") or "")
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, _message(exc))
            return redirect("seals:application", pk=pk)
        else:
            if application.result_seal_id:
                messages.success(request, _("Confirmed. The seal is made."))
                return redirect("seals:detail", pk=application.result_seal_id)
            messages.success(request, _("Confirmed. The other side confirms next."))
            return redirect("seals:application", pk=pk)
    return _application_page(request, application, confirm_form=form, status=400)


@login_required
@require_POST
def withdraw(request, pk: int):
    application = selectors.application_for(request.user, pk)
    try:
        services.withdraw(actor=request.user, application=application, note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("seals:application", pk=pk)


# --- a seal's actions ---------------------------------------------------------------------------

def _seal_form_page(request, seal, form, *, template: str, status: int = 200, **extra):
    return render(request, template, {**_tabs(request), "active": "unit", "seal": seal, "form": form,
                                      "cancel_url": reverse("seals:detail", args=[seal.pk]), **extra},
                  status=status)


@login_required
def change_pin(request, pk: int):
    """The seal keeper changes the seal's PIN (seed 004 要求 8: 定期修改)."""
    seal = selectors.seal_for(request.user, pk)
    if roles.SEAL_KEEPER not in role_codes_in(request.user, seal.unit) or not seal.is_active:
        raise Http404
    form = ChangePinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_pin(actor=request.user, seal=seal, old_pin=form.cleaned_data["old_pin"],
                                new_pin=form.cleaned_data["new_pin"])
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The PIN is changed. Keep it secret."))
            return redirect("seals:detail", pk=seal.pk)
    return _seal_form_page(request, seal, form, template="seals/seal_change_pin.html", status=_status(form),
                           locked=selectors.is_locked(seal))


@login_required
def report_lost(request, pk: int):
    """The unit reports its seal lost: revoked at once, the platform told (第二十五条)."""
    seal = selectors.seal_for(request.user, pk)
    if not selectors.may_apply(request.user, seal.unit) or not seal.is_active:
        raise Http404
    form = ReportLostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_lost(actor=request.user, seal=seal, note=form.cleaned_data["note"])
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.warning(request, _("The seal is revoked. Apply for a reissue when the unit needs it again."))
            return redirect("seals:detail", pk=seal.pk)
    return _seal_form_page(request, seal, form, template="seals/seal_report_lost.html", status=_status(form))


@login_required
def revoke(request, pk: int):
    """The platform operator revokes a seal at once."""
    seal = selectors.seal_for(request.user, pk)
    if not is_platform_operator(request.user) or not seal.is_active:
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke(actor=request.user, seal=seal, reason=form.cleaned_data["reason"],
                            note=form.cleaned_data["note"])
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.warning(request, _("The seal is revoked and the CRL published."))
            return redirect("seals:detail", pk=seal.pk)
    return _seal_form_page(request, seal, form, template="seals/seal_revoke.html", status=_status(form))


@login_required
@require_POST
def unlock(request, pk: int):
    seal = selectors.seal_for(request.user, pk)
    if not is_platform_operator(request.user):
        raise Http404
    form = UnlockForm(request.POST)
    form.is_valid()
    services.unlock(actor=request.user, seal=seal, note=form.cleaned_data.get("note", ""))
    messages.success(request, _("The seal is unlocked."))
    return redirect("seals:detail", pk=seal.pk)
